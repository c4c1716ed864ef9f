import { Injectable } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';
import { Clock } from '../common/clock';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

interface Entry {
  hits: number;
  windowEndsAt: number;
  blockedUntil: number;
}

/**
 * In-memory fixed-window storage for @nestjs/throttler that reads time from the app's Clock, so
 * tests move time instead of sleeping. Single-process only: behind several instances, use a
 * shared storage (Redis) instead.
 */
@Injectable()
export class ClockThrottlerStorage implements ThrottlerStorage {
  private readonly entries = new Map<string, Entry>();
  private calls = 0;

  constructor(private readonly clock: Clock) {}

  async increment(
    key: string,
    ttlMs: number,
    limit: number,
    blockDurationMs: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    const now = this.clock.now();
    if (++this.calls % 1000 === 0) this.sweep(now);
    const id = `${throttlerName}:${key}`;
    let entry = this.entries.get(id);
    if (entry && entry.blockedUntil > now) {
      return {
        totalHits: entry.hits,
        timeToExpire: seconds(entry.windowEndsAt - now),
        isBlocked: true,
        timeToBlockExpire: seconds(entry.blockedUntil - now),
      };
    }
    if (!entry || entry.windowEndsAt <= now) {
      entry = { hits: 0, windowEndsAt: now + ttlMs, blockedUntil: 0 };
      this.entries.set(id, entry);
    }
    entry.hits += 1;
    if (entry.hits > limit) {
      // Blocked until the later of the window's end and the block duration: a cap "per day"
      // must not reopen before the day is over.
      entry.blockedUntil = Math.max(entry.windowEndsAt, now + blockDurationMs);
      return {
        totalHits: entry.hits,
        timeToExpire: seconds(entry.windowEndsAt - now),
        isBlocked: true,
        timeToBlockExpire: seconds(entry.blockedUntil - now),
      };
    }
    return {
      totalHits: entry.hits,
      timeToExpire: seconds(entry.windowEndsAt - now),
      isBlocked: false,
      timeToBlockExpire: 0,
    };
  }

  /** Number of live entries (for tests and memory checks). */
  get size(): number {
    return this.entries.size;
  }

  private sweep(now: number): void {
    for (const [id, e] of this.entries) if (e.windowEndsAt <= now && e.blockedUntil <= now) this.entries.delete(id);
  }
}

const seconds = (ms: number): number => Math.max(1, Math.ceil(ms / 1000));
