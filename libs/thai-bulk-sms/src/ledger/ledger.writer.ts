import { LedgerWriteTimeoutError } from '../errors/ledger.errors';
import { Logger } from '@nestjs/common';
import { LedgerStore } from './ledger.store';
import { LedgerStats, LedgerWrite } from './ledger.types';
import { batchesOf, GROUP_ROWS, LedgerWriteQueue, MessagesWrite } from './ledger.write-queue';
import { describe, forgetInBuffer, idsOf, isRefused, rowsOf } from './ledger.write-rules';

export interface LedgerWriterSettings {
  readonly bufferSize: number;
  readonly writeTimeoutMs: number;
  readonly retryIntervalMs: number;
}

/**
 * Writes the ledger's rows so that sending never waits on a sick database for long. While the
 * store answers, a write is awaited (the send resolves after its rows are stored); message rows
 * that arrive while earlier ones are being written wait and go together in one statement (see
 * LedgerWriteQueue). A write that fails or outlasts `writeTimeoutMs` goes to a bounded in-memory
 * buffer, and so does every write after it until the buffer has drained, in order, in the
 * background (writes are idempotent, so a timed-out write that landed after all is not stored
 * twice). A write that does not fit in the buffer is dropped, logged with its message ids and
 * counted.
 */
export class LedgerWriter {
  private readonly buffer: LedgerWrite[] = [];
  private bufferedRows = 0;
  private overflowed = 0;
  private failedWrites = 0;
  private refusedWrites = 0;
  private unknownReports = 0;
  private overflowing = false;
  private draining?: Promise<void>;
  private retryTimer?: ReturnType<typeof setTimeout>;
  private stopped = false;
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly queue = new LedgerWriteQueue((group) => this.writeGroup(group));

  constructor(
    private readonly store: LedgerStore,
    private readonly settings: LedgerWriterSettings,
    private readonly logger: Logger,
  ) {}

  stats(): LedgerStats {
    const state = this.overflowing ? 'down' : this.buffer.length > 0 ? 'buffering' : 'up';
    return {
      state,
      buffered: this.bufferedRows,
      overflowed: this.overflowed,
      failedWrites: this.failedWrites,
      refusedWrites: this.refusedWrites,
      unknownReports: this.unknownReports,
    };
  }

  /** Stores a write, or buffers it; never rejects. */
  async record(write: LedgerWrite): Promise<void> {
    if (this.stopped) {
      // A send that finished after the ledger shut down: nowhere to write it, so say so.
      this.overflowed += rowsOf(write);
      this.logger.error(`ledger already stopped: dropped ${idsOf(write)}`);
      return;
    }
    if (this.buffer.length > 0) {
      this.enqueue(write);
      return;
    }
    if (write.kind === 'messages') return this.queue.add(write);
    await this.recordOne(write);
  }

  /** Waits for the message writes under way, then tries to write the whole buffer; true when nothing is left in it. */
  async flush(): Promise<boolean> {
    await this.queue.whenIdle();
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.draining ??= this.drain().finally(() => (this.draining = undefined));
    await this.draining;
    return this.buffer.length === 0;
  }

  /** Drops the rows of a number not yet written (an erasure); answers how many message and OTP rows went. */
  forget(msisdn: string): { messages: number; otps: number } {
    const waiting = this.queue.forget(msisdn);
    const buffered = forgetInBuffer(this.buffer, msisdn);
    this.bufferedRows -= buffered.rows;
    return { messages: waiting + buffered.messages, otps: buffered.otps };
  }

  /** Resolves once every write now under way has settled (an erasure waits for them, then deletes). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  /** Stops retrying; one last attempt to write what is buffered (what still fails is logged). */
  async stop(): Promise<void> {
    await this.flush();
    this.stopped = true;
    clearTimeout(this.retryTimer);
    if (this.buffer.length > 0) {
      this.logger.error(
        `ledger stopped with ${this.bufferedRows} row(s) not written: ${this.buffer.map(idsOf).join('; ')}`,
      );
    }
  }

  private async recordOne(write: LedgerWrite): Promise<void> {
    try {
      await this.attempt(() => this.store.write(write));
    } catch (error) {
      if (isRefused(error)) return this.refuse(write, error);
      this.fail(error, [write]);
    }
  }

  /** A group of message writes from the queue: one statement, or the buffer. Never rejects. */
  private async writeGroup(group: readonly MessagesWrite[]): Promise<void> {
    // The database stopped answering while these waited: they join the buffer, in order.
    if (this.buffer.length > 0) {
      for (const write of group) this.enqueue(write);
      return;
    }
    try {
      await this.attempt(() => this.store.writeMessages(batchesOf(group)));
    } catch (error) {
      if (!isRefused(error)) return this.fail(error, group);
      if (group.length === 1) return this.refuse(group[0], error);
      // One request's rows were refused: write them one by one, so only that one is dropped.
      for (const write of group) {
        if (this.buffer.length > 0) this.enqueue(write);
        else await this.recordOne(write);
      }
    }
  }

  private async attempt(write: () => Promise<{ readonly unknownReports: number }>): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const written = write();
    this.inFlight.add(written);
    void written.then(
      () => this.inFlight.delete(written),
      () => this.inFlight.delete(written),
    );
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new LedgerWriteTimeoutError(this.settings.writeTimeoutMs)),
        this.settings.writeTimeoutMs,
      );
    });
    try {
      const { unknownReports } = await Promise.race([written, timeout]);
      this.unknownReports += unknownReports;
    } finally {
      clearTimeout(timer);
      // A write that lost the race may still settle; its outcome no longer matters.
      written.catch(() => undefined);
    }
  }

  /** A write the database did not take: it, and every message write waiting behind it, to the buffer. */
  private fail(error: unknown, writes: readonly LedgerWrite[]): void {
    this.failedWrites++;
    this.logger.warn(`ledger write failed (${describe(error)}); buffering until the database answers`);
    for (const write of writes) this.enqueue(write);
    for (const waiting of this.queue.takeAll()) {
      this.enqueue(waiting.write);
      waiting.done();
    }
    this.scheduleRetry();
  }

  private refuse(write: LedgerWrite, error: unknown): void {
    this.refusedWrites += rowsOf(write);
    this.logger.error(`ledger write refused by the database (${describe(error)}): dropped ${idsOf(write)}`);
  }

  private enqueue(write: LedgerWrite): void {
    const rows = rowsOf(write);
    if (this.bufferedRows + rows > this.settings.bufferSize) {
      this.overflowed += rows;
      this.overflowing = true;
      this.logger.error(
        `ledger buffer full (${this.bufferedRows} of ${this.settings.bufferSize} rows): dropped ${rows} row(s), ${idsOf(write)}`,
      );
      return;
    }
    this.buffer.push(write);
    this.bufferedRows += rows;
  }

  private scheduleRetry(): void {
    if (this.stopped || this.retryTimer || this.draining) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.flush().then((empty) => {
        if (!empty) this.scheduleRetry();
      });
    }, this.settings.retryIntervalMs);
    this.retryTimer.unref?.();
  }

  /** Writes the buffer in order, message writes at its head together; stops at the first failure. */
  private async drain(): Promise<void> {
    const before = this.bufferedRows;
    // After a refused group: that many writes one by one, to find the refused one.
    let alone = 0;
    while (this.buffer.length > 0) {
      const head = alone > 0 ? [this.buffer[0]] : this.headGroup();
      try {
        await this.attempt(() =>
          head.length === 1 ? this.store.write(head[0]) : this.store.writeMessages(batchesOf(head as MessagesWrite[])),
        );
      } catch (error) {
        if (!isRefused(error)) return;
        if (head.length > 1) {
          alone = head.length;
          continue;
        }
        this.refuse(head[0], error);
      }
      if (alone > 0) alone--;
      // An erasure may have trimmed or removed one of them while it was being written.
      for (const write of head) {
        const at = this.buffer.indexOf(write);
        if (at < 0) continue;
        this.buffer.splice(at, 1);
        this.bufferedRows -= rowsOf(write);
      }
    }
    this.overflowing = false;
    if (before > 0) this.logger.log(`ledger database answers again: ${before} buffered row(s) written`);
  }

  /** The message writes at the head of the buffer, up to GROUP_ROWS rows; else the head alone. */
  private headGroup(): LedgerWrite[] {
    let rows = 0;
    let count = 0;
    for (const write of this.buffer) {
      if (write.kind !== 'messages') break;
      if (count > 0 && rows + rowsOf(write) > GROUP_ROWS) break;
      rows += rowsOf(write);
      count++;
    }
    return this.buffer.slice(0, Math.max(count, 1));
  }
}
