import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import request from 'supertest';
import { SmsQueue } from '@app/thai-bulk-sms/queue';
import { describeWithRedis, obliterateQueue, testRedisUrl } from '@app/thai-bulk-sms/queue/redis.test-util';
import { loadAppConfig } from '../src/config/load-app-config';
import { connectAppRedis } from '../src/redis/app-redis.module';
import { createSecondInstance, deleteRedisKeys } from './support/second-instance';
import { createTestApp, TestApp, thaiMobile } from './support/test-app';

const numbers = (n: number, from = 0) => Array.from({ length: n }, (_, i) => thaiMobile(from + i));

/** Polls GET /alerts/:id (every 25 ms, at most `timeoutMs`) until `done` holds; fails with the last body. */
async function pollStatus(t: TestApp, id: string, done: (body: any) => boolean, timeoutMs = 15_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  let last: any;
  while (Date.now() < deadline) {
    const res = await request(t.server)
      .get(`/alerts/${encodeURIComponent(id)}`)
      .set('x-api-key', t.key);
    last = { status: res.status, body: res.body };
    if (res.status === 200 && done(res.body)) return res.body;
    await sleep(25);
  }
  throw new Error(`alert ${id} did not reach the expected state in ${timeoutMs} ms; last: ${JSON.stringify(last)}`);
}

describe('/alerts with QUEUE_ENABLED=false (the default)', () => {
  let t: TestApp;
  beforeAll(async () => (t = await createTestApp({ env: { THAIBULKSMS_MAX_TPS: '0' } })));
  afterAll(() => t.close());

  it('GET /alerts/:id answers 404 saying queueing is off', async () => {
    const res = await request(t.server).get('/alerts/anything').set('x-api-key', t.key);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      statusCode: 404,
      error: 'NOT_FOUND',
      message: expect.stringContaining('QUEUE_ENABLED=false'),
    });
  });

  it('refuses dedupeKey (queue only) as an unknown field', async () => {
    const res = await request(t.server)
      .post('/alerts')
      .set('x-api-key', t.key)
      .send({ to: ['0812345678'], message: 'Hi', dedupeKey: 'k' });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('ERROR_FORM');
  });
});

describe('REDIS_URL that cannot be reached', () => {
  it('stops the start with the URL, its password masked', async () => {
    const config = loadAppConfig({ QUEUE_ENABLED: 'true', REDIS_URL: 'redis://ops:hunter2-secret@127.0.0.1:1/0' });
    const logged: string[] = [];
    const logger = { log: (m: string) => logged.push(m), error: (m: string) => logged.push(m) } as unknown as Logger;
    if (config.redis.url === undefined) throw new Error('QUEUE_ENABLED=true has a Redis URL');
    const error = await connectAppRedis(config.redis, logger).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).toContain('Redis is not reachable at redis://ops:***@127.0.0.1:1/0');
    expect(error?.message).not.toContain('hunter2');
    expect(logged.join('\n')).not.toContain('hunter2');
  });
});

describeWithRedis('/alerts with QUEUE_ENABLED=true (real Redis, in-process sandbox)', () => {
  const redisUrl = testRedisUrl();
  const prefix = `t-qapp-${process.pid}-${randomBytes(4).toString('hex')}`;
  const env = { QUEUE_ENABLED: 'true', REDIS_URL: redisUrl, REDIS_PREFIX: prefix, THAIBULKSMS_MAX_TPS: '120' };
  let t: TestApp;
  let queue: SmsQueue;
  const send = (body: unknown, app = t) =>
    request(app.server)
      .post('/alerts')
      .set('x-api-key', app.key)
      .send(body as object);
  const jobCount = async () => {
    const counts = await queue.queue.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized');
    return Object.values(counts).reduce((a, b) => a + b, 0);
  };

  beforeAll(async () => {
    t = await createTestApp({ env });
    queue = t.app.get(SmsQueue);
  });
  afterAll(async () => {
    await t?.close();
    await obliterateQueue('thaibulksms', redisUrl, prefix);
    await deleteRedisKeys(redisUrl, prefix);
  });
  beforeEach(() => t.sandbox.reset());

  it('answers 202 with the job id and a Location, and GET /alerts/:id reports progress until completed', async () => {
    const to = [...numbers(1203), '0123'];
    const res = await send({ to, message: 'Storm warning' });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({
      id: expect.any(String),
      chunks: 3,
      recipients: 1203,
      rejected: [{ phone: '0123', reason: expect.any(String) }],
      duplicate: false,
    });
    expect(res.headers.location).toBe(`/alerts/${encodeURIComponent(res.body.id)}`);

    const status = await pollStatus(t, res.body.id, (s) => s.state === 'completed');
    expect(status).toMatchObject({
      id: res.body.id,
      recipients: 1203,
      accepted: 1203,
      creditsUsed: 1203,
      failures: [],
      chunks: { total: 3, completed: 3 },
    });
    expect(t.sandbox.stats().requests['/sms']).toBe(3);
    expect(t.sandbox.messages()).toHaveLength(1203);
  });

  it('reports a failed chunk with the vendor error name, never resent', async () => {
    t.sandbox.inject({ kind: 'vendor-error', name: 'ERROR_SYSTEM_FAILURE', status: 500 }, { path: '/sms', times: 1 });
    const res = await send({ to: numbers(600), message: 'Storm warning' }).expect(202);
    const status = await pollStatus(t, res.body.id, (s) => s.state === 'partially-failed');
    expect(status.failures).toEqual([expect.objectContaining({ errorName: 'ERROR_SYSTEM_FAILURE' })]);
    expect(t.sandbox.stats().requests['/sms']).toBe(2);
  });

  it('with the same dedupeKey twice, queues and sends the alert once and answers the same id', async () => {
    const body = { to: numbers(3, 5000), message: 'Disk full on host-7', dedupeKey: `disk-full:host-7:${prefix}` };
    const first = await send(body).expect(202);
    const second = await send(body).expect(202);
    expect(first.body.duplicate).toBe(false);
    expect(second.body).toEqual({ ...first.body, duplicate: true });
    await pollStatus(t, first.body.id, (s) => s.state === 'completed');
    const third = await send(body).expect(202); // after completion too, within retention
    expect(third.body).toMatchObject({ id: first.body.id, duplicate: true });
    expect(t.sandbox.stats().requests['/sms']).toBe(1);
    expect(t.sandbox.messages()).toHaveLength(3);
  });

  it('answers 409 CONFLICT when a dedupeKey is reused for a different alert, and queues nothing', async () => {
    const dedupeKey = `conflict:${prefix}`;
    const first = await send({ to: numbers(1, 6000), message: 'one', dedupeKey }).expect(202);
    await pollStatus(t, first.body.id, (s) => s.state === 'completed');
    const before = await jobCount();
    const res = await send({ to: numbers(1, 6000), message: 'another text', dedupeKey });
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ statusCode: 409, error: 'CONFLICT', message: expect.any(String) });
    expect(await jobCount()).toBe(before);
  });

  it.each([
    ['a single string', { to: '0812345678', message: 'Hi' }, 'ERROR_MSISDN'],
    ['an empty list', { to: [], message: 'Hi' }, 'ERROR_MSISDN'],
    ['only invalid numbers', { to: ['0123', 'x'], message: 'Hi' }, 'ERROR_MSISDN'],
    ['no message', { to: ['0812345678'] }, 'ERROR_MESSAGE'],
    ['a bad sender', { to: ['0812345678'], message: 'Hi', sender: 'much-too-long-sender' }, 'ERROR_SENDER'],
    ['an unknown field', { to: ['0812345678'], message: 'Hi', extra: 1 }, 'ERROR_FORM'],
    ['a dedupeKey that is not a string', { to: ['0812345678'], message: 'Hi', dedupeKey: 42 }, 'ERROR_FORM'],
    ['a dedupeKey of 129 characters', { to: ['0812345678'], message: 'Hi', dedupeKey: 'k'.repeat(129) }, 'ERROR_FORM'],
    ['an empty dedupeKey', { to: ['0812345678'], message: 'Hi', dedupeKey: '' }, 'ERROR_FORM'],
  ])('rejects %s → 400 %s and enqueues nothing', async (_label, body, error) => {
    const before = await jobCount();
    const res = await send(body);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ statusCode: 400, error, message: expect.any(String) });
    expect(await jobCount()).toBe(before);
    expect(t.sandbox.stats().requests['/sms'] ?? 0).toBe(0);
  });

  it('accepts a dedupeKey of 128 characters', async () => {
    const res = await send({ to: numbers(1, 7000), message: 'Hi', dedupeKey: `${prefix}-`.padEnd(128, 'k') }).expect(
      202,
    );
    await pollStatus(t, res.body.id, (s) => s.state === 'completed');
  });

  it('GET /alerts/:id answers 404 NOT_FOUND for an unknown id', async () => {
    for (const id of ['no-such-alert', 'a:b']) {
      const res = await request(t.server)
        .get(`/alerts/${encodeURIComponent(id)}`)
        .set('x-api-key', t.key);
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ statusCode: 404, error: 'NOT_FOUND', message: expect.any(String) });
    }
  });

  it('documents both routes in the OpenAPI document, behind the x-api-key scheme', async () => {
    const { body } = await request(t.server).get('/docs/json').expect(200);
    expect(Object.keys(body.paths['/alerts/{id}'])).toEqual(['get']);
    expect(body.paths['/alerts/{id}'].get.security).toEqual([{ 'api-key': [] }]);
    expect(Object.keys(body.paths['/alerts'].post.responses)).toContain('202');
    expect(body.components.schemas.QueuedAlertDto.properties.dedupeKey).toMatchObject({
      type: 'string',
      maxLength: 128,
    });
  });

  it('needs the API key on both routes', async () => {
    expect(
      (
        await request(t.server)
          .post('/alerts')
          .send({ to: ['0812345678'], message: 'Hi' })
      ).status,
    ).toBe(401);
    expect((await request(t.server).get('/alerts/x')).status).toBe(401);
  });

  it('an instance with QUEUE_WORKER=false only enqueues; a worker instance sends, and either reports the status', async () => {
    const enqueuer = await createSecondInstance(t, { ...env, QUEUE_WORKER: 'false' });
    try {
      const res = await send({ to: numbers(2, 8000), message: 'from the enqueue-only instance' }, enqueuer).expect(202);
      const status = await pollStatus(enqueuer, res.body.id, (s) => s.state === 'completed');
      expect(status).toMatchObject({ accepted: 2, chunks: { total: 1, completed: 1 } });
      expect(t.sandbox.messages()).toHaveLength(2);
    } finally {
      await enqueuer.close();
    }
  });
});
