import { SystemClock } from '@app/thai-bulk-sms/helpers';
import { loadAppConfig } from '../config/load-app-config';
import { InMemoryOtpTokenRegistry } from './otp-token-registry';

class ManualClock extends SystemClock {
  t = 0;
  override now(): number {
    return this.t;
  }
}

describe('InMemoryOtpTokenRegistry', () => {
  const setup = () => {
    const clock = new ManualClock();
    const config = loadAppConfig({ OTP_VERIFY_MAX_ATTEMPTS: '3', OTP_TOKEN_TTL_SECONDS: '60' });
    return { clock, registry: new InMemoryOtpTokenRegistry(config.otp, clock) };
  };

  it('allows OTP_VERIFY_MAX_ATTEMPTS attempts per issued token, then the token is dead for good', async () => {
    const { registry } = setup();
    await registry.issued('t');
    expect([await registry.tryAttempt('t'), await registry.tryAttempt('t'), await registry.tryAttempt('t')]).toEqual([
      true,
      true,
      true,
    ]);
    expect(await registry.tryAttempt('t')).toBe(false);
    expect(await registry.tryAttempt('t')).toBe(false);
  });

  it('refuses tokens it never issued, retired ones and expired ones', async () => {
    const { clock, registry } = setup();
    expect(await registry.tryAttempt('unknown')).toBe(false);
    await registry.issued('used');
    await registry.retire('used');
    expect(await registry.tryAttempt('used')).toBe(false);
    await registry.issued('old');
    clock.t += 60_000;
    expect(await registry.tryAttempt('old')).toBe(false);
  });

  it('drops expired tokens as new ones are issued', async () => {
    const { clock, registry } = setup();
    for (let i = 0; i < 100; i++) await registry.issued(`t${i}`);
    clock.t += 61_000;
    await registry.issued('fresh');
    expect(registry.size).toBe(1);
  });
});
