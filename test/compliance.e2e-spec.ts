import request from 'supertest';
import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { SmsQueue } from '@app/thai-bulk-sms/queue';
import { describeWithRedis, testRedisUrl } from '@app/thai-bulk-sms/queue/redis.test-util';
import { OptOutErasure } from '../src/compliance/opt-out-erasure';
import { deleteRedisKeys } from './support/second-instance';
import { createTestApp, TestApp } from './support/test-app';

const HOUR_MS = 3_600_000;
const BANGKOK_OFFSET_MS = 7 * HOUR_MS;
const OPT_OUT = 'STOP? reply STOP to 4000000';
const COMPLIANCE_ENV = {
  COMPLIANCE_LINK_HOSTS: 'shop.example.co.th',
  COMPLIANCE_OPT_OUT_TEXT: OPT_OUT,
};

/** Today's Bangkok wall time `hour`:00, as an instant. */
function bangkokToday(hour: number): number {
  const dayStart = Math.floor((Date.now() + BANGKOK_OFFSET_MS) / (24 * HOUR_MS)) * 24 * HOUR_MS - BANGKOK_OFFSET_MS;
  return dayStart + hour * HOUR_MS;
}

/** The sending rules through the app, against its sandbox; `store` names the opt-out store in use. */
function complianceSpecs(start: () => Promise<TestApp>): void {
  let t: TestApp;
  const post = (path: string, body: object) => request(t.server).post(path).set('x-api-key', t.key).send(body);
  const optOut = (phone: string, scope?: 'marketing' | 'all', extra: object = {}) =>
    post('/suppressions', { phone, ...(scope && { scope }), ...extra }).expect(201);

  beforeAll(async () => {
    t = await start();
    // Noon in Bangkok for every test but the last; the clock only moves forward (the library's
    // rate limiter reads it too, and would wait out a jump back).
    t.clock.set(bangkokToday(12));
  });
  afterAll(() => t?.close());
  beforeEach(() => t.sandbox.reset());

  it('lists, finds (any Thai form), and unlists a number; bad input is a clear 400', async () => {
    const res = await optOut('081-000-0001', 'all', { reason: 'replied STOP' });
    expect(res.body).toEqual({
      phone: '66810000001',
      scope: 'all',
      reason: 'replied STOP',
      at: expect.any(String),
      keepAfterErasure: false,
      erased: false,
    });
    const found = await request(t.server).get('/suppressions/%2B66810000001').set('x-api-key', t.key).expect(200);
    expect(found.body).toMatchObject({ phone: '66810000001', scope: 'all' });
    const removed = await request(t.server).delete('/suppressions/0810000001').set('x-api-key', t.key).expect(200);
    expect(removed.body).toEqual({ phone: '66810000001', removed: true });
    await request(t.server).delete('/suppressions/0810000001').set('x-api-key', t.key).expect(200, {
      phone: '66810000001',
      removed: false,
    });
    const missing = await request(t.server).get('/suppressions/0810000001').set('x-api-key', t.key).expect(404);
    expect(missing.body.error).toBe('NOT_FOUND');

    expect((await post('/suppressions', { phone: '0123' }).expect(400)).body.error).toBe('ERROR_MSISDN');
    const badScope = await post('/suppressions', { phone: '0810000001', scope: 'everything' }).expect(400);
    expect(badScope.body).toMatchObject({ error: 'ERROR_FORM', message: expect.stringContaining('scope') });
    await post('/suppressions', { phone: '0810000001', keepAfterErasure: 'yes' }).expect(400);
    expect((await request(t.server).get('/suppressions/abc').set('x-api-key', t.key).expect(400)).body.error).toBe(
      'ERROR_MSISDN',
    );
    await request(t.server).post('/suppressions').send({ phone: '0810000001' }).expect(401);
  });

  it('marketing drops every opted-out number and reports it; the rest get the text with the opt-out line', async () => {
    await optOut('0810000011');
    await optOut('0810000012', 'all');
    const res = await post('/sms', {
      to: ['0810000011', '0810000012', '0810000013'],
      message: 'Sale today',
      category: 'marketing',
    }).expect(201);
    expect(res.body.accepted.map((a: { phone: string }) => a.phone)).toEqual(['66810000013']);
    expect(res.body.rejected).toEqual(
      expect.arrayContaining([
        { phone: '66810000011', reason: 'RECIPIENT_OPTED_OUT' },
        { phone: '66810000012', reason: 'RECIPIENT_OPTED_OUT' },
      ]),
    );
    const sent = t.sandbox.messages();
    expect(sent.map((m) => m.phone)).toEqual(['66810000013']);
    expect(sent[0].message).toBe(`Sale today\n${OPT_OUT}`);

    const alerts = await post('/alerts', {
      to: ['0810000011', '0810000014'],
      message: 'Sale today',
      category: 'marketing',
    }).expect((r) => expect([201, 202]).toContain(r.status));
    expect(alerts.body.rejected).toEqual([{ phone: '66810000011', reason: 'RECIPIENT_OPTED_OUT' }]);
  });

  it('transactional skips only scope all; OTP always goes; every recipient opted out is 422 and nothing sent', async () => {
    await optOut('0810000021');
    await optOut('0810000022', 'all');
    const res = await post('/sms', { to: ['0810000021', '0810000022'], message: 'Your order shipped' }).expect(201);
    expect(res.body.accepted.map((a: { phone: string }) => a.phone)).toEqual(['66810000021']);
    expect(res.body.rejected).toEqual([{ phone: '66810000022', reason: 'RECIPIENT_OPTED_OUT' }]);
    expect(t.sandbox.messages()[0].message).toBe('Your order shipped');

    t.sandbox.reset();
    const none = await post('/sms', { to: '0810000022', message: 'Your order shipped' }).expect(422);
    expect(none.body.error).toBe('RECIPIENT_OPTED_OUT');
    const marketing = await post('/sms', { to: '0810000021', message: 'Sale', category: 'marketing' }).expect(422);
    expect(marketing.body.error).toBe('RECIPIENT_OPTED_OUT');
    expect(t.sandbox.messages()).toHaveLength(0);

    await post('/otp/request', { phone: '0810000022' }).expect(201);
  });

  it('a link to an unregistered host or a shortener is refused and nothing reaches the sandbox', async () => {
    const unregistered = await post('/sms', { to: '0810000031', message: 'See evil.example.com/x now' }).expect(400);
    expect(unregistered.body.error).toBe('LINK_NOT_REGISTERED');
    const shortener = await post('/alerts', { to: ['0810000031'], message: 'https://bit.ly/abc' }).expect(400);
    expect(shortener.body.error).toBe('LINK_SHORTENER_NOT_ALLOWED');
    expect(t.sandbox.messages()).toHaveLength(0);
    await post('/sms', { to: '0810000031', message: 'Track: https://shop.example.co.th/o/1' }).expect(201);
    expect(t.sandbox.messages()).toHaveLength(1);
  });

  it('a bad category is a 400 (otp is not a caller choice)', async () => {
    const res = await post('/sms', { to: '0810000051', message: 'x', category: 'otp' }).expect(400);
    expect(res.body).toMatchObject({ error: 'ERROR_FORM', message: expect.stringContaining('category') });
    expect(t.sandbox.messages()).toHaveLength(0);
  });

  it('erasure drops the entry, or keeps only a keyed hash when the person asked to stay opted out', async () => {
    const erasure = t.app.get(OptOutErasure);
    await optOut('0810000061');
    await optOut('0810000062', 'marketing', { keepAfterErasure: true, reason: 'asked twice' });
    await expect(erasure.erase('0810000061')).resolves.toEqual({ optOut: 'removed' });
    await expect(erasure.erase('+66810000062')).resolves.toEqual({ optOut: 'kept-as-hash' });
    await expect(erasure.erase('0810000063')).resolves.toEqual({ optOut: 'not-listed' });
    await request(t.server).get('/suppressions/0810000061').set('x-api-key', t.key).expect(404);
    const kept = await request(t.server).get('/suppressions/0810000062').set('x-api-key', t.key).expect(200);
    expect(kept.body).toEqual({
      phone: '66810000062',
      scope: 'marketing',
      at: expect.any(String),
      keepAfterErasure: true,
      erased: true,
    });
    const res = await post('/sms', {
      to: ['0810000061', '0810000062'],
      message: 'Sale',
      category: 'marketing',
    }).expect(201);
    expect(res.body.rejected).toEqual([{ phone: '66810000062', reason: 'RECIPIENT_OPTED_OUT' }]);
  });

  it('marketing outside the hours (22:00 Bangkok, injected clock) is OUTSIDE_SENDING_HOURS and nothing is sent (last: the clock only moves forward)', async () => {
    // 20:59 (the clock runs on in real time: a minute of margin before the 21:00 close).
    t.clock.set(bangkokToday(21) - 60_000);
    await post('/sms', { to: '0810000041', message: 'Sale', category: 'marketing' }).expect(201);
    expect(t.sandbox.messages()).toHaveLength(1);
    t.sandbox.reset();
    t.clock.set(bangkokToday(21));
    const res = await post('/sms', { to: '0810000041', message: 'Sale', category: 'marketing' }).expect(422);
    expect(res.body).toMatchObject({ error: 'OUTSIDE_SENDING_HOURS', message: expect.stringContaining('09:00') });
    t.clock.set(bangkokToday(22));
    await post('/alerts', { to: ['0810000041'], message: 'Sale', category: 'marketing' }).expect(422);
    // Transactional messages have no hours.
    await post('/sms', { to: '0810000041', message: 'Your order shipped' }).expect(201);
    expect(t.sandbox.messages().map((m) => m.message)).toEqual(['Your order shipped']);
  });
}

describe('Compliance through the app (opt-out list in memory)', () => {
  complianceSpecs(() => createTestApp({ env: COMPLIANCE_ENV, libraryClock: true }));
});

describeWithRedis('Compliance through the app (opt-out list in Redis, REDIS_URL)', () => {
  const prefix = `tbs-e2e-compliance-${process.pid}-${randomBytes(3).toString('hex')}`;
  let redis: Redis;
  beforeAll(() => {
    redis = new Redis(testRedisUrl());
  });
  afterAll(async () => {
    await deleteRedisKeys(testRedisUrl(), prefix);
    await redis.quit();
  });

  complianceSpecs(() =>
    createTestApp({ env: { ...COMPLIANCE_ENV, REDIS_URL: testRedisUrl(), REDIS_PREFIX: prefix }, libraryClock: true }),
  );

  it('keeps the list in the hash <prefix>:suppressions, the erased entry as a hash field only', async () => {
    const fields = Object.keys(await redis.hgetall(`${prefix}:suppressions`));
    expect(fields).toContain('#erased');
    expect(fields.some((field) => field.startsWith('#') && field !== '#erased')).toBe(true);
    expect(fields).not.toContain('66810000062');
  });
});

/**
 * A one-hour marketing window that excludes now (the queue's worker reads the real clock: its
 * registration is the library's own), and its next opening.
 */
function closedWindowNow(): { start: string; end: string; opensAt: number } {
  const bangkokHour = new Date(Date.now() + BANGKOK_OFFSET_MS).getUTCHours();
  const startHour = bangkokHour >= 2 ? 0 : 12;
  const opensToday = bangkokToday(startHour);
  return {
    start: `${String(startHour).padStart(2, '0')}:00`,
    end: `${String(startHour + 1).padStart(2, '0')}:00`,
    opensAt: opensToday > Date.now() ? opensToday : opensToday + 24 * HOUR_MS,
  };
}

describeWithRedis('Compliance with the queue (QUEUE_ENABLED=true): marketing outside the hours waits', () => {
  const prefix = `tbs-e2e-compliance-queue-${process.pid}-${randomBytes(3).toString('hex')}`;
  const window = closedWindowNow();
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      env: {
        ...COMPLIANCE_ENV,
        COMPLIANCE_MARKETING_START: window.start,
        COMPLIANCE_MARKETING_END: window.end,
        QUEUE_ENABLED: 'true',
        REDIS_URL: testRedisUrl(),
        REDIS_PREFIX: prefix,
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    await deleteRedisKeys(testRedisUrl(), prefix);
  });

  it('queues it as a job delayed to the next opening (202) and sends nothing now', async () => {
    const res = await request(t.server)
      .post('/alerts')
      .set('x-api-key', t.key)
      .send({ to: ['0810000071', '0810000072'], message: 'Sale', category: 'marketing' })
      .expect(202);
    const status = await request(t.server).get(`/alerts/${res.body.id}`).set('x-api-key', t.key).expect(200);
    expect(status.body).toMatchObject({ state: 'queued', chunks: { total: 1, completed: 0 } });
    const job = await t.app.get(SmsQueue).queue.getJob(`${res.body.id}/0`);
    expect(await job!.getState()).toBe('delayed');
    expect(Math.abs(job!.opts.delay! - (window.opensAt - Date.now()))).toBeLessThan(60_000);
    expect(job!.data.send).toMatchObject({ category: 'marketing' });
    expect(t.sandbox.messages()).toHaveLength(0);
  });
});
