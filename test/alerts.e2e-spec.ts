import request from 'supertest';
import { createTestApp, TestApp, thaiMobile } from './support/test-app';

describe('POST /alerts', () => {
  let t: TestApp;
  const send = (body: unknown) =>
    request(t.server)
      .post('/alerts')
      .set('x-api-key', t.key)
      .send(body as object);
  const numbers = (n: number, from = 0) => Array.from({ length: n }, (_, i) => thaiMobile(from + i));

  beforeAll(async () => {
    // 1,203 numbers take ~16 kB of JSON; keep the default body limit.
    t = await createTestApp({ env: { THAIBULKSMS_MAX_TPS: '0' } });
  });
  afterAll(() => t.close());
  beforeEach(() => t.sandbox.reset());

  it('sends any number of recipients in chunks of 500 and merges the results', async () => {
    const to = [...numbers(1203), '0123'];
    const res = await send({ to, message: 'Storm warning' }).expect(201);
    expect(res.body).toMatchObject({
      acceptedCount: 1203,
      rejectedCount: 1,
      chunks: 3,
      failedChunks: [],
      creditsUsed: 1203,
    });
    expect(res.body.accepted).toHaveLength(1203);
    expect(res.body.rejected).toEqual([{ phone: '0123', reason: expect.any(String) }]);
    expect(t.sandbox.stats().requests['/sms']).toBe(3);
    expect(t.sandbox.messages()).toHaveLength(1203);
  });

  it('reports a failed chunk with its recipients and keeps the others', async () => {
    t.sandbox.inject({ kind: 'vendor-error', name: 'ERROR_SYSTEM_FAILURE', status: 500 }, { path: '/sms', times: 1 });
    const res = await send({ to: numbers(1100), message: 'Storm warning' }).expect(201);
    expect(res.body.chunks).toBe(3);
    expect(res.body.failedChunks).toHaveLength(1);
    const [failed] = res.body.failedChunks;
    expect(failed).toEqual({
      index: expect.any(Number),
      recipientCount: failed.recipients.length,
      recipients: expect.any(Array),
      error: 'ERROR_SYSTEM_FAILURE',
      message: expect.any(String),
    });
    expect(res.body.acceptedCount).toBe(1100 - failed.recipientCount);
    // Nothing is resent: the failed chunk may have reached the API.
    expect(t.sandbox.stats().requests['/sms']).toBe(3);
  });

  it('answers the error when every chunk fails (status policy applies)', async () => {
    t.sandbox.inject(
      { kind: 'vendor-error', name: 'ERROR_INSUFFICIENT_CREDIT', status: 400 },
      { path: '/sms', times: 10 },
    );
    const res = await send({ to: numbers(600), message: 'Storm warning' });
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ statusCode: 503, error: 'ERROR_INSUFFICIENT_CREDIT', message: expect.any(String) });
  });

  it('sends to a short list too', async () => {
    const res = await send({ to: ['0812345678'], message: 'Hi' }).expect(201);
    expect(res.body).toMatchObject({ acceptedCount: 1, chunks: 1 });
  });

  it.each([
    ['a single string', { to: '0812345678', message: 'Hi' }, 'ERROR_MSISDN'],
    ['an empty list', { to: [], message: 'Hi' }, 'ERROR_MSISDN'],
    ['no message', { to: ['0812345678'] }, 'ERROR_MESSAGE'],
    ['an unknown field', { to: ['0812345678'], message: 'Hi', extra: 1 }, 'ERROR_FORM'],
  ])('rejects %s → 400 %s', async (_label, body, error) => {
    const res = await send(body);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ statusCode: 400, error, message: expect.any(String) });
    expect(t.sandbox.stats().requests['/sms'] ?? 0).toBe(0);
  });

  it('is bounded by the body limit (413), not by a recipient count', async () => {
    const res = await send({ to: numbers(10_000), message: 'Hi' });
    expect(res.status).toBe(413);
    expect(res.body.error).toBe('PAYLOAD_TOO_LARGE');
  });
});
