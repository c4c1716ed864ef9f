/**
 * The observer calls of one bulk send's chunks. A chunk hands its call over and frees its
 * concurrency slot, so the next request need not wait for an observer's write; at most `limit`
 * calls run at once (past it, the chunk that would add one waits for room, holding its slot: the
 * observers set the pace when they are slower than ThaiBulkSMS). `settled()` is what `sendBulk`
 * awaits before it resolves, so every observer has finished by then (read your writes).
 */
export class BulkObservations {
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly limit: number) {}

  /** Takes one observer call (the dispatcher's promise never rejects); resolves when there is room for another. */
  async add(observed: Promise<void>): Promise<void> {
    const tracked = observed.finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
    while (this.pending.size > this.limit) await Promise.race(this.pending);
  }

  /** Resolves once every call taken so far has finished. */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all(this.pending);
  }
}
