import type { Queue, RedisOptions } from 'bullmq';
import type { MessageCategory } from '../compliance/message-category';
import type { CallbackMethod, RejectedRecipient, SendSmsOptions, SendSmsResult } from '../sms/sms.types';
import type { CreditType } from '../thai-bulk-sms.options';

/** Backoff between attempts of a chunk whose send provably never reached the API. */
export interface SmsQueueBackoff {
  /** @default 'exponential' */
  readonly type?: 'fixed' | 'exponential';
  /** First delay (doubles each attempt when exponential). @default 1000 */
  readonly delayMs?: number;
}

/** How long finished chunk jobs stay in Redis (for `getStatus`; the dedupe key has its own TTL). */
export interface SmsQueueRetention {
  /** Keep jobs at most this long after they finish. */
  readonly ageSeconds?: number;
  /** Keep at most this many finished jobs. */
  readonly count?: number;
}

/**
 * Which finished chunk jobs `events$` / `on()` report in this instance: `'worker'` — the ones this
 * instance's worker ran (each job reported once across the cluster; nothing in an instance with
 * `worker: false`); `'queue'` — every chunk job of the queue, whichever instance ran it, read from
 * BullMQ's event stream (QueueEvents; one more Redis connection; every instance sees every job).
 */
export type SmsQueueEventScope = 'worker' | 'queue';

/**
 * Options of `ThaiBulkSmsQueueModule.forRoot` / what `forRootAsync`'s factory returns. The
 * account's rate (`maxTps` per `limiterWindowMs`) is stored once per queue in Redis as BullMQ's
 * global rate limit: the first instance to start writes it; one configured differently refuses to
 * start (SmsQueueRateLimitMismatchError), so every worker of every instance runs under one limit.
 */
export interface ThaiBulkSmsQueueModuleOptions {
  /** Redis: a `redis://` / `rediss://` URL or ioredis options. @default 'redis://127.0.0.1:6379' */
  readonly connection?: string | RedisOptions;
  /** Prefix of every Redis key of the queue. @default 'bull' */
  readonly prefix?: string;
  /**
   * POST /sms requests per second for the whole account, across every worker of this queue in
   * every instance (one chunk job = one request). Becomes BullMQ's global rate limit of the queue
   * (`maxTps * limiterWindowMs / 1000` jobs per `limiterWindowMs`), checked at bootstrap against
   * the value already in Redis. @default 120
   */
  readonly maxTps?: number;
  /**
   * Window of BullMQ's global rate limit. BullMQ's windows start at the first job, not on the
   * second, so see the README before raising it. @default 1000
   */
  readonly limiterWindowMs?: number;
  /**
   * Second layer at the moment of sending, shared through Redis (see README, "How the account
   * limit holds"): a request leaves only while fewer than `maxTps` requests are counted in the
   * last `1000 + limiterMarginMs` ms, each counted at its departure and then at its answer; waiting
   * workers are paced `(1000 + limiterMarginMs) / maxTps` ms apart. Without it the bursts BullMQ
   * lets start at the beginning of each of its windows can meet in one vendor second. `false`
   * leaves BullMQ's global rate limit alone. @default true
   */
  readonly accountRateGate?: boolean;
  /**
   * Slack on the one-second window of the send-time gate. Requests are counted at their answer,
   * so lateness between the gate and the API is covered already; the margin leaves room for the
   * vendor's clock and Redis' running at slightly different paces. Costs about
   * `limiterMarginMs / 10` % of throughput (10: at most 118.8/s at 120). Unused with
   * `accountRateGate: false`. @default 10
   */
  readonly limiterMarginMs?: number;
  /**
   * How long a dedupe key holds, from the enqueue that queued its send: within it the same key
   * adds nothing (duplicate: true). Independent of job retention. @default 86400 (one day)
   */
  readonly dedupeTtlSeconds?: number;
  /** Which finished jobs this instance's `events$` reports (see SmsQueueEventScope). @default 'worker' */
  readonly events?: SmsQueueEventScope;
  /** Run a worker in this instance; `false` only enqueues (no SMS credentials needed). @default true */
  readonly worker?: boolean;
  /** Chunk jobs in flight at once in this instance's worker; also the most a crash can resend. @default 16 */
  readonly concurrency?: number;
  /** Attempts of a chunk whose send provably never reached the API (refused, DNS). @default 5 */
  readonly attempts?: number;
  readonly backoff?: SmsQueueBackoff;
  /** @default { ageSeconds: 86400 } (one day) */
  readonly removeOnComplete?: SmsQueueRetention;
  /** @default { ageSeconds: 604800 } (seven days) */
  readonly removeOnFail?: SmsQueueRetention;
  /** A worker's lock on a job; a crashed worker's jobs are re-run once it lapses. @default 30000 */
  readonly lockDurationMs?: number;
  /** How often workers look for jobs whose worker died. @default 30000 */
  readonly stalledIntervalMs?: number;
  /** Re-runs after a worker died before the job counts as failed (`ERROR_QUEUE_STALLED`). @default 1 */
  readonly maxStalledCount?: number;
  /** The ThaiBulkSmsModule registration (by name) whose SmsService the worker sends with. @default 'default' */
  readonly registration?: string;
  /**
   * How long bootstrap waits for Redis before it fails with ThaiBulkSmsQueueConnectionError
   * (naming host and port), and how long shutdown waits for a connection still being opened
   * before it closes it anyway. @default 10000
   */
  readonly readyTimeoutMs?: number;
}

/**
 * Per-call options of `SmsQueue.enqueue`. Any other key is refused with SmsQueueUnknownOptionError
 * (a misspelt option must not be dropped silently: `{ delay }` would send at once).
 */
export interface EnqueueOptions {
  /**
   * Names the send: enqueueing the same key again, from any instance, adds nothing and answers
   * the same id for `dedupeTtlSeconds` after the enqueue that queued it. 1–200 characters.
   */
  readonly dedupeKey?: string;
  /** Start sending after this many milliseconds (BullMQ's `delay`). */
  readonly delayMs?: number;
  /** BullMQ priority: 1 is the highest, larger numbers wait longer; omitted jobs go first. */
  readonly priority?: number;
}

/** What enqueue answers: the send id to query, and what was refused before queueing. */
export interface EnqueueResult {
  /**
   * The send id (`getStatus(id)`): a UUID, or `key-<encoded dedupe key>` when a key was given.
   * Not a BullMQ job id: the send's chunk jobs are `<id>/0`, `<id>/1`, … in `SmsQueue.queue`.
   */
  readonly id: string;
  /** Chunk jobs of at most 500 numbers. */
  readonly chunks: number;
  /** Valid unique numbers queued. */
  readonly recipients: number;
  /** Invalid numbers, refused before queueing (never sent). */
  readonly rejected: readonly RejectedRecipient[];
  /** True when the dedupe key named a send already queued: nothing was added. */
  readonly duplicate: boolean;
}

/** Send options as stored in a job: JSON only, no signal, no credentials. */
export interface QueuedSend {
  readonly to: readonly string[];
  readonly message: string;
  readonly sender?: string;
  readonly scheduledAt?: string;
  readonly force?: CreditType;
  readonly shortenUrl?: boolean;
  readonly callbackUrl?: string;
  readonly callbackMethod?: CallbackMethod;
  readonly tags?: readonly string[];
  /** The send's category; absent in jobs queued before categories existed (read as `transactional`). */
  readonly category?: MessageCategory;
  readonly reference?: string;
}

/**
 * The data of one chunk job, as stored in Redis. Its keys keep the names jobs were stored under
 * before (`alertId`, `send.force`), so jobs queued by an earlier version still run.
 */
export interface SmsChunkJobData {
  /** The send's id. */
  readonly alertId: string;
  readonly index: number;
  readonly chunks: number;
  /** Hash of the whole send (every chunk carries it), to tell a reused dedupe key apart. */
  readonly fingerprint: string;
  /** Random per enqueue call. */
  readonly enqueueId: string;
  readonly send: QueuedSend;
  /** Trace context of the enqueue (W3C `traceparent`…), when instrumented: the job continues its trace. */
  readonly traceContext?: Readonly<Record<string, string>>;
}

/** The registration's BullMQ queue: it carries chunk jobs only, answered with the send's result. */
export type ChunkQueue = Queue<SmsChunkJobData, SendSmsResult>;

export type SmsChunkState = 'waiting' | 'delayed' | 'active' | 'completed' | 'failed' | 'missing';

export type SmsSendState = 'queued' | 'sending' | 'completed' | 'partially-failed' | 'failed';

export interface SmsChunkFailure {
  readonly index: number;
  readonly jobId: string;
  /** Vendor error name (`ERROR_SYSTEM_FAILURE`), `ERROR_UPSTREAM_UNREACHABLE`, or `ERROR_QUEUE_STALLED`. */
  readonly errorName: string;
  readonly message: string;
  readonly recipients: number;
  readonly attemptsMade: number;
}

/** The send as its chunk jobs stand now. */
export interface SmsSendStatus {
  readonly id: string;
  readonly state: SmsSendState;
  /** Chunk jobs per state; `missing` ones were removed by retention. */
  readonly chunks: Readonly<Record<SmsChunkState, number>> & { readonly total: number };
  readonly recipients: number;
  /** Numbers accepted by the API so far (completed chunks). */
  readonly accepted: number;
  /** Numbers the API refused in completed chunks. */
  readonly rejected: number;
  readonly creditsUsed: number;
  readonly failures: readonly SmsChunkFailure[];
  readonly createdAt: number;
  /** When the last chunk settled, once all have. */
  readonly finishedAt?: number;
}

/** One chunk's outcome, for callers that need each accepted number's message id. */
export interface SmsChunkOutcome {
  readonly index: number;
  readonly jobId: string;
  readonly state: SmsChunkState;
  readonly result?: SendSmsResult;
  readonly failure?: SmsChunkFailure;
}

export interface SmsQueueJobCompletedEvent {
  readonly type: 'completed';
  readonly queueName: string;
  readonly sendId: string;
  readonly jobId: string;
  readonly index: number;
  readonly chunks: number;
  readonly result: SendSmsResult;
}

/** Emitted only when the chunk will not be tried again. */
export interface SmsQueueJobFailedEvent {
  readonly type: 'failed';
  readonly queueName: string;
  readonly sendId: string;
  readonly jobId: string;
  readonly index: number;
  readonly chunks: number;
  readonly failure: SmsChunkFailure;
}

export type SmsQueueEvent = SmsQueueJobCompletedEvent | SmsQueueJobFailedEvent;

/** What `enqueue` takes: `SendSmsOptions` with any number of recipients. */
export type EnqueueSendOptions = Omit<SendSmsOptions, 'to' | 'signal'> & { readonly to: string | readonly string[] };
