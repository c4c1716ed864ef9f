/** Thailand keeps one offset all year (no daylight saving): Bangkok time is UTC+07:00. */
const BANGKOK_OFFSET_MS = 7 * 3_600_000;
const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
const CLOCK_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** `HH:mm` (24-hour) as minutes after midnight, or undefined when it is not such a time. */
export function minutesOf(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = CLOCK_TIME.exec(value);
  return match ? Number(match[1]) * 60 + Number(match[2]) : undefined;
}

/**
 * The daily window in which marketing may be sent, in Bangkok wall time: from `start` (included)
 * to `end` (excluded), every day. 09:00–21:00 means 09:00:00.000 is open and 21:00:00.000 closed.
 */
export class MarketingHours {
  private readonly startMs: number;
  private readonly endMs: number;

  constructor(
    readonly start: string,
    readonly end: string,
  ) {
    const from = minutesOf(start);
    const to = minutesOf(end);
    if (from === undefined || to === undefined || from >= to)
      throw new RangeError(`marketing hours must be two HH:mm times, start before end (got ${start}-${end})`);
    this.startMs = from * MINUTE_MS;
    this.endMs = to * MINUTE_MS;
  }

  /** `09:00-21:00`, as messages and logs show it. */
  get window(): string {
    return `${this.start}-${this.end}`;
  }

  isOpen(instantMs: number): boolean {
    const wall = this.wallTimeOfDay(instantMs);
    return wall >= this.startMs && wall < this.endMs;
  }

  /** The first open instant at or after `instantMs`. */
  nextOpening(instantMs: number): number {
    const wall = this.wallTimeOfDay(instantMs);
    if (wall >= this.startMs && wall < this.endMs) return instantMs;
    const midnight = instantMs - wall;
    return midnight + this.startMs + (wall >= this.endMs ? DAY_MS : 0);
  }

  /** Milliseconds since the last Bangkok midnight. */
  private wallTimeOfDay(instantMs: number): number {
    const wall = (instantMs + BANGKOK_OFFSET_MS) % DAY_MS;
    return wall < 0 ? wall + DAY_MS : wall;
  }
}
