import { LedgerWriteTimeoutError } from '../errors/ledger.errors';
import { Logger } from '@nestjs/common';
import { LedgerStore } from './ledger.store';
import { LedgerStats, LedgerWrite } from './ledger.types';

export interface LedgerWriterSettings {
  readonly bufferSize: number;
  readonly writeTimeoutMs: number;
  readonly retryIntervalMs: number;
}

/** How many rows a write holds, for the buffer's bound. */
function rowsOf(write: LedgerWrite): number {
  return write.kind === 'messages' ? write.batch.recipients.length : 1;
}

/** The message ids of a write, for the log line of a write that overflowed (never phones or text). */
function idsOf(write: LedgerWrite): string {
  if (write.kind === 'messages') {
    const ids = write.batch.recipients.map((row) => row.messageId ?? `(no id: ${row.status})`);
    return `message ids ${ids.join(',')}`;
  }
  if (write.kind === 'report') return `a delivery report for message id ${write.report.messageId ?? '(none)'}`;
  return write.kind === 'otp-request' ? 'an OTP request' : 'an OTP verify';
}

/** The phone a write is about, so an erasure can drop it from the buffer too. */
function phonesOf(write: LedgerWrite): readonly string[] {
  if (write.kind === 'messages') return write.batch.recipients.map((row) => row.phone);
  if (write.kind === 'report') return write.report.phone ? [write.report.phone] : [];
  return write.kind === 'otp-request' ? [write.otp.phone] : [];
}

/**
 * A write the database refused for what it holds (SQLSTATE class 22 data exception, 23 integrity
 * violation, 42 syntax or undefined object): writing it again would fail again and hold up every
 * write behind it, so it is dropped, logged and counted instead of buffered.
 */
function isRefused(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && /^(22|23|42)[0-9A-Z]{3}$/.test(code);
}

/**
 * Writes the ledger's rows so that sending never waits on a sick database for long. While the
 * store answers, a write is awaited (the send resolves after its rows are stored). A write that
 * fails or outlasts `writeTimeoutMs` goes to a bounded in-memory buffer, and so does every write
 * after it until the buffer has drained, in order, in the background (writes are idempotent, so
 * a timed-out write that landed after all is not stored twice). A write that does not fit in the
 * buffer is dropped, logged with its message ids and counted.
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
    try {
      await this.attempt(write);
    } catch (error) {
      if (isRefused(error)) return this.refuse(write, error);
      this.failedWrites++;
      this.logger.warn(`ledger write failed (${describe(error)}); buffering until the database answers`);
      this.enqueue(write);
      this.scheduleRetry();
    }
  }

  /** Tries to write the whole buffer now; resolves true when nothing is left in it. */
  async flush(): Promise<boolean> {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.draining ??= this.drain().finally(() => (this.draining = undefined));
    await this.draining;
    return this.buffer.length === 0;
  }

  /** Drops the buffered rows of a number (an erasure); answers how many message and OTP rows went. */
  forget(msisdn: string): { messages: number; otps: number } {
    let messages = 0;
    let otps = 0;
    for (let i = this.buffer.length - 1; i >= 0; i--) {
      const write = this.buffer[i];
      if (write.kind === 'messages') {
        const kept = write.batch.recipients.filter((row) => row.phone !== msisdn);
        const gone = write.batch.recipients.length - kept.length;
        if (gone === 0) continue;
        messages += gone;
        this.bufferedRows -= gone;
        if (kept.length) this.buffer[i] = { kind: 'messages', batch: { ...write.batch, recipients: kept } };
        else this.buffer.splice(i, 1);
      } else if (phonesOf(write).includes(msisdn)) {
        if (write.kind === 'otp-request') otps++;
        this.bufferedRows -= rowsOf(write);
        this.buffer.splice(i, 1);
      }
    }
    return { messages, otps };
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

  private async attempt(write: LedgerWrite): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const written = this.store.write(write);
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

  private async drain(): Promise<void> {
    const before = this.bufferedRows;
    while (this.buffer.length > 0) {
      const write = this.buffer[0];
      try {
        await this.attempt(write);
      } catch (error) {
        if (!isRefused(error)) return;
        this.refuse(write, error);
      }
      // An erasure may have trimmed or removed the head while it was being written.
      if (this.buffer[0] === write) {
        this.buffer.shift();
        this.bufferedRows -= rowsOf(write);
      }
    }
    this.overflowing = false;
    if (before > 0) this.logger.log(`ledger database answers again: ${before} buffered row(s) written`);
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) return (error as { code?: string }).code ?? error.name;
  return typeof error;
}
