/**
 * A ring of the newest `limit` items: the sandbox runs under benchmarks, so what it keeps for
 * inspection must not grow with the traffic.
 */
export class BoundedHistory<T> {
  private items: (T | undefined)[] = [];
  private start = 0;
  private count = 0;

  constructor(
    private readonly limit: number,
    private readonly onEvict?: (item: T) => void,
  ) {}

  get size(): number {
    return this.count;
  }

  push(item: T): void {
    if (this.limit <= 0) {
      this.onEvict?.(item);
      return;
    }
    if (this.count < this.limit) {
      this.items[(this.start + this.count) % this.limit] = item;
      this.count++;
      return;
    }
    const evicted = this.items[this.start] as T;
    this.items[this.start] = item;
    this.start = (this.start + 1) % this.limit;
    this.onEvict?.(evicted);
  }

  last(): T | undefined {
    return this.count === 0 ? undefined : this.items[(this.start + this.count - 1) % this.limit];
  }

  /** Oldest first. */
  toArray(): T[] {
    const out = new Array<T>(this.count);
    for (let i = 0; i < this.count; i++) out[i] = this.items[(this.start + i) % this.limit] as T;
    return out;
  }

  clear(): void {
    this.items = [];
    this.start = 0;
    this.count = 0;
  }
}
