import { Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ThaiBulkSmsClock } from './client/clock';
import { FakeClock } from './client/fake-clock.test-util';
import { OtpService } from './otp/otp.service';
import { ThaiBulkSmsSandbox } from './sandbox';
import { CreditService } from './sms/credit.service';
import { SmsService } from './sms/sms.service';
import { InjectSmsService } from './thai-bulk-sms.decorators';
import { ThaiBulkSmsModule } from './thai-bulk-sms.module';

describe('ThaiBulkSmsModule rate limiter sharing (maxTps 2, fake clock)', () => {
  // (1000 + 10 ms margin) / maxTps: the limiter's fixed spacing at maxTps 2.
  const SPACING_MS = 505;
  let sandbox: ThaiBulkSmsSandbox;

  beforeAll(async () => {
    sandbox = await ThaiBulkSmsSandbox.start({ port: 0 });
  });
  afterAll(() => sandbox.close());

  @Injectable()
  class Senders {
    constructor(
      readonly sms: SmsService,
      readonly otp: OtpService,
      readonly credit: CreditService,
    ) {}
  }
  @Injectable()
  class MarketingSenders {
    constructor(@InjectSmsService('marketing') readonly sms: SmsService) {}
  }

  async function withRegistrations(names: (string | undefined)[]) {
    const clock = new FakeClock(1_000_000);
    const sandboxOptions = { ...sandbox.credentials, baseUrl: sandbox.url, otpBaseUrl: sandbox.url, maxTps: 2 };
    const moduleRef = await Test.createTestingModule({
      imports: names.map((name) => ThaiBulkSmsModule.forRoot({ ...sandboxOptions, name, isGlobal: true })),
      // Resolved the way an app resolves them: by injection, each from its own registration.
      providers: names.includes('marketing') ? [Senders, MarketingSenders] : [Senders],
    })
      .overrideProvider(ThaiBulkSmsClock)
      .useValue(clock)
      .compile();
    await moduleRef.init();
    return { moduleRef, clock };
  }

  it('makes every call of one registration (send, getCredit, OTP, sendBulk) wait for the same limiter', async () => {
    const { moduleRef, clock } = await withRegistrations([undefined]);
    const { sms, otp, credit } = moduleRef.get(Senders);
    const calls = [
      () => sms.send({ to: '0812345678', message: 'one' }),
      () => sms.getCredit(),
      () => otp.request('0812345678'),
      () => sms.sendBulk({ to: ['0812345678', '0898765432'], message: 'bulk' }),
      () => credit.getCredit(),
    ];
    // Fake time moves only while the limiter sleeps, so the time a call ends is when it was let go.
    const start = clock.now();
    const released: number[] = [];
    for (const call of calls) {
      await call();
      released.push(clock.now() - start);
    }
    expect(released).toEqual([0, 1, 2, 3, 4].map((i) => i * SPACING_MS));
    await moduleRef.close();
  });

  it('gives each named registration its own limiter, so one never waits for the other', async () => {
    const { moduleRef, clock } = await withRegistrations([undefined, 'marketing']);
    const main = moduleRef.get(Senders).sms;
    const marketing = moduleRef.get(MarketingSenders).sms;
    expect(marketing).not.toBe(main);
    await main.send({ to: '0812345678', message: 'a' });
    await main.send({ to: '0812345678', message: 'b' });
    // The default registration has used its budget; the other one must not notice.
    const before = { now: clock.now(), sleeps: clock.sleeps.length };
    await marketing.send({ to: '0812345678', message: 'c' });
    await marketing.getCredit();
    expect(clock.sleeps.slice(before.sleeps)).toEqual([SPACING_MS]);
    expect(clock.now() - before.now).toBe(SPACING_MS);
    await moduleRef.close();
  });
});
