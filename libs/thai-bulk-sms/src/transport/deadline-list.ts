/** One exchange's total deadline, as a DeadlineList links it. */
export interface DeadlineEntry {
  /** performance.now() at which the deadline passes. */
  readonly due: number;
  prev: DeadlineEntry | undefined;
  next: DeadlineEntry | undefined;
  linked: boolean;
  /** Called once when the deadline passes while the entry is still linked. */
  onDeadline(): void;
}

/** setTimeout's longest delay; a later deadline is reached by re-arming. */
const MAX_TIMER_MS = 0x7fffffff;

/**
 * The deadlines in flight that share one timeout, oldest first, under one timer for the oldest.
 * Why: a timer (or an `AbortSignal.timeout`) per exchange costs a measurable share of a send, and
 * linking an entry in and out costs next to nothing (bench/RESULTS.md, "Deadlines").
 *
 * Every entry is due `timeoutMs` after it started, so appending keeps the list in due order. When
 * the timer fires it ends every entry that has passed and re-arms for the next one (a head that
 * finished in the meantime only makes it fire early, once). The timer keeps the process alive
 * while the list holds an exchange, as a timer per exchange would, and not after.
 */
export class DeadlineList {
  private head: DeadlineEntry | undefined;
  private tail: DeadlineEntry | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(readonly timeoutMs: number) {}

  add(entry: DeadlineEntry): void {
    const wasEmpty = this.head === undefined;
    entry.prev = this.tail;
    if (this.tail) this.tail.next = entry;
    else this.head = entry;
    this.tail = entry;
    entry.linked = true;
    if (!this.timer) this.arm(entry.due);
    else if (wasEmpty) this.timer.ref();
  }

  remove(entry: DeadlineEntry): void {
    if (!entry.linked) return;
    entry.linked = false;
    const { prev, next } = entry;
    if (prev) prev.next = next;
    else this.head = next;
    if (next) next.prev = prev;
    else this.tail = prev;
    entry.prev = entry.next = undefined;
    if (this.head === undefined) this.timer?.unref();
  }

  fire(): void {
    this.timer = undefined;
    const now = performance.now();
    for (let head = this.head; head && head.due <= now; head = this.head) {
      this.remove(head);
      head.onDeadline();
    }
    if (this.head) this.arm(this.head.due);
  }

  private arm(due: number): void {
    this.timer = setTimeout(
      onDeadlineTimer,
      Math.min(MAX_TIMER_MS, Math.max(1, Math.ceil(due - performance.now()))),
      this,
    );
  }
}

/** One list per timeout, as a transport keeps them: the client uses one or two timeouts. */
export class DeadlineLists {
  private readonly lists = new Map<number, DeadlineList>();

  forTimeout(timeoutMs: number): DeadlineList {
    let list = this.lists.get(timeoutMs);
    if (!list) this.lists.set(timeoutMs, (list = new DeadlineList(timeoutMs)));
    return list;
  }
}

function onDeadlineTimer(list: DeadlineList): void {
  list.fire();
}
