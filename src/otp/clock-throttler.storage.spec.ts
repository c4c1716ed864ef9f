import { ClockThrottlerStorage } from './clock-throttler.storage';
import { ManualClock, throttlerStorageContract } from './throttler-storage.contract.test-util';

describe('ClockThrottlerStorage', () => {
  const setup = () => {
    const clock = new ManualClock();
    return { clock, storage: new ClockThrottlerStorage(clock) };
  };

  throttlerStorageContract(setup);

  it('forgets expired entries (bounded memory)', async () => {
    const { clock, storage } = setup();
    for (let i = 0; i < 999; i++) await storage.increment(`k${i}`, 1_000, 5, 1_000, 'n');
    clock.t += 5_000;
    await storage.increment('last', 1_000, 5, 1_000, 'n'); // the 1000th call sweeps
    expect(storage.size).toBe(1);
  });
});
