import { createHash, randomUUID } from 'node:crypto';
import { localVendorError } from '../errors';
import { NO_VALID_NUMBER_MESSAGE, partitionRecipients, recipientEntries, RecipientPartition } from '../sms/recipients';
import { prepareSend } from '../sms/send-fields.validator';
import { RejectedRecipient } from '../sms/sms.types';
import { MAX_RECIPIENTS_PER_REQUEST } from '../thai-bulk-sms.constants';
import { OPTION_DEFAULTS, ResolvedThaiBulkSmsOptions } from '../thai-bulk-sms.options';
import { EnqueueSendOptions, QueuedSend, SmsChunkJobData } from './queue.types';

export const MAX_DEDUPE_KEY_LENGTH = 200;

/** The chunk jobs of one send, ready for `addBulk`. */
export interface SendPlan {
  readonly sendId: string;
  readonly fingerprint: string;
  /** Random per enqueue call: tells which of two racing callers' jobs Redis kept. */
  readonly enqueueId: string;
  readonly recipients: number;
  readonly rejected: RejectedRecipient[];
  readonly chunks: SmsChunkJobData[];
}

/**
 * The checks an instance without the worker's registration can make (no account settings: any
 * number of parts); with the registration, SmsQueue checks with its SmsService instead.
 */
const LENIENT: ResolvedThaiBulkSmsOptions = {
  ...OPTION_DEFAULTS,
  maxMessageParts: Number.MAX_SAFE_INTEGER,
  retry: { ...OPTION_DEFAULTS.retry },
};

/** Send id of a dedupe key: readable, injective, and free of the ":" BullMQ forbids in ids. */
export function sendIdForKey(key: string): string {
  return `key-${encodeURIComponent(key)}`;
}

/** Chunk job id: the send id, "/", the chunk's index ("/" never occurs in a send id). */
export function chunkJobId(sendId: string, index: number): string {
  return `${sendId}/${index}`;
}

/**
 * Sorts the recipients once for the whole send (valid numbers normalised and sent once, invalid
 * ones refused now), cuts chunks of at most 500, and stores the send as plain JSON.
 */
export function planSend(
  input: EnqueueSendOptions,
  dedupeKey: string | undefined,
  nowMs: number,
  validate: (send: EnqueueSendOptions) => void = (send) => void prepareSend(send, LENIENT, nowMs),
): SendPlan {
  if (typeof input !== 'object' || input === null)
    throw localVendorError('ERROR_FORM', 'send options must be an object.');
  if (
    dedupeKey !== undefined &&
    (typeof dedupeKey !== 'string' || dedupeKey.length === 0 || dedupeKey.length > MAX_DEDUPE_KEY_LENGTH)
  ) {
    throw localVendorError('ERROR_FORM', `dedupeKey must be a string of 1 to ${MAX_DEDUPE_KEY_LENGTH} characters.`);
  }
  validate(input);
  const { msisdns, rejected } = validateAllRecipients(input.to);
  if (msisdns.length === 0) throw localVendorError('ERROR_MSISDN', NO_VALID_NUMBER_MESSAGE);

  const send = toQueuedSend(input);
  const fingerprint = createHash('sha256')
    .update(JSON.stringify({ ...send, to: msisdns }))
    .digest('base64url')
    .slice(0, 22);
  const sendId = dedupeKey === undefined ? randomUUID() : sendIdForKey(dedupeKey);
  const enqueueId = randomUUID();
  const count = Math.ceil(msisdns.length / MAX_RECIPIENTS_PER_REQUEST);
  const chunks: SmsChunkJobData[] = [];
  for (let index = 0; index < count; index++) {
    const to = msisdns.slice(index * MAX_RECIPIENTS_PER_REQUEST, (index + 1) * MAX_RECIPIENTS_PER_REQUEST);
    chunks.push({ alertId: sendId, index, chunks: count, fingerprint, enqueueId, send: { ...send, to } });
  }
  return { sendId, fingerprint, enqueueId, recipients: msisdns.length, rejected, chunks };
}

function validateAllRecipients(to: unknown): RecipientPartition {
  return partitionRecipients(recipientEntries(to));
}

/** Only the send's own fields, as JSON: no signal, nothing of the account. */
function toQueuedSend(input: EnqueueSendOptions): Omit<QueuedSend, 'to'> {
  if ('force' in input)
    throw localVendorError('ERROR_FORCE', 'force is the HTTP field; SmsQueue.enqueue takes the pool as creditType.');
  const out: { -readonly [K in keyof QueuedSend]?: QueuedSend[K] } = { message: input.message };
  if (input.sender !== undefined) out.sender = input.sender;
  if (input.scheduledAt !== undefined && input.scheduledAt !== null) {
    out.scheduledAt = input.scheduledAt instanceof Date ? input.scheduledAt.toISOString() : String(input.scheduledAt);
  }
  // Stored under the vendor's name, as jobs queued before have it.
  if (input.creditType !== undefined) out.force = input.creditType;
  if (input.shortenUrl !== undefined) out.shortenUrl = input.shortenUrl;
  if (input.callbackUrl !== undefined) out.callbackUrl = input.callbackUrl;
  if (input.callbackMethod !== undefined) out.callbackMethod = input.callbackMethod;
  if (input.tags !== undefined) out.tags = [...input.tags];
  if (input.category !== undefined) out.category = input.category;
  if (input.reference !== undefined) out.reference = input.reference;
  return out as Omit<QueuedSend, 'to'>;
}
