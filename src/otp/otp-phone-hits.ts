import { Logger } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';
import { isOtpThrottlerStorage } from './otp-throttler.storage';

/** One hit the phone throttlers counted for a request: what a refund must name. */
export interface CountedPhoneHit {
  readonly key: string;
  readonly throttlerName: string;
  readonly windowEndsAt: number;
}

// On the request object itself: the hits belong to that one request and die with it.
const HITS = Symbol('otpPhoneHits');
type WithHits = { [HITS]?: CountedPhoneHit[] };

export function rememberPhoneHit(req: object, hit: CountedPhoneHit): void {
  const holder = req as WithHits;
  (holder[HITS] ??= []).push(hit);
}

/**
 * Takes back every phone hit counted for `req` (once: they are forgotten), so a request that was
 * refused, or whose OTP provably never reached the vendor, leaves the phone's cooldown and daily
 * cap as they were. A refund that fails is logged, not thrown: the caller's own answer matters more.
 */
export async function refundPhoneHits(storage: ThrottlerStorage, req: object): Promise<void> {
  const holder = req as WithHits;
  const hits = holder[HITS];
  holder[HITS] = undefined;
  if (!hits?.length || !isOtpThrottlerStorage(storage)) return;
  try {
    await Promise.all(hits.map((hit) => storage.refund(hit.key, hit.throttlerName, hit.windowEndsAt)));
  } catch (error) {
    new Logger('OtpThrottler').warn({
      msg: 'Could not take back a phone hit',
      error: error instanceof Error ? error.name : typeof error,
    });
  }
}
