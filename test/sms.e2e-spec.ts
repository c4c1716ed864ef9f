import request from 'supertest';
import { createTestApp, TestApp, thaiMobile } from './support/test-app';

describe('POST /sms', () => {
  let t: TestApp;
  const send = (body: unknown) =>
    request(t.server)
      .post('/sms')
      .set('x-api-key', t.key)
      .send(body as object);

  beforeAll(async () => {
    t = await createTestApp({ env: { THAIBULKSMS_TIMEOUT_MS: '300' } });
  });
  afterAll(() => t.close());
  beforeEach(() => t.sandbox.reset());

  it('sends one SMS and answers 201 with the message id and credits', async () => {
    const res = await send({ to: '081-234-5678', message: 'Hello', sender: 'Demo', tags: ['welcome'] }).expect(201);
    expect(res.body).toEqual({
      accepted: [{ phone: '66812345678', messageId: expect.any(String), credits: 1 }],
      rejected: [],
      creditType: 'standard',
      creditsUsed: 1,
      creditsRemaining: 9999,
    });
    const [message] = t.sandbox.messages();
    expect(message).toMatchObject({
      messageId: res.body.accepted[0].messageId,
      phone: '66812345678',
      sender: 'Demo',
      message: 'Hello',
      tags: ['welcome'],
    });
  });

  it('sends to a list, answering accepted and rejected numbers apart', async () => {
    const res = await send({ to: ['0812345678', '+66898765432', '0123'], message: 'สวัสดี', force: 'corporate' }).expect(
      201,
    );
    expect(res.body.accepted.map((a: { phone: string }) => a.phone).sort()).toEqual(['66812345678', '66898765432']);
    expect(res.body.rejected).toEqual([{ phone: '0123', reason: expect.any(String) }]);
    expect(res.body.creditType).toBe('corporate');
    expect(t.sandbox.messages()).toHaveLength(2);
  });

  it('accepts exactly 500 numbers', async () => {
    const to = Array.from({ length: 500 }, (_, i) => thaiMobile(i));
    const res = await send({ to, message: 'Hi' }).expect(201);
    expect(res.body.accepted).toHaveLength(500);
  });

  it('uses THAIBULKSMS_SENDER when no sender is given', async () => {
    await send({ to: '0812345678', message: 'Hi' }).expect(201);
    expect(t.sandbox.lastMessage()?.sender).toBe('SMS.');
  });

  describe('caller mistakes: 400 with the vendor error name, nothing sent', () => {
    it.each([
      ['a number that is not a phone', { to: 'abc', message: 'Hi' }, 'ERROR_MSISDN'],
      ['a landline', { to: '021234567', message: 'Hi' }, 'ERROR_MSISDN'],
      ['no to', { message: 'Hi' }, 'ERROR_MSISDN'],
      ['an empty list', { to: [], message: 'Hi' }, 'ERROR_MSISDN'],
      ['a number as a JSON number', { to: 812345678, message: 'Hi' }, 'ERROR_MSISDN'],
      [
        '501 numbers',
        { to: Array.from({ length: 501 }, (_, i) => thaiMobile(i)), message: 'Hi' },
        'ERROR_MSISDN_EXCEEDED_LIMIT',
      ],
      ['no message', { to: '0812345678' }, 'ERROR_MESSAGE'],
      ['an empty message', { to: '0812345678', message: '' }, 'ERROR_MESSAGE'],
      ['a message that is too long', { to: '0812345678', message: 'x'.repeat(153 * 10 + 1) }, 'ERROR_MESSAGE_TOO_LONG'],
      ['a sender that is too long', { to: '0812345678', message: 'Hi', sender: 'ABCDEFGHIJKL' }, 'ERROR_SENDER'],
      ['an unknown credit pool', { to: '0812345678', message: 'Hi', force: 'premium' }, 'ERROR_FORCE'],
      [
        'a malformed schedule',
        { to: '0812345678', message: 'Hi', scheduledAt: 'tomorrow' },
        'ERROR_SCHEDULED_DELIVERY',
      ],
      [
        'a callbackUrl that is not a URL',
        { to: '0812345678', message: 'Hi', callbackUrl: 'not a url' },
        'ERROR_CALLBACK_URL',
      ],
      ['a bad callback method', { to: '0812345678', message: 'Hi', callbackMethod: 'DELETE' }, 'ERROR_CALLBACK_METHOD'],
      ['tags that are not a list', { to: '0812345678', message: 'Hi', tags: 'a,b' }, 'ERROR_TAGS'],
      ['an unknown field', { to: '0812345678', message: 'Hi', priority: 'high' }, 'ERROR_FORM'],
      ['shortenUrl as a string', { to: '0812345678', message: 'Hi', shortenUrl: 'yes' }, 'ERROR_FORM'],
    ])('%s → %s', async (_label, body, error) => {
      const res = await send(body);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ statusCode: 400, error, message: expect.any(String) });
      expect(t.sandbox.messages()).toHaveLength(0);
    });

    it('a sender the account has not approved → 400 ERROR_SENDER_NOT_FOUND (from the API)', async () => {
      const res = await send({ to: '0812345678', message: 'Hi', sender: 'NotMine' });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'ERROR_SENDER_NOT_FOUND' });
    });

    it('a schedule more than a year ahead → 400 ERROR_SCHEDULED_DELIVERY_TOO_FAR', async () => {
      const res = await send({ to: '0812345678', message: 'Hi', scheduledAt: '2099-01-01T10:00:00+07:00' });
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('ERROR_SCHEDULED_DELIVERY_TOO_FAR');
    });
  });

  describe('malformed requests', () => {
    it.each([
      ['cut short', '{"to": "0812345678",'],
      ['ending early', '{"to": '],
      ['not JSON at all', 'to=0812345678'],
    ])("malformed JSON (%s) → 400 ERROR_FORM with our own message, not the parser's", async (_label, body) => {
      const res = await request(t.server)
        .post('/sms')
        .set('x-api-key', t.key)
        .set('content-type', 'application/json')
        .send(body);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        statusCode: 400,
        error: 'ERROR_FORM',
        message: 'The request body is not valid JSON.',
      });
      expect(t.sandbox.messages()).toHaveLength(0);
    });

    it('malformed JSON on a public route (the webhook) gets the same answer', async () => {
      const res = await request(t.server)
        .post('/webhooks/thaibulksms/not-the-token')
        .set('content-type', 'application/json')
        .send('{"status": ');
      expect(res.body).toEqual({
        statusCode: 400,
        error: 'ERROR_FORM',
        message: 'The request body is not valid JSON.',
      });
    });

    it('a body over the limit (100 kB) → 413 PAYLOAD_TOO_LARGE', async () => {
      const res = await send({ to: '0812345678', message: 'x'.repeat(110 * 1024) });
      expect(res.status).toBe(413);
      expect(res.body).toEqual({ statusCode: 413, error: 'PAYLOAD_TOO_LARGE', message: expect.any(String) });
      expect(t.sandbox.messages()).toHaveLength(0);
    });

    it('a JSON array as the body → 400', async () => {
      const res = await send([{ to: '0812345678', message: 'Hi' }]);
      expect(res.status).toBe(400);
      expect(res.body.error).toEqual(expect.stringMatching(/^ERROR_/));
    });

    it('an unknown route → 404 NOT_FOUND', async () => {
      const res = await request(t.server).get('/nope').set('x-api-key', t.key);
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ statusCode: 404, error: 'NOT_FOUND', message: expect.any(String) });
    });
  });

  describe("status policy: our account and the upstream are never the caller's 4xx", () => {
    it.each([
      ['ERROR_AUTHENTICATION_FAILED', 503],
      ['ERROR_API_KEY_SUSPENDED', 503],
      ['ERROR_IP_NOT_ALLOWED', 503],
      ['ERROR_INSUFFICIENT_CREDIT', 503],
      ['ERROR_USER_BLOCKED', 503],
      ['ERROR_SYSTEM_FAILURE', 502],
      ['ERROR_DB_FAILURE', 502],
    ])('vendor %s → %i', async (name, status) => {
      t.sandbox.failNext(name, { path: '/sms' });
      const res = await send({ to: '0812345678', message: 'Hi' });
      expect(res.status).toBe(status);
      expect(res.body).toEqual({ statusCode: status, error: name, message: expect.any(String) });
      // The caller learns nothing about our account: the message is generic.
      expect(res.body.message).not.toMatch(/api key|ip|credential|suspended|authentication/i);
    });

    it('an HTML 502 page from the upstream → 502', async () => {
      t.sandbox.inject({ kind: 'html-502' }, { path: '/sms', times: 1 });
      const res = await send({ to: '0812345678', message: 'Hi' });
      expect(res.status).toBe(502);
      expect(res.body.statusCode).toBe(502);
      expect(typeof res.body.error).toBe('string');
    });

    it('an upstream that does not answer in time → 504', async () => {
      t.sandbox.inject({ kind: 'hang' }, { path: '/sms', times: 1 });
      const res = await send({ to: '0812345678', message: 'Hi' });
      expect(res.status).toBe(504);
      expect(res.body).toEqual({ statusCode: 504, error: 'ERROR_UPSTREAM_TIMEOUT', message: expect.any(String) });
    });

    it('a send that may have arrived is never retried', async () => {
      t.sandbox.failNext('ERROR_SYSTEM_FAILURE', { path: '/sms' });
      await send({ to: '0812345678', message: 'Hi' }).expect(502);
      expect(t.sandbox.stats().requests['/sms']).toBe(1);
    });
  });
});
