import { ThrottlerStorage } from '@nestjs/throttler';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** One hit's answer, plus which window it was counted in (what a refund names). */
export interface OtpThrottlerRecord extends ThrottlerStorageRecord {
  /** When the window this hit was counted in ends, on the app's Clock (ms). */
  readonly windowEndsAt: number;
}

/**
 * The OTP routes' throttler storage (in memory or in Redis), a fixed-window counter with two
 * rules of its own on top of @nestjs/throttler's interface:
 *
 * - a refused hit is not counted and never moves a block later: a block runs from the window's
 *   start (to the later of the window's end and start + blockDuration), so nobody can stretch
 *   another caller's cooldown by asking again near its end;
 * - `refund` takes a counted hit back, for an OTP that provably never reached the vendor.
 */
export interface OtpThrottlerStorage extends ThrottlerStorage {
  increment(
    key: string,
    ttlMs: number,
    limit: number,
    blockDurationMs: number,
    throttlerName: string,
  ): Promise<OtpThrottlerRecord>;

  /**
   * Takes back one hit counted in the window that ends at `windowEndsAt`, and lifts the block
   * that window's full count caused. A window that is over (a later one is counting) is left
   * alone, and the count never goes below zero.
   */
  refund(key: string, throttlerName: string, windowEndsAt: number): Promise<void>;
}

export function isOtpThrottlerStorage(storage: ThrottlerStorage): storage is OtpThrottlerStorage {
  return typeof (storage as Partial<OtpThrottlerStorage>).refund === 'function';
}

/** Seconds for @nestjs/throttler's record fields: at least 1, rounded up. */
export const seconds = (ms: number): number => Math.max(1, Math.ceil(ms / 1000));
