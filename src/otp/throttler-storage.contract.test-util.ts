import { ThrottlerStorage } from '@nestjs/throttler';
import { Clock } from '../common/clock';

/** A clock the storage contract moves by hand. */
export class ManualClock extends Clock {
  t = 1_000_000;
  now(): number {
    return this.t;
  }
}

/**
 * The behaviour every OTP throttler storage must share (in memory and in Redis), so an app that
 * moves its limits to Redis keeps exactly the same answers. Call inside a describe.
 */
export function throttlerStorageContract(setup: () => { clock: ManualClock; storage: ThrottlerStorage }): void {
  it('counts hits in a fixed window and blocks above the limit until the window and block are over', async () => {
    const { clock, storage } = setup();
    expect(await storage.increment('k', 60_000, 2, 60_000, 'n')).toMatchObject({
      totalHits: 1,
      isBlocked: false,
      timeToExpire: 60,
      timeToBlockExpire: 0,
    });
    expect(await storage.increment('k', 60_000, 2, 60_000, 'n')).toMatchObject({ totalHits: 2, isBlocked: false });
    expect(await storage.increment('k', 60_000, 2, 60_000, 'n')).toMatchObject({
      isBlocked: true,
      timeToBlockExpire: 60,
    });
    clock.t += 30_000;
    // Hits while blocked do not extend the block.
    expect(await storage.increment('k', 60_000, 2, 60_000, 'n')).toMatchObject({
      isBlocked: true,
      timeToBlockExpire: 30,
    });
    clock.t += 29_000;
    expect(await storage.increment('k', 60_000, 2, 60_000, 'n')).toMatchObject({
      isBlocked: true,
      timeToBlockExpire: 1,
    });
    clock.t += 1_000;
    expect(await storage.increment('k', 60_000, 2, 60_000, 'n')).toMatchObject({ totalHits: 1, isBlocked: false });
  });

  it('a daily cap stays closed until the day is over, whatever the block duration', async () => {
    const { clock, storage } = setup();
    const DAY = 86_400_000;
    await storage.increment('p', DAY, 1, 1_000, 'daily');
    clock.t += 1_000;
    const blocked = await storage.increment('p', DAY, 1, 1_000, 'daily');
    expect(blocked.isBlocked).toBe(true);
    expect(blocked.timeToBlockExpire).toBe(DAY / 1000 - 1);
  });

  it('a block longer than the window holds past the window', async () => {
    const { clock, storage } = setup();
    await storage.increment('b', 1_000, 1, 10_000, 'n');
    expect(await storage.increment('b', 1_000, 1, 10_000, 'n')).toMatchObject({
      isBlocked: true,
      timeToBlockExpire: 10,
    });
    clock.t += 5_000;
    expect(await storage.increment('b', 1_000, 1, 10_000, 'n')).toMatchObject({
      isBlocked: true,
      timeToBlockExpire: 5,
    });
    clock.t += 5_000;
    expect(await storage.increment('b', 1_000, 1, 10_000, 'n')).toMatchObject({ isBlocked: false, totalHits: 1 });
  });

  it('keeps keys and throttler names apart', async () => {
    const { storage } = setup();
    await storage.increment('a', 1_000, 1, 1_000, 'x');
    expect((await storage.increment('b', 1_000, 1, 1_000, 'x')).isBlocked).toBe(false);
    expect((await storage.increment('a', 1_000, 1, 1_000, 'y')).isBlocked).toBe(false);
    expect((await storage.increment('a', 1_000, 1, 1_000, 'x')).isBlocked).toBe(true);
  });
}
