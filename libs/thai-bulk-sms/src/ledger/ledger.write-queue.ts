import { rowCount, withoutPhone } from './ledger.packed-batch';
import { LedgerMessageBatch, LedgerWrite } from './ledger.types';

/** Rows per statement when requests are written together: big enough to share the statement, short enough to answer well within a write timeout. */
export const GROUP_ROWS = 5_000;
/** Statements of message rows under way at once: beside each other they keep the database busy, more only queue in it. */
export const GROUP_LANES = 2;

export type MessagesWrite = Extract<LedgerWrite, { kind: 'messages' }>;

export interface WaitingWrite {
  write: MessagesWrite;
  readonly done: () => void;
}

/**
 * The message writes waiting for a statement (group commit): a write that arrives while the
 * lanes are busy waits here, and the next free lane writes every write waiting, up to GROUP_ROWS
 * rows, in one statement. A write that finds a lane free goes at once, alone: waiting costs a
 * lone `send` nothing. `run` is the writer's: it writes a group (or buffers it) and never rejects.
 */
export class LedgerWriteQueue {
  private readonly waiting: WaitingWrite[] = [];
  private busy = 0;
  private idle?: { promise: Promise<void>; resolve: () => void };

  constructor(private readonly run: (group: readonly MessagesWrite[]) => Promise<void>) {}

  /** Resolves once the write has been written, buffered, refused or dropped. */
  add(write: MessagesWrite): Promise<void> {
    return new Promise<void>((done) => {
      this.waiting.push({ write, done });
      this.pump();
    });
  }

  /** Takes every write still waiting (to buffer them when the database stops answering). */
  takeAll(): WaitingWrite[] {
    return this.waiting.splice(0);
  }

  /** Drops the rows of a number from the writes not yet started (an erasure); answers how many went. */
  forget(msisdn: string): number {
    let gone = 0;
    for (let i = this.waiting.length - 1; i >= 0; i--) {
      const entry = this.waiting[i];
      const { batch } = entry.write;
      const kept = withoutPhone(batch, msisdn);
      if (kept === batch) continue;
      gone += rowCount(batch) - (kept ? rowCount(kept) : 0);
      if (kept) entry.write = { kind: 'messages', batch: kept };
      else {
        this.waiting.splice(i, 1);
        entry.done();
      }
    }
    return gone;
  }

  /** Resolves once no write waits and no group is under way. */
  whenIdle(): Promise<void> {
    if (this.busy === 0 && this.waiting.length === 0) return Promise.resolve();
    if (!this.idle) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.idle = { promise, resolve };
    }
    return this.idle.promise;
  }

  private pump(): void {
    while (this.busy < GROUP_LANES && this.waiting.length > 0) {
      const group = this.next();
      this.busy++;
      void this.run(group.map((entry) => entry.write)).finally(() => {
        for (const entry of group) entry.done();
        this.busy--;
        this.pump();
        if (this.busy === 0 && this.waiting.length === 0 && this.idle) {
          this.idle.resolve();
          this.idle = undefined;
        }
      });
    }
  }

  /** The oldest waiting writes, up to GROUP_ROWS rows (at least one write). */
  private next(): WaitingWrite[] {
    let rows = 0;
    let count = 0;
    while (count < this.waiting.length) {
      const size = rowCount(this.waiting[count].write.batch);
      if (count > 0 && rows + size > GROUP_ROWS) break;
      rows += size;
      count++;
    }
    return this.waiting.splice(0, count);
  }
}

export function batchesOf(group: readonly MessagesWrite[]): LedgerMessageBatch[] {
  return group.map((write) => write.batch);
}
