import { Test, TestingModule } from '@nestjs/testing';
import { ThaiBulkSmsRequestError } from '../errors';
import { ThaiBulkSmsSandbox } from '../sandbox';
import { THAI_BULK_SMS_SANDBOX, ThaiBulkSmsTestingModule } from '../testing';
import { rejectionOf, requestCount } from '../testing/spec-helpers.test-util';
import { SmsService } from './sms.service';
import { SendSmsOptions } from './sms.types';

/** The Bangkok calendar date `days` from now, `YYYY-MM-DD`. */
function bangkokDate(days: number): string {
  return new Date(Date.now() + 7 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);
}

/** `YYYY-MM-31` of the first month from next month on without a 31st: ahead, and within a year. */
function missingDay(): string {
  const month = new Date(Date.now());
  month.setUTCDate(1);
  do month.setUTCMonth(month.getUTCMonth() + 1);
  while (new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth(), 31)).getUTCDate() === 31);
  return `${month.toISOString().slice(0, 7)}-31`;
}

describe('SmsService.send (against the sandbox)', () => {
  let moduleRef: TestingModule;
  let sms: SmsService;
  let sb: ThaiBulkSmsSandbox;

  beforeAll(async () => {
    moduleRef = await Test.createTestingModule({
      imports: [ThaiBulkSmsTestingModule.forRoot({ options: { maxMessageParts: 3 } })],
    }).compile();
    await moduleRef.init();
    sms = moduleRef.get(SmsService);
    sb = moduleRef.get(THAI_BULK_SMS_SANDBOX);
  });
  afterAll(() => moduleRef.close());
  beforeEach(() => sb.reset());

  it('sends to one number in any Thai form and answers in camelCase', async () => {
    const result = await sms.send({ to: '081-234-5678', message: 'hello' });
    expect(result).toMatchObject({ creditType: 'standard', creditsUsed: 1, rejected: [] });
    expect(result.accepted).toEqual([{ phone: '66812345678', messageId: expect.any(String), credits: 1 }]);
    expect(result.creditsRemaining).toBe(sb.credits().standard);
    expect(sb.messages()).toHaveLength(1);
  });

  it('sends duplicates once, whatever their form', async () => {
    const result = await sms.send({
      to: ['0812345678', '+66812345678', '66 81 234 5678', '0898765432'],
      message: 'hi',
    });
    expect(result.accepted.map((a) => a.phone)).toEqual(['66812345678', '66898765432']);
    expect(sb.messages()).toHaveLength(2);
  });

  it('reports invalid numbers as rejected and sends the rest', async () => {
    const result = await sms.send({ to: ['0812345678', '0123', 'not a number'], message: 'hi' });
    expect(result.accepted).toHaveLength(1);
    expect(result.rejected).toEqual([
      { phone: '0123', reason: expect.any(String) },
      { phone: 'not a number', reason: expect.any(String) },
    ]);
    expect(requestCount(sb, '/sms')).toBe(1);
  });

  it('sends scheduledAt as the same instant written in +07:00', async () => {
    const at = new Date(Date.now() + 3 * 86_400_000);
    at.setUTCHours(10, 12, 0, 0);
    await sms.send({ to: '0812345678', message: 'later', scheduledAt: at.toISOString() });
    const expected = `${new Date(at.getTime() + 7 * 3_600_000).toISOString().slice(0, 11)}17:12:00+07:00`;
    expect(sb.lastMessage()?.scheduledAt).toBe(expected);

    const withOffset = `${at.toISOString().slice(0, 10)}T12:12:00+02:00`;
    await sms.send({ to: '0812345678', message: 'later', scheduledAt: withOffset });
    expect(sb.lastMessage()?.scheduledAt).toBe(expected);
  });

  it('passes sender, creditType, tags, shortenUrl and callback through', async () => {
    const result = await sms.send({
      to: '0812345678',
      message: 'hi',
      sender: 'Demo',
      creditType: 'corporate',
      tags: ['a', 'b'],
      shortenUrl: true,
      callbackUrl: 'https://example.com/dlr',
      callbackMethod: 'POST',
    });
    expect(result.creditType).toBe('corporate');
    expect(sb.lastMessage()).toMatchObject({
      sender: 'Demo',
      creditType: 'corporate',
      tags: ['a', 'b'],
      shortenUrl: true,
      callbackUrl: 'https://example.com/dlr',
    });
  });

  const past = new Date(Date.now() - 60_000);
  const tooFar = new Date(Date.now() + 366 * 86_400_000);
  const cases: [string, Partial<SendSmsOptions>, string][] = [
    ['no valid number', { to: ['0123', 'abc'] }, 'ERROR_MSISDN'],
    ['no number at all', { to: [] }, 'ERROR_MSISDN'],
    [
      'more than 500 numbers',
      { to: Array.from({ length: 501 }, (_, i) => `08${String(10_000_000 + i)}`) },
      'ERROR_MSISDN_EXCEEDED_LIMIT',
    ],
    ['an empty message', { message: '' }, 'ERROR_MESSAGE'],
    ['a blank message', { message: '   ' }, 'ERROR_MESSAGE'],
    ['a message of too many parts', { message: 'x'.repeat(153 * 3 + 1) }, 'ERROR_MESSAGE_TOO_LONG'],
    ['a past schedule', { scheduledAt: past }, 'ERROR_SCHEDULED_DELIVERY'],
    ['a schedule a year ahead', { scheduledAt: tooFar }, 'ERROR_SCHEDULED_DELIVERY_TOO_FAR'],
    ['an unreadable schedule', { scheduledAt: 'next tuesday' }, 'ERROR_SCHEDULED_DELIVERY'],
    ['an invalid Date', { scheduledAt: new Date('nope') }, 'ERROR_SCHEDULED_DELIVERY'],
    ['a day the month does not have', { scheduledAt: `${missingDay()}T10:00+07:00` }, 'ERROR_SCHEDULED_DELIVERY'],
    ['24:00', { scheduledAt: `${bangkokDate(2)}T24:00+07:00` }, 'ERROR_SCHEDULED_DELIVERY'],
    ['minute 60', { scheduledAt: `${bangkokDate(2)}T10:60:00Z` }, 'ERROR_SCHEDULED_DELIVERY'],
    ['an empty sender', { sender: '' }, 'ERROR_SENDER'],
    ['a too long sender', { sender: 'TwelveChars!' }, 'ERROR_SENDER'],
    ['an unknown credit type', { creditType: 'premium' as never }, 'ERROR_FORCE'],
    // The HTTP field's name: dropped silently, it would send on the default pool.
    ['the wire name force', { force: 'corporate' } as never, 'ERROR_FORCE'],
    ['a non-http callback', { callbackUrl: 'ftp://example.com' }, 'ERROR_CALLBACK_URL'],
    ['a malformed callback', { callbackUrl: 'not a url' }, 'ERROR_CALLBACK_URL'],
    [
      'an unknown callback method',
      { callbackUrl: 'https://x.test/cb', callbackMethod: 'PATCH' as never },
      'ERROR_CALLBACK_METHOD',
    ],
    ['tags that are not an array', { tags: 'a,b' as never }, 'ERROR_TAGS'],
    ['an empty tag', { tags: [''] }, 'ERROR_TAGS'],
    ['too many tags', { tags: Array.from({ length: 11 }, (_, i) => `t${i}`) }, 'ERROR_TAGS_EXCEEDED_LENGTH'],
  ];

  it.each(cases)('refuses %s with nothing sent', async (_, override, errorName) => {
    const error = await rejectionOf(sms.send({ to: '0812345678', message: 'hi', ...override }));
    expect(error).toBeInstanceOf(ThaiBulkSmsRequestError);
    expect(error).toMatchObject({ errorName, source: 'local', category: 'caller' });
    expect(requestCount(sb)).toBe(0);
  });

  it('types what the vendor refuses', async () => {
    const error = await rejectionOf(sms.send({ to: '0812345678', message: 'hi', sender: 'Unknown' }));
    expect(error).toMatchObject({ errorName: 'ERROR_SENDER_NOT_FOUND', upstreamStatus: 400, source: 'upstream' });
  });

  it('estimates without any request', () => {
    expect(sms.estimate('สวัสดี', 3)).toEqual({
      encoding: 'UCS-2',
      length: 6,
      parts: 1,
      creditsPerRecipient: 1,
      recipients: 3,
      totalCredits: 3,
    });
    expect(sms.estimate('a'.repeat(200), ['0812345678', '0898765432'])).toMatchObject({
      encoding: 'GSM-7',
      parts: 2,
      totalCredits: 4,
    });
    expect(requestCount(sb)).toBe(0);
  });

  it('estimates a list as send charges it: distinct valid numbers only', async () => {
    const to = ['0812345678', '+66812345678', '081-234-5678', '0123', 'not a number', '0898765432'];
    const estimate = sms.estimate('a'.repeat(200), to);
    expect(estimate).toMatchObject({ recipients: 2, totalCredits: 4 });
    expect(sms.estimate('hi', '0812345678,0898765432,0812345678')).toMatchObject({ recipients: 2, totalCredits: 2 });
    const sent = await sms.send({ to, message: 'a'.repeat(200) });
    expect(sent.creditsUsed).toBe(estimate.totalCredits);
  });

  it('counts the 500 limit on distinct valid numbers, not on entries', async () => {
    const five00 = Array.from({ length: 500 }, (_, i) => `08${String(10_000_000 + i)}`);
    const result = await sms.send({ to: [...five00, five00[0], '+66' + five00[1].slice(1), '0123'], message: 'hi' });
    expect(result.accepted).toHaveLength(500);
    expect(result.rejected).toEqual([{ phone: '0123', reason: expect.any(String) }]);
    expect(requestCount(sb, '/sms')).toBe(1);

    sb.reset();
    const error = await rejectionOf(sms.send({ to: [...five00, '0812345678', five00[0]], message: 'hi' }));
    expect(error).toMatchObject({ errorName: 'ERROR_MSISDN_EXCEEDED_LIMIT', source: 'local' });
    expect(requestCount(sb)).toBe(0);
  });

  it('reads both credit pools', async () => {
    sb.setCredits({ standard: 123, corporate: 45 });
    expect(await sms.getCredit()).toEqual({ standard: 123, corporate: 45 });
  });
});
