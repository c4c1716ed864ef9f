import { expectVendorError, FakeClock, postSms, SEND } from './sandbox.test-util';
import { ThaiBulkSmsSandbox } from './thai-bulk-sms-sandbox';

describe('sandbox POST /sms optional fields', () => {
  const clock = new FakeClock();
  let sandbox: ThaiBulkSmsSandbox;

  beforeAll(async () => {
    sandbox = await ThaiBulkSmsSandbox.start({ port: 0, clock, deliveryDelayMs: 0 });
  });
  afterAll(() => sandbox.close());
  beforeEach(() => sandbox.reset());

  describe('scheduled delivery', () => {
    // The fake clock stands at 2025-01-15T10:00:00+07:00.
    it('accepts a future +07:00 time and marks the message scheduled', async () => {
      const answer = await postSms(sandbox, { ...SEND, scheduled_delivery: '2025-01-15T10:05:00+07:00' });
      expect(answer.status).toBe(201);
      expect(sandbox.lastMessage()).toMatchObject({ status: 'scheduled', scheduledAt: '2025-01-15T10:05:00+07:00' });
    });

    it.each(['2025-01-15T03:05:00Z', '2025-01-15T04:05:00+01:00', '2025-01-15T10:05:00-07:00'])(
      'answers ERROR_SCHEDULED_DELIVERY_TIMEZONE for %s',
      async (value) =>
        expectVendorError(
          await postSms(sandbox, { ...SEND, scheduled_delivery: value }),
          'ERROR_SCHEDULED_DELIVERY_TIMEZONE',
        ),
    );

    it.each([
      'tomorrow',
      '2025-01-15 10:05:00+07:00',
      '2025-01-15T10:05+07:00',
      '2025-02-30T10:00:00+07:00',
      '2025-01-15T25:00:00+07:00',
    ])('answers ERROR_SCHEDULED_DELIVERY for the unparsable %s', async (value) =>
      expectVendorError(await postSms(sandbox, { ...SEND, scheduled_delivery: value }), 'ERROR_SCHEDULED_DELIVERY'),
    );

    it('answers ERROR_SCHEDULED_DELIVERY for a time already past', async () => {
      expectVendorError(
        await postSms(sandbox, { ...SEND, scheduled_delivery: '2025-01-15T09:59:59+07:00' }),
        'ERROR_SCHEDULED_DELIVERY',
      );
    });

    it('accepts less than one year ahead and answers ERROR_SCHEDULED_DELIVERY_TOO_FAR from one year on', async () => {
      expect((await postSms(sandbox, { ...SEND, scheduled_delivery: '2026-01-15T09:59:59+07:00' })).status).toBe(201);
      expectVendorError(
        await postSms(sandbox, { ...SEND, scheduled_delivery: '2026-01-15T10:00:00+07:00' }),
        'ERROR_SCHEDULED_DELIVERY_TOO_FAR',
      );
    });
  });

  describe('shorten_url, callback and tags', () => {
    it('takes shorten_url as "true"/"false" and refuses anything else with ERROR_FORM', async () => {
      await postSms(sandbox, { ...SEND, shorten_url: 'false' });
      expect(sandbox.lastMessage()?.shortenUrl).toBe(false);
      await postSms(sandbox, { ...SEND, shorten_url: true }, { json: true });
      expect(sandbox.lastMessage()?.shortenUrl).toBe(true);
      expectVendorError(await postSms(sandbox, { ...SEND, shorten_url: 'yes' }), 'ERROR_FORM');
    });

    it.each(['not a url', 'ftp://example.com/dr', 'javascript:alert(1)'])(
      'answers ERROR_CALLBACK_URL for %s',
      async (url) => {
        expectVendorError(await postSms(sandbox, { ...SEND, callback_url: url }), 'ERROR_CALLBACK_URL');
      },
    );

    it.each(['DELETE', 'PATCH', 'get'])('answers ERROR_CALLBACK_METHOD for %s', async (method) => {
      expectVendorError(
        await postSms(sandbox, { ...SEND, callback_url: 'https://example.com/dr', callback_method: method }),
        'ERROR_CALLBACK_METHOD',
      );
    });

    it('uses POST when callback_method is left out', async () => {
      await postSms(sandbox, { ...SEND, callback_url: 'https://example.com/dr' });
      expect(sandbox.lastMessage()?.callbackMethod).toBe('POST');
    });

    it('takes tags as a comma list or JSON array and refuses empty or too many tags', async () => {
      await postSms(sandbox, { ...SEND, tag: ['a', 'b'] }, { json: true });
      expect(sandbox.lastMessage()?.tags).toEqual(['a', 'b']);
      expectVendorError(await postSms(sandbox, { ...SEND, tag: 'a,,b' }), 'ERROR_TAGS');
      expectVendorError(
        await postSms(sandbox, { ...SEND, tag: Array.from({ length: 11 }, (_, i) => `t${i}`) }),
        'ERROR_TAGS_EXCEEDED_LENGTH',
      );
      expectVendorError(await postSms(sandbox, { ...SEND, tag: 'x'.repeat(51) }), 'ERROR_TAGS_EXCEEDED_LENGTH');
    });
  });
});
