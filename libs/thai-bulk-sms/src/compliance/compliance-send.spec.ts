import { Injectable, Module } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { ThaiBulkSmsClock } from '../client/clock';
import { FakeClock } from '../client/fake-clock.test-util';
import {
  LinkNotRegisteredError,
  OutsideSendingHoursError,
  RecipientOptedOutError,
  ScheduledOutsideSendingHoursError,
  SuppressionListUnavailableError,
} from '../errors';
import { httpAnswerFor } from '../filters/error-http-status';
import { SmsRequestObserved, ThaiBulkSmsObserver } from '../observers/thai-bulk-sms.observer';
import { ThaiBulkSmsSandbox } from '../sandbox';
import { SmsService } from '../sms/sms.service';
import { THAI_BULK_SMS_SANDBOX, ThaiBulkSmsTestingModule } from '../testing';
import { rejectionOf, requestCount } from '../testing/spec-helpers.test-util';
import { InMemorySuppressionList } from './in-memory-suppression-list';
import { SuppressionList } from './suppression-list';
import { ThaiBulkSmsComplianceModule } from './thai-bulk-sms-compliance.module';

const HOUR = 3_600_000;
const OPT_OUT = 'STOP: 4000000';

/** The first instant from `from` (an hour from now) whose Bangkok wall time is `hh:mm:ss.mmm`. */
function nextBangkok(time: string, from = Date.now() + HOUR): number {
  const [h, m, s] = time.split(':').map(Number);
  const day = new Date(from + 7 * HOUR).toISOString().slice(0, 10);
  const today = Date.parse(`${day}T00:00:00+07:00`) + ((h * 60 + m) * 60 + s) * 1000;
  return today >= from ? today : today + 24 * HOUR;
}

@ThaiBulkSmsObserver()
@Injectable()
class Recorder {
  readonly events: SmsRequestObserved[] = [];
  onSmsRequest(event: SmsRequestObserved): void {
    this.events.push(event);
  }
}

@Module({ providers: [Recorder], exports: [Recorder] })
class RecorderModule {}

/** `count` distinct numbers 0810000000, 0810000001, … */
const numbers = (count: number, from = 0) =>
  Array.from({ length: count }, (_, i) => `081${String(from + i).padStart(7, '0')}`);

describe('SmsService with ThaiBulkSmsComplianceModule (strict, against the sandbox)', () => {
  let moduleRef: TestingModule;
  let sms: SmsService;
  let sb: ThaiBulkSmsSandbox;
  let list: InMemorySuppressionList;
  let clock: FakeClock;
  let recorder: Recorder;
  /** Sets the registration's clock to `at` (FakeClock.advance takes either sign). */
  const setClock = (at: number) => clock.advance(at - clock.now());

  beforeAll(async () => {
    clock = new FakeClock(nextBangkok('12:00:00.000'));
    moduleRef = await Test.createTestingModule({
      imports: [
        RecorderModule,
        ThaiBulkSmsTestingModule.forRoot({
          sandbox: { credits: { standard: 1_000_000 }, historyLimit: 10_000 },
          options: { maxConcurrency: 2 },
        }),
        ThaiBulkSmsComplianceModule.forRoot({
          mode: 'strict',
          allowedLinkHosts: ['example.co.th'],
          optOutText: OPT_OUT,
        }),
      ],
    })
      .overrideProvider(ThaiBulkSmsClock)
      .useValue(clock)
      .compile();
    await moduleRef.init();
    sms = moduleRef.get(SmsService);
    sb = moduleRef.get(THAI_BULK_SMS_SANDBOX);
    list = moduleRef.get(SuppressionList);
    recorder = moduleRef.get(Recorder);
  });
  afterAll(() => moduleRef.close());
  beforeEach(async () => {
    sb.reset();
    sb.setCredits({ standard: 1_000_000 });
    recorder.events.length = 0;
    setClock(nextBangkok('12:00:00.000'));
    for (const phone of ['0812345678', '0898765432', '0811111111']) await list.remove(phone);
  });

  it('is the SuppressionList the app injects: the in-memory store by default', () => {
    expect(list).toBeInstanceOf(InMemorySuppressionList);
  });

  it('drops opted-out numbers of a marketing send before the request, appends the opt-out line', async () => {
    await list.add('081-234-5678');
    await list.add('+66898765432', { scope: 'all' });
    const result = await sms.send({
      to: ['0812345678', '0898765432', '0811111111', '0123'],
      message: 'Sale at example.co.th',
      category: 'marketing',
    });
    expect(result.accepted.map((a) => a.phone)).toEqual(['66811111111']);
    expect(result.rejected).toEqual([
      { phone: '0123', reason: expect.any(String) },
      { phone: '66812345678', reason: 'RECIPIENT_OPTED_OUT' },
      { phone: '66898765432', reason: 'RECIPIENT_OPTED_OUT' },
    ]);
    expect(sb.messages().map((m) => m.phone)).toEqual(['66811111111']);
    expect(sb.lastMessage()?.message).toBe(`Sale at example.co.th\n${OPT_OUT}`);
    expect(recorder.events).toHaveLength(1);
    expect(recorder.events[0]).toMatchObject({
      send: { category: 'marketing', message: `Sale at example.co.th\n${OPT_OUT}` },
      msisdns: ['66811111111'],
      localRejects: [{ phone: '0123' }, { reason: 'RECIPIENT_OPTED_OUT' }, { reason: 'RECIPIENT_OPTED_OUT' }],
    });
  });

  it('holds back transactional sends only for scope all, and never OTP sends', async () => {
    await list.add('0812345678', { scope: 'marketing' });
    await list.add('0898765432', { scope: 'all' });
    const to = ['0812345678', '0898765432'];
    const transactional = await sms.send({ to, message: 'Your order shipped' });
    expect(transactional.accepted.map((a) => a.phone)).toEqual(['66812345678']);
    expect(transactional.rejected).toEqual([{ phone: '66898765432', reason: 'RECIPIENT_OPTED_OUT' }]);
    const otp = await sms.send({ to, message: 'Code 123456', category: 'otp' });
    expect(otp.accepted).toHaveLength(2);
    expect(recorder.events.map((event) => event.send.category)).toEqual(['transactional', 'otp']);
  });

  it('sends nothing when every recipient opted out: RECIPIENT_OPTED_OUT, answered 422', async () => {
    await list.add('0812345678');
    const error = await rejectionOf(sms.send({ to: '0812345678', message: 'Sale', category: 'marketing' }));
    expect(error).toBeInstanceOf(RecipientOptedOutError);
    expect(httpAnswerFor(error).status).toBe(422);
    expect(requestCount(sb, '/sms')).toBe(0);
  });

  it('counts the appended opt-out line in the estimate', () => {
    const plain = sms.estimate('a'.repeat(150), 10);
    const marketing = sms.estimate('a'.repeat(150), 10, { category: 'marketing' });
    expect(plain).toMatchObject({ parts: 1, totalCredits: 10 });
    expect(marketing).toMatchObject({ length: 150 + 1 + OPT_OUT.length, parts: 2, totalCredits: 20 });
  });

  it('sends marketing at 09:00:00.000 and 20:59:59.999 Bangkok, refuses it at 08:59:59.999 and 21:00', async () => {
    const send = () => sms.send({ to: '0811111111', message: 'Sale', category: 'marketing' });
    for (const time of ['09:00:00.000', '20:59:59.999']) {
      setClock(nextBangkok(time));
      await expect(send()).resolves.toMatchObject({ accepted: [{ phone: '66811111111' }] });
    }
    for (const time of ['08:59:59.999', '21:00:00.000']) {
      setClock(nextBangkok(time));
      const error = await rejectionOf(send());
      expect(error).toBeInstanceOf(OutsideSendingHoursError);
      expect((error as OutsideSendingHoursError).opensAt.getTime()).toBe(nextBangkok('09:00:00.000', clock.now()));
      expect(httpAnswerFor(error).status).toBe(422);
    }
    expect(requestCount(sb, '/sms')).toBe(2);
    // Transactional messages have no hours.
    await expect(sms.send({ to: '0811111111', message: 'Your code expires soon' })).resolves.toBeDefined();
  });

  it('refuses a marketing schedule in the quiet hours, and takes one in the window at night', async () => {
    setClock(nextBangkok('22:00:00.000'));
    const morning = new Date(nextBangkok('10:00:00.000', clock.now()));
    await sms.send({ to: '0811111111', message: 'Sale', category: 'marketing', scheduledAt: morning });
    expect(sb.lastMessage()?.scheduledAt).toBeDefined();
    const night = new Date(nextBangkok('23:30:00.000', clock.now()));
    const error = await rejectionOf(
      sms.send({ to: '0811111111', message: 'Sale', category: 'marketing', scheduledAt: night }),
    );
    expect(error).toBeInstanceOf(ScheduledOutsideSendingHoursError);
    expect(httpAnswerFor(error).status).toBe(400);
    expect(requestCount(sb, '/sms')).toBe(1);
  });

  it('refuses an unregistered link with 400 before anything is sent or looked up', async () => {
    const error = await rejectionOf(sms.send({ to: '0811111111', message: 'ดูที่EVIL.com/x' }));
    expect(error).toBeInstanceOf(LinkNotRegisteredError);
    expect(error.message).toContain('evil.com');
    expect(httpAnswerFor(error)).toMatchObject({ status: 400 });
    expect(requestCount(sb, '/sms')).toBe(0);
  });

  it('screens each chunk of a marketing sendBulk in one lookup, reporting opted-out numbers', async () => {
    const to = numbers(1_200);
    // All of the first chunk, and ten of the second.
    for (const phone of [...to.slice(0, 500), ...to.slice(600, 610)]) await list.add(phone);
    const result = await sms.sendBulk({ to, message: 'Sale', category: 'marketing' });
    expect(result).toMatchObject({ chunks: 3, acceptedCount: 690, rejectedCount: 510, failedChunks: [] });
    expect(result.rejected.every((r) => r.reason === 'RECIPIENT_OPTED_OUT')).toBe(true);
    // The first chunk made no request at all.
    expect(requestCount(sb, '/sms')).toBe(2);
    expect(sb.messages()).toHaveLength(690);
    expect(recorder.events.map((event) => event.localRejects.length).sort((a, b) => a - b)).toEqual([0, 10]);
    const summary = await sms.sendBulk({ to, message: 'Sale', category: 'marketing', summaryOnly: true });
    expect(summary).toMatchObject({ acceptedCount: 690, rejectedCount: 510, rejected: [] });
    for (const phone of [...to.slice(0, 500), ...to.slice(600, 610)]) await list.remove(phone);
  });
});

describe('SmsService when the opt-out list cannot be read', () => {
  class Unreachable extends InMemorySuppressionList {
    override scopesOf(): Promise<never> {
      return Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6379'));
    }
  }
  let moduleRef: TestingModule;

  beforeAll(async () => {
    moduleRef = await Test.createTestingModule({
      imports: [
        ThaiBulkSmsTestingModule.forRoot(),
        ThaiBulkSmsComplianceModule.forRoot({ mode: 'strict', suppressionList: new Unreachable() }),
      ],
    }).compile();
    await moduleRef.init();
  });
  afterAll(() => moduleRef.close());

  it('sends nothing: the send fails (503), the bulk send stops with every chunk not sent', async () => {
    const sms = moduleRef.get(SmsService);
    const sb = moduleRef.get<ThaiBulkSmsSandbox>(THAI_BULK_SMS_SANDBOX);
    const error = await rejectionOf(sms.send({ to: '0811111111', message: 'Your order shipped' }));
    expect(error).toBeInstanceOf(SuppressionListUnavailableError);
    expect(httpAnswerFor(error).status).toBe(503);
    const bulk = await sms.sendBulk({ to: numbers(1_100), message: 'Your order shipped' });
    expect(bulk.stoppedBy).toBeInstanceOf(SuppressionListUnavailableError);
    expect(bulk.notSentCount).toBe(1_100);
    expect(bulk.failedChunks.every((chunk) => chunk.sent === false)).toBe(true);
    expect(requestCount(sb, '/sms')).toBe(0);
  });
});
