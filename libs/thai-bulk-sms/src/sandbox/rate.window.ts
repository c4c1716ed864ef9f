import { SANDBOX_WINDOW_HISTORY_LIMIT } from './sandbox.constants';
import { SandboxClock } from './sandbox.types';

export interface OverLimitWindow {
  readonly second: number;
  count: number;
}

/**
 * Counts API requests per wall-clock second (`Math.floor(now / 1000)` of the sandbox clock) and
 * remembers every second that went over the limit, so a test can prove the client never did.
 */
export class RateWindow {
  private second = Number.NaN;
  private count = 0;
  private current: OverLimitWindow | undefined;
  private readonly over: OverLimitWindow[] = [];
  private rejected = 0;

  constructor(
    private readonly maxTps: number,
    private readonly clock: SandboxClock,
  ) {}

  /** Counts one arrival; true when it is over the limit and must be refused. */
  arrive(): boolean {
    const second = Math.floor(this.clock.now() / 1000);
    if (second !== this.second) {
      this.second = second;
      this.count = 0;
      this.current = undefined;
    }
    this.count++;
    if (this.maxTps <= 0 || this.count <= this.maxTps) return false;
    if (this.current === undefined) {
      this.current = { second, count: this.count };
      this.over.push(this.current);
      if (this.over.length > SANDBOX_WINDOW_HISTORY_LIMIT) this.over.shift();
    } else {
      this.current.count = this.count;
    }
    this.rejected++;
    return true;
  }

  windowsOverLimit(): { second: number; count: number }[] {
    return this.over.map((w) => ({ second: w.second, count: w.count }));
  }

  get rejectedOverLimit(): number {
    return this.rejected;
  }

  reset(): void {
    this.second = Number.NaN;
    this.count = 0;
    this.current = undefined;
    this.over.length = 0;
    this.rejected = 0;
  }
}
