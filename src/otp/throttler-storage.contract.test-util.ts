import { SystemClock } from '@app/thai-bulk-sms/helpers';
import { OtpThrottlerStorage } from './otp-throttler.storage';

/** A clock the storage contract moves by hand (the storages read only `now`). */
export class ManualClock extends SystemClock {
  t = 1_000_000;
  override now(): number {
    return this.t;
  }
}

type ContractSetup = () => { clock: ManualClock; storage: OtpThrottlerStorage };

/**
 * The behaviour every OTP throttler storage must share (in memory and in Redis), so an app that
 * moves its limits to Redis keeps exactly the same answers. Call inside a describe.
 */
export function throttlerStorageContract(setup: ContractSetup): void {
  windowsAndBlocks(setup);
  refusedHits(setup);
}

/** Fixed windows, blocks and daily caps; keys and throttler names apart. */
function windowsAndBlocks(setup: ContractSetup): void {
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

/** What a refused hit may and may not change. */
function refusedHits(setup: ContractSetup): void {
  it('a refused hit never lengthens the block: it ends with the window that went over its limit', async () => {
    const { clock, storage } = setup();
    // A 2-second cooldown: the owner's hit at t0, someone else's refused hit at t0 + 1.9 s…
    await storage.increment('c', 2_000, 1, 2_000, 'cooldown');
    clock.t += 1_900;
    expect(await storage.increment('c', 2_000, 1, 2_000, 'cooldown')).toMatchObject({
      isBlocked: true,
      timeToBlockExpire: 1,
    });
    // …and the owner's own retry at t0 + 2.5 s, after the cooldown, goes through.
    clock.t += 600;
    expect(await storage.increment('c', 2_000, 1, 2_000, 'cooldown')).toMatchObject({ isBlocked: false, totalHits: 1 });
  });

  describe('refund (a hit whose OTP provably never reached the vendor)', () => {
    it('takes the hit back: the cooldown is free again at once', async () => {
      const { storage } = setup();
      const hit = await storage.increment('r', 60_000, 1, 60_000, 'cooldown');
      await storage.refund('r', 'cooldown', hit.windowEndsAt);
      expect(await storage.increment('r', 60_000, 1, 60_000, 'cooldown')).toMatchObject({
        isBlocked: false,
        totalHits: 1,
      });
    });

    it('also lifts a block that the refunded hit caused (a refused hit is never counted)', async () => {
      const { storage } = setup();
      const hit = await storage.increment('s', 60_000, 1, 60_000, 'cooldown');
      expect((await storage.increment('s', 60_000, 1, 60_000, 'cooldown')).isBlocked).toBe(true);
      await storage.refund('s', 'cooldown', hit.windowEndsAt);
      expect((await storage.increment('s', 60_000, 1, 60_000, 'cooldown')).isBlocked).toBe(false);
      expect((await storage.increment('s', 60_000, 1, 60_000, 'cooldown')).isBlocked).toBe(true);
    });

    it('changes nothing once the window of that hit is over (a later window keeps its own hits)', async () => {
      const { clock, storage } = setup();
      const old = await storage.increment('w', 1_000, 1, 1_000, 'cooldown');
      clock.t += 1_500;
      await storage.increment('w', 1_000, 1, 1_000, 'cooldown');
      await storage.refund('w', 'cooldown', old.windowEndsAt);
      expect((await storage.increment('w', 1_000, 1, 1_000, 'cooldown')).isBlocked).toBe(true);
    });

    it('never goes below zero, and an unknown key is a no-op', async () => {
      const { storage } = setup();
      const hit = await storage.increment('z', 60_000, 2, 60_000, 'daily');
      await storage.refund('z', 'daily', hit.windowEndsAt);
      await storage.refund('z', 'daily', hit.windowEndsAt);
      await storage.refund('nobody', 'daily', hit.windowEndsAt);
      expect(await storage.increment('z', 60_000, 2, 60_000, 'daily')).toMatchObject({ totalHits: 1 });
      expect(await storage.increment('z', 60_000, 2, 60_000, 'daily')).toMatchObject({ totalHits: 2 });
      expect((await storage.increment('z', 60_000, 2, 60_000, 'daily')).isBlocked).toBe(true);
    });
  });
}
