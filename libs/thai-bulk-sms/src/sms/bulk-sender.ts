import { VendorSmsResponse } from '../client/vendor-sms-response';
import type { RecipientScreen, ScreenedRecipients } from '../compliance/thai-bulk-sms-compliance.policy';
import { ThaiBulkSmsAbortedError, ThaiBulkSmsError, ThaiBulkSmsUnconfirmedSendError } from '../errors';
import { entryText, INVALID_PHONE_REASON, Msisdn, toMsisdn } from '../phone';
import { MAX_RECIPIENTS_PER_REQUEST } from '../thai-bulk-sms.constants';
import { acceptedOf, rejectedOf } from '../client/sms-result.mapper';
import { AcceptedRecipient, BulkProgress, BulkSendResult, FailedChunk, RejectedRecipient } from './sms.types';

export interface BulkRun {
  readonly recipients: Iterable<unknown> | AsyncIterable<unknown>;
  readonly maxConcurrency: number;
  readonly dedupe: 'chunk' | 'global';
  readonly summaryOnly: boolean;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: BulkProgress) => void;
  readonly onProgressError?: (error: unknown) => void;
  /** Drops opted-out numbers from each chunk before its request (one batched lookup per chunk). */
  readonly screen?: RecipientScreen;
  /** `localRejects`: the chunk's numbers the screen dropped, for the observers. */
  readonly sendChunk: (
    msisdns: readonly Msisdn[],
    signal: AbortSignal | undefined,
    localRejects: readonly RejectedRecipient[],
  ) => Promise<VendorSmsResponse>;
}

/**
 * One bulk send: reads the recipients lazily, cuts chunks of at most 500 unique valid numbers,
 * keeps at most `maxConcurrency` chunks in flight (so at most that many chunks are held in
 * memory, however long the input), and merges every chunk's answer. A failed chunk is recorded
 * with its numbers and error; the other chunks carry on — unless the error is about our account
 * (authentication failed, key suspended, credit exhausted…): then every later chunk would fail the
 * same way, so no further request is made, and the rest of the input is still read and reported
 * as failed chunks with `sent: false` (nothing lost, nothing silently dropped).
 *
 * When the caller's signal fires, reading stops at once (that is what aborting asks for), and
 * every number already read but not sent — the chunk being filled, chunks waiting for a slot — is
 * reported the same way, with a ThaiBulkSmsAbortedError. `entriesRead` says where reading
 * stopped, so the caller knows which part of the source was never looked at.
 */
export class BulkSender {
  private readonly accepted: AcceptedRecipient[] = [];
  private readonly rejected: RejectedRecipient[] = [];
  private readonly failedChunks: FailedChunk[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly globalSeen?: Set<Msisdn>;
  private chunk: Msisdn[] = [];
  private chunkSeen = new Set<Msisdn>();
  private chunks = 0;
  private chunksDone = 0;
  private recipientsDone = 0;
  private acceptedCount = 0;
  private rejectedCount = 0;
  private creditsUsed = 0;
  private creditsRemaining?: number;
  private fatal?: unknown;
  private stopError?: ThaiBulkSmsError;
  private abortError?: ThaiBulkSmsAbortedError;
  private notSentCount = 0;
  private entriesRead = 0;

  constructor(private readonly run: BulkRun) {
    if (run.dedupe === 'global') this.globalSeen = new Set();
  }

  async execute(): Promise<BulkSendResult & { readonly aborted: boolean }> {
    // Aborted before the start: not even one entry is taken from the source.
    if (!this.halted) await this.read(this.run.recipients);
    if (this.chunk.length > 0) await this.dispatch();
    await Promise.all(this.inFlight);
    // A programming error from a callback or the source, rethrown as it came.
    // eslint-disable-next-line @typescript-eslint/only-throw-error
    if (this.fatal !== undefined) throw this.fatal;
    const stoppedBy = this.stopCause;
    const aborted = this.run.signal?.aborted === true;
    return {
      accepted: this.accepted,
      rejected: this.rejected,
      acceptedCount: this.acceptedCount,
      rejectedCount: this.rejectedCount,
      failedChunks: this.failedChunks,
      chunks: this.chunks,
      creditsUsed: this.creditsUsed,
      creditsRemaining: this.creditsRemaining,
      aborted,
      ...(aborted && { entriesRead: this.entriesRead }),
      ...(stoppedBy && { stoppedBy, notSentCount: this.notSentCount }),
    };
  }

  private async read(recipients: Iterable<unknown> | AsyncIterable<unknown>): Promise<void> {
    if (typeof (recipients as Iterable<unknown>)[Symbol.iterator] === 'function') {
      // A plain loop for arrays and generators: `for await` would cost a microtask per number.
      for (const entry of recipients as Iterable<unknown>) {
        const wait = this.add(entry);
        if (wait) await wait;
        if (this.halted) return;
      }
      return;
    }
    for await (const entry of recipients as AsyncIterable<unknown>) {
      const wait = this.add(entry);
      if (wait) await wait;
      if (this.halted) return;
    }
  }

  /** Stop reading the input: a programming error or the caller's signal. */
  private get halted(): boolean {
    return this.fatal !== undefined || this.run.signal?.aborted === true;
  }

  /** Stop sending: halted, or an account error made every further request pointless. */
  private get stopped(): boolean {
    return this.halted || this.stopError !== undefined;
  }

  /** Why chunks are no longer sent: the account error first seen, else the caller's abort. */
  private get stopCause(): ThaiBulkSmsError | undefined {
    if (this.stopError) return this.stopError;
    if (this.run.signal?.aborted) return (this.abortError ??= ThaiBulkSmsAbortedError.beforeSending());
    return undefined;
  }

  /** Returns a promise only when a chunk had to wait for a free slot. */
  private add(entry: unknown): Promise<void> | undefined {
    this.entriesRead++;
    const msisdn = toMsisdn(entry);
    if (msisdn === undefined) {
      this.rejectedCount++;
      if (!this.run.summaryOnly) this.rejected.push({ phone: entryText(entry), reason: INVALID_PHONE_REASON });
      return undefined;
    }
    const seen = this.globalSeen ?? this.chunkSeen;
    if (seen.has(msisdn)) return undefined;
    seen.add(msisdn);
    this.chunk.push(msisdn);
    return this.chunk.length === MAX_RECIPIENTS_PER_REQUEST ? this.dispatch() : undefined;
  }

  private async dispatch(): Promise<void> {
    const chunk = this.chunk;
    this.chunk = [];
    if (!this.globalSeen) this.chunkSeen = new Set();
    // The opt-out lookup starts now, while the chunk waits for a slot, not on the request's path.
    const screening = this.run.screen && !this.stopped ? this.run.screen(chunk) : undefined;
    // Read in sendOne; a chunk cut off before it is sent never reads it.
    screening?.catch(() => undefined);
    while (!this.stopped && this.inFlight.size >= this.run.maxConcurrency) await Promise.race(this.inFlight);
    // A programming error rejects the whole call: there is no result to report the chunk in.
    if (this.fatal !== undefined) return;
    if (this.stopped) return this.notSent(this.chunks++, chunk, this.stopCause!);
    const index = this.chunks++;
    const task = this.sendOne(index, chunk, screening).finally(() => this.inFlight.delete(task));
    this.inFlight.add(task);
  }

  private async sendOne(index: number, chunk: Msisdn[], screening?: Promise<ScreenedRecipients>): Promise<void> {
    let requested = false;
    try {
      const { kept, optedOut } = screening ? await screening : { kept: chunk, optedOut: [] };
      if (optedOut.length) this.recordOptedOut(optedOut);
      if (kept.length) {
        requested = true;
        this.record(await this.run.sendChunk(kept, this.run.signal, optedOut));
      }
    } catch (error) {
      if (!(error instanceof ThaiBulkSmsError)) {
        this.fatal ??= error;
        return;
      }
      // The opt-out list could not be read (nothing was sent), or aborted while it waited for the
      // rate limiter or a backoff: provably never sent.
      if (!requested || (error instanceof ThaiBulkSmsAbortedError && !error.requestMayHaveArrived))
        this.notSent(index, chunk, error);
      else {
        // An answer that accounts for only part of the chunk: that part counts, the rest failed.
        const recipients = error instanceof ThaiBulkSmsUnconfirmedSendError ? this.recordPart(error) : chunk;
        this.failedChunks.push({ index, recipients, errorName: error.errorName, message: error.message, error });
      }
      if (error.category === 'account') this.stopError ??= error;
    }
    this.chunksDone++;
    this.recipientsDone += chunk.length;
    this.report();
  }

  /** A chunk never sent (cut after an account error or the caller's abort): reported with that error. */
  private notSent(index: number, chunk: Msisdn[], error: ThaiBulkSmsError): void {
    this.failedChunks.push({
      index,
      recipients: chunk,
      errorName: error.errorName,
      message: error.message,
      error,
      sent: false,
    });
    this.notSentCount += chunk.length;
  }

  private record(response: VendorSmsResponse): void {
    this.acceptedCount += response.phone_number_list.length;
    this.rejectedCount += response.bad_phone_number_list.length;
    this.creditsUsed += response.total_use_credit;
    if (this.creditsRemaining === undefined || response.remaining_credit < this.creditsRemaining) {
      this.creditsRemaining = response.remaining_credit;
    }
    if (this.run.summaryOnly) return;
    for (const item of acceptedOf(response)) this.accepted.push(item);
    for (const item of rejectedOf(response)) this.rejected.push(item);
  }

  /** What an answer did confirm before it failed to account for the rest; returns the rest. */
  private recordPart(error: ThaiBulkSmsUnconfirmedSendError): readonly Msisdn[] {
    this.acceptedCount += error.accepted.length;
    this.rejectedCount += error.rejected.length;
    this.creditsUsed += error.creditsUsed;
    if (!this.run.summaryOnly) {
      for (const item of error.accepted) this.accepted.push(item);
      for (const item of error.rejected) this.rejected.push(item);
    }
    return error.unconfirmed;
  }

  private recordOptedOut(optedOut: readonly RejectedRecipient[]): void {
    this.rejectedCount += optedOut.length;
    if (this.run.summaryOnly) return;
    for (const item of optedOut) this.rejected.push(item);
  }

  private report(): void {
    if (!this.run.onProgress) return;
    try {
      this.run.onProgress({
        chunksDone: this.chunksDone,
        chunksFailed: this.failedChunks.length,
        recipientsDone: this.recipientsDone,
      });
    } catch (error) {
      // A broken progress callback must not cost the caller the rest of the send.
      this.run.onProgressError?.(error);
    }
  }
}
