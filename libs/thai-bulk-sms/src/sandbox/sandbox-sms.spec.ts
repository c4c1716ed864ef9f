import { estimateMessage } from '../message/message-encoding';
import { basicAuth, call, expectVendorError, FakeClock, postSms, SEND } from './sandbox.test-util';
import { ThaiBulkSmsSandbox } from './thai-bulk-sms-sandbox';

describe('sandbox POST /sms', () => {
  const clock = new FakeClock();
  let sandbox: ThaiBulkSmsSandbox;

  beforeAll(async () => {
    sandbox = await ThaiBulkSmsSandbox.start({ port: 0, clock, deliveryDelayMs: 0 });
  });
  afterAll(() => sandbox.close());
  beforeEach(() => sandbox.reset());

  describe('authentication', () => {
    it('refuses a request without Basic auth with ERROR_AUTHENTICATION_FAILED 401 and charges nothing', async () => {
      expectVendorError(await postSms(sandbox, SEND, { auth: null }), 'ERROR_AUTHENTICATION_FAILED');
      expect(sandbox.messages()).toHaveLength(0);
      expect(sandbox.credits()).toEqual({ standard: 10000, corporate: 10000 });
    });

    it('refuses a wrong secret and a malformed header', async () => {
      expectVendorError(
        await postSms(sandbox, SEND, { auth: basicAuth(sandbox.credentials.apiKey, 'wrong') }),
        'ERROR_AUTHENTICATION_FAILED',
      );
      expectVendorError(await postSms(sandbox, SEND, { auth: 'Bearer abc' }), 'ERROR_AUTHENTICATION_FAILED');
    });

    it('accepts the scheme in any case, as HTTP allows', async () => {
      const { apiKey, apiSecret } = sandbox.credentials;
      const auth = basicAuth(apiKey, apiSecret).replace('Basic', 'basic');
      expect((await postSms(sandbox, SEND, { auth })).status).toBe(201);
    });
  });

  describe('bodies', () => {
    it('accepts form-urlencoded and answers 201 with the vendor body', async () => {
      const answer = await postSms(sandbox, { ...SEND, msisdn: '0812345678,+66898765432' });
      expect(answer.status).toBe(201);
      expect(answer.json).toEqual({
        remaining_credit: 9998,
        total_use_credit: 2,
        credit_type: 'standard',
        phone_number_list: [
          { number: '66812345678', message_id: expect.stringMatching(/^[0-9A-Za-z]{22}$/), used_credit: 1 },
          { number: '66898765432', message_id: expect.stringMatching(/^[0-9A-Za-z]{22}$/), used_credit: 1 },
        ],
        bad_phone_number_list: [],
      });
      expect(answer.json.phone_number_list[0].message_id).not.toBe(answer.json.phone_number_list[1].message_id);
    });

    it('accepts JSON with msisdn as an array or a comma-joined string', async () => {
      const asArray = await postSms(sandbox, { ...SEND, msisdn: ['0812345678', '66898765432'] }, { json: true });
      expect(asArray.status).toBe(201);
      expect(asArray.json.phone_number_list.map((p: { number: string }) => p.number)).toEqual([
        '66812345678',
        '66898765432',
      ]);
      const asString = await postSms(sandbox, { ...SEND, msisdn: '0812345678, 0898765432' }, { json: true });
      expect(asString.json.total_use_credit).toBe(2);
    });

    it('answers ERROR_FORM for JSON that does not parse', async () => {
      const { apiKey, apiSecret } = sandbox.credentials;
      const answer = await call(`${sandbox.url}/sms`, {
        method: 'POST',
        headers: { authorization: basicAuth(apiKey, apiSecret), 'content-type': 'application/json' },
        body: '{"msisdn": ',
      });
      expectVendorError(answer, 'ERROR_FORM');
    });

    it('answers ERROR_FORM to a body above 1 MB without resetting the connection', async () => {
      expectVendorError(await postSms(sandbox, { ...SEND, message: 'a'.repeat(1024 * 1024 + 1) }), 'ERROR_FORM');
    });

    it('records every field of a send (docs/vendor-api.md) on the message', async () => {
      await postSms(sandbox, {
        ...SEND,
        sender: 'Demo',
        force: 'corporate',
        shorten_url: 'true',
        scheduled_delivery: '2025-01-20T09:30:00+07:00',
        callback_url: 'http://127.0.0.1:9/dr?secret=s',
        callback_method: 'GET',
        tag: 'promo,jan',
      });
      expect(sandbox.lastMessage()).toMatchObject({
        phone: '66812345678',
        sender: 'Demo',
        message: 'Hello',
        parts: 1,
        credits: 1,
        creditType: 'corporate',
        shortenUrl: true,
        scheduledAt: '2025-01-20T09:30:00+07:00',
        callbackUrl: 'http://127.0.0.1:9/dr?secret=s',
        callbackMethod: 'GET',
        tags: ['promo', 'jan'],
        receivedAt: clock.now(),
        status: 'scheduled',
      });
    });
  });

  describe('numbers', () => {
    it('accepts 500 numbers and refuses 501 with ERROR_MSISDN_EXCEEDED_LIMIT, charging nothing', async () => {
      const numbers = (n: number) => Array.from({ length: n }, (_, i) => `08${String(10000000 + i)}`);
      const ok = await postSms(sandbox, { ...SEND, msisdn: numbers(500) });
      expect(ok.status).toBe(201);
      expect(ok.json.phone_number_list).toHaveLength(500);
      sandbox.reset();
      expectVendorError(await postSms(sandbox, { ...SEND, msisdn: numbers(501) }), 'ERROR_MSISDN_EXCEEDED_LIMIT');
      expect(sandbox.credits().standard).toBe(10000);
    });

    it('accepts the valid numbers and lists the rest in bad_phone_number_list', async () => {
      const answer = await postSms(sandbox, { ...SEND, msisdn: '0812345678,0123,021234567' });
      expect(answer.status).toBe(201);
      expect(answer.json.phone_number_list.map((p: { number: string }) => p.number)).toEqual(['66812345678']);
      expect(answer.json.bad_phone_number_list).toEqual([
        { number: '0123', message: 'Phone number is invalid.' },
        { number: '021234567', message: 'Phone number is invalid.' },
      ]);
      expect(answer.json.total_use_credit).toBe(1);
    });

    it('answers ERROR_MSISDN when no number is valid, or none is given', async () => {
      expectVendorError(await postSms(sandbox, { ...SEND, msisdn: '0123,abc' }), 'ERROR_MSISDN');
      expectVendorError(await postSms(sandbox, { ...SEND, msisdn: undefined }), 'ERROR_MSISDN');
      expectVendorError(await postSms(sandbox, { ...SEND, msisdn: ' , ' }), 'ERROR_MSISDN');
    });

    it('sends a number given twice (in any form) once and charges it once by default', async () => {
      const answer = await postSms(sandbox, { ...SEND, msisdn: '0812345678,+66812345678' });
      expect(answer.json.phone_number_list).toHaveLength(1);
      expect(answer.json.total_use_credit).toBe(1);
    });

    it("sends every occurrence when duplicates: 'each'", async () => {
      const each = await ThaiBulkSmsSandbox.start({ port: 0, duplicates: 'each' });
      try {
        const answer = await postSms(each, { ...SEND, msisdn: '0812345678,66812345678' });
        expect(answer.json.total_use_credit).toBe(2);
      } finally {
        await each.close();
      }
    });
  });

  describe('message and credits', () => {
    it('answers ERROR_MESSAGE for an empty or missing message', async () => {
      expectVendorError(await postSms(sandbox, { ...SEND, message: '' }), 'ERROR_MESSAGE');
      expectVendorError(await postSms(sandbox, { ...SEND, message: undefined }), 'ERROR_MESSAGE');
    });

    it.each([
      ['GSM-7, 160 characters', 'a'.repeat(160), 1],
      ['GSM-7, 161 characters', 'a'.repeat(161), 2],
      ['GSM-7, 306 characters', 'a'.repeat(306), 2],
      ['GSM-7, 307 characters', 'a'.repeat(307), 3],
      ['GSM-7 extension characters count two', '{'.repeat(81), 2],
      ['UCS-2 (Thai), 70 characters', 'ก'.repeat(70), 1],
      ['UCS-2 (Thai), 71 characters', 'ก'.repeat(71), 2],
      ['UCS-2 (Thai), 135 characters', 'ก'.repeat(135), 3],
      ['one Thai character makes the whole text UCS-2', `${'a'.repeat(70)}ก`, 2],
    ])('charges per the message rules: %s', async (_label, message, credits) => {
      expect(estimateMessage(message).creditsPerRecipient).toBe(credits);
      const answer = await postSms(sandbox, { ...SEND, message, msisdn: '0812345678,0898765432' });
      expect(answer.json.phone_number_list[0].used_credit).toBe(credits);
      expect(answer.json.total_use_credit).toBe(credits * 2);
      expect(answer.json.remaining_credit).toBe(10000 - credits * 2);
      expect(sandbox.lastMessage()?.parts).toBe(credits);
    });

    it('answers ERROR_MESSAGE_TOO_LONG above maxMessageParts (default 10)', async () => {
      expect((await postSms(sandbox, { ...SEND, message: 'a'.repeat(153 * 10) })).status).toBe(201);
      expectVendorError(
        await postSms(sandbox, { ...SEND, message: 'a'.repeat(153 * 10 + 1) }),
        'ERROR_MESSAGE_TOO_LONG',
      );
    });

    it('charges standard by default and corporate when forced, each from its own pool', async () => {
      sandbox.setCredits({ standard: 50, corporate: 30 });
      const standard = await postSms(sandbox, SEND);
      expect(standard.json).toMatchObject({ credit_type: 'standard', remaining_credit: 49 });
      const corporate = await postSms(sandbox, { ...SEND, force: 'corporate' });
      expect(corporate.json).toMatchObject({ credit_type: 'corporate', remaining_credit: 29 });
      expect(sandbox.credits()).toEqual({ standard: 49, corporate: 29 });
    });

    it('answers ERROR_FORCE for an unknown pool', async () => {
      expectVendorError(await postSms(sandbox, { ...SEND, force: 'premium' }), 'ERROR_FORCE');
    });

    it('refuses with ERROR_INSUFFICIENT_CREDIT when the total does not fit, and charges nothing', async () => {
      sandbox.setCredits({ standard: 3 });
      const answer = await postSms(sandbox, { ...SEND, msisdn: '0812345678,0812345679,0812345670,0812345671' });
      expectVendorError(answer, 'ERROR_INSUFFICIENT_CREDIT');
      expect(sandbox.credits().standard).toBe(3);
      expect(sandbox.messages()).toHaveLength(0);
      expect(
        (await postSms(sandbox, { ...SEND, msisdn: '0812345678,0812345679,0812345670' })).json.remaining_credit,
      ).toBe(0);
    });
  });

  describe('sender', () => {
    it('accepts the approved senders exactly and refuses others with ERROR_SENDER_NOT_FOUND', async () => {
      for (const sender of ['SMS.', 'Demo', 'MySMS'])
        expect((await postSms(sandbox, { ...SEND, sender })).status).toBe(201);
      expectVendorError(await postSms(sandbox, { ...SEND, sender: 'sms.' }), 'ERROR_SENDER_NOT_FOUND');
      expectVendorError(await postSms(sandbox, { ...SEND, sender: 'Acme' }), 'ERROR_SENDER_NOT_FOUND');
    });

    it('answers ERROR_SENDER when the sender is missing or longer than 11 characters', async () => {
      expectVendorError(await postSms(sandbox, { ...SEND, sender: undefined }), 'ERROR_SENDER');
      expectVendorError(await postSms(sandbox, { ...SEND, sender: 'ABCDEFGHIJKL' }), 'ERROR_SENDER');
    });
  });

  describe('routing', () => {
    it('answers ERROR_METHOD_NOT_ALLOWED for GET /sms and ERROR_NOT_FOUND for an unknown path', async () => {
      expectVendorError(await call(`${sandbox.url}/sms`), 'ERROR_METHOD_NOT_ALLOWED');
      expectVendorError(await call(`${sandbox.url}/nope`), 'ERROR_NOT_FOUND');
    });

    it('counts requests per path', async () => {
      await postSms(sandbox, SEND);
      await postSms(sandbox, SEND, { auth: null });
      expect(sandbox.stats().requests['/sms']).toBe(2);
    });
  });
});
