import { Injectable } from '@nestjs/common';
import { ThaiBulkSmsClock } from '@app/thai-bulk-sms';
import { OtpThrottlerRecord, OtpThrottlerStorage, seconds } from './otp-throttler.storage';

interface Entry {
  hits: number;
  windowEndsAt: number;
  blockedUntil: number;
}

/**
 * In-memory fixed-window storage for @nestjs/throttler that reads time from the app's clock
 * (ThaiBulkSmsClock), so tests move time instead of sleeping. Single-process only: behind several instances, use a
 * shared storage (Redis) instead. Rules in OtpThrottlerStorage.
 */
@Injectable()
export class ClockThrottlerStorage implements OtpThrottlerStorage {
  private readonly entries = new Map<string, Entry>();
  private calls = 0;

  constructor(private readonly clock: ThaiBulkSmsClock) {}

  async increment(
    key: string,
    ttlMs: number,
    limit: number,
    blockDurationMs: number,
    throttlerName: string,
  ): Promise<OtpThrottlerRecord> {
    const now = this.clock.now();
    if (++this.calls % 1000 === 0) this.sweep(now);
    const id = `${throttlerName}:${key}`;
    let entry = this.entries.get(id);
    if (entry && entry.blockedUntil > now) return refused(entry, now);
    if (!entry || entry.windowEndsAt <= now) {
      entry = { hits: 0, windowEndsAt: now + ttlMs, blockedUntil: 0 };
      this.entries.set(id, entry);
    }
    if (entry.hits >= limit) {
      // From the window's start, never from now: a cap "per day" stays closed until the day is
      // over, and a refusal near the end of a cooldown does not stretch it.
      entry.blockedUntil = Math.max(entry.windowEndsAt, entry.windowEndsAt - ttlMs + blockDurationMs);
      return refused(entry, now);
    }
    entry.hits += 1;
    return {
      totalHits: entry.hits,
      timeToExpire: seconds(entry.windowEndsAt - now),
      isBlocked: false,
      timeToBlockExpire: 0,
      windowEndsAt: entry.windowEndsAt,
    };
  }

  async refund(key: string, throttlerName: string, windowEndsAt: number): Promise<void> {
    const entry = this.entries.get(`${throttlerName}:${key}`);
    if (!entry || entry.windowEndsAt !== windowEndsAt || entry.hits === 0) return;
    entry.hits -= 1;
    entry.blockedUntil = 0;
  }

  /** Number of live entries (for tests and memory checks). */
  get size(): number {
    return this.entries.size;
  }

  private sweep(now: number): void {
    for (const [id, e] of this.entries) if (e.windowEndsAt <= now && e.blockedUntil <= now) this.entries.delete(id);
  }
}

/** A refused hit's answer; it is not counted. */
function refused(entry: Entry, now: number): OtpThrottlerRecord {
  return {
    totalHits: entry.hits + 1,
    timeToExpire: seconds(entry.windowEndsAt - now),
    isBlocked: true,
    timeToBlockExpire: seconds(entry.blockedUntil - now),
    windowEndsAt: entry.windowEndsAt,
  };
}
