import { SmsQueueUnknownOptionError, ThaiBulkSmsQueueOptionsError } from '../errors';
import { UnrecoverableError } from 'bullmq';
import {
  ThaiBulkSmsNetworkError,
  ThaiBulkSmsResponseTooLargeError,
  ThaiBulkSmsTimeoutError,
  ThaiBulkSmsUnconfirmedSendError,
  vendorError,
} from '../errors';
import { sendIdForKey, chunkJobId, planSend } from './send-plan';
import { sendStatusOf, LoadedChunk } from './send-status';
import { failureOf, isFinalFailure, STALLED_ERROR_NAME, toJobError } from './chunk-failure';
import { readEnqueueOptions } from './enqueue-options.validator';
import { isCi, redisSpecMode } from './redis.test-util';

import { redisOptionsFromUrl, resolveQueueOptions } from './thai-bulk-sms-queue.options';

const numbers = (count: number) => Array.from({ length: count }, (_, i) => `08${String(10_000_000 + i)}`);

describe('planSend', () => {
  it('sorts the whole list once, refuses invalid numbers, and cuts chunks of at most 500', () => {
    const at = new Date(Date.now() + 86_400_000);
    const plan = planSend(
      { to: [...numbers(1_001), '0810000000', 'bad'], message: 'hi', scheduledAt: at },
      undefined,
      Date.now(),
    );
    expect(plan.chunks.map((c) => c.send.to.length)).toEqual([500, 500, 1]);
    expect(plan.rejected).toEqual([{ phone: 'bad', reason: expect.any(String) }]);
    expect(
      plan.chunks.every((c) => c.chunks === 3 && c.alertId === plan.sendId && c.send.scheduledAt === at.toISOString()),
    ).toBe(true);
  });

  it('derives the id from the dedupe key (no ":"), and the fingerprint from the content', () => {
    const a = planSend({ to: '0812345678', message: 'x' }, 'disk:full/7', 0);
    const b = planSend({ to: '+66812345678', message: 'x' }, 'disk:full/7', 0);
    const c = planSend({ to: '0812345678', message: 'y' }, 'disk:full/7', 0);
    expect(a.sendId).toBe(sendIdForKey('disk:full/7'));
    expect(a.sendId).not.toContain(':');
    expect(chunkJobId(a.sendId, 0)).toBe(`${a.sendId}/0`);
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(a.fingerprint).not.toBe(c.fingerprint);
    expect(a.enqueueId).not.toBe(b.enqueueId);
  });

  it.each([
    [{ to: ['bad'], message: 'x' }, undefined, 'ERROR_MSISDN'],
    [{ to: '0812345678', message: '' }, undefined, 'ERROR_MESSAGE'],
    [{ to: '0812345678', message: 'x', sender: 'much-too-long-sender' }, undefined, 'ERROR_SENDER'],
    [{ to: '0812345678', message: 'x' }, '', 'ERROR_FORM'],
  ])('refuses %p before queueing', (send, key, errorName) => {
    expect(() => planSend(send as never, key, Date.now())).toThrow(expect.objectContaining({ errorName }));
  });
});

describe('toJobError (retry policy)', () => {
  it('lets BullMQ retry only a send that provably never arrived', () => {
    const refused = toJobError(
      new ThaiBulkSmsNetworkError({ networkCode: 'ECONNREFUSED', requestMayHaveArrived: false }),
    );
    expect(refused).not.toBeInstanceOf(UnrecoverableError);
    expect(refused.message).toMatch(/^ERROR_UPSTREAM_UNREACHABLE: /);
    for (const error of [
      new ThaiBulkSmsNetworkError({ networkCode: 'ECONNRESET', requestMayHaveArrived: true }),
      new ThaiBulkSmsTimeoutError(100),
      vendorError({ name: 'ERROR_SYSTEM_FAILURE' }),
      new TypeError('bug'),
    ]) {
      expect(toJobError(error)).toBeInstanceOf(UnrecoverableError);
    }
  });

  it('ends a chunk whose answer did not account for every number (it may have gone out), named', () => {
    for (const error of [
      new ThaiBulkSmsUnconfirmedSendError({
        upstreamStatus: 201,
        problem: 'and no lists',
        unconfirmed: ['66812345678'],
      }),
      new ThaiBulkSmsResponseTooLargeError(1024),
    ]) {
      const jobError = toJobError(error);
      expect(jobError).toBeInstanceOf(UnrecoverableError);
      expect(jobError.message).toBe(`${error.errorName}: ${error.message}`);
    }
  });

  it('reads the error name back from the failed reason; stalled jobs get their own name', () => {
    const job = {
      id: 'a/0',
      data: { index: 0, send: { to: ['66812345678'] } },
      attemptsMade: 1,
    } as never as Parameters<typeof failureOf>[0];
    expect(failureOf({ ...job, failedReason: 'ERROR_SENDER: Sender is invalid.' })).toMatchObject({
      errorName: 'ERROR_SENDER',
      message: 'Sender is invalid.',
    });
    expect(failureOf({ ...job, failedReason: 'job stalled more than allowable limit' }).errorName).toBe(
      STALLED_ERROR_NAME,
    );
    expect(isFinalFailure({ attemptsMade: 1, opts: { attempts: 5 } }, new Error('ERROR_UPSTREAM_UNREACHABLE: x'))).toBe(
      false,
    );
    expect(isFinalFailure({ attemptsMade: 5, opts: { attempts: 5 } }, new Error('x'))).toBe(true);
    expect(isFinalFailure({ attemptsMade: 1, opts: { attempts: 5 } }, new UnrecoverableError('x'))).toBe(true);
  });
});

describe('sendStatusOf', () => {
  const chunk = (index: number, state: LoadedChunk['state'], extra: object = {}): LoadedChunk => ({
    index,
    jobId: `a/${index}`,
    state,
    job: {
      id: `a/${index}`,
      data: { send: { to: ['1', '2'] }, index } as never,
      timestamp: 10,
      attemptsMade: 1,
      failedReason: 'ERROR_X_Y: no',
      returnvalue: undefined as never,
      finishedOn: 20,
      ...extra,
    },
  });
  it.each([
    [['waiting', 'delayed'], 'queued'],
    [['completed', 'waiting'], 'sending'],
    [['active', 'waiting'], 'sending'],
    [['completed', 'completed'], 'completed'],
    [['completed', 'failed'], 'partially-failed'],
    [['failed', 'failed'], 'failed'],
  ] as const)('%p -> %s', (states, expected) => {
    expect(
      sendStatusOf(
        'a',
        states.map((s, i) => chunk(i, s)),
      ).state,
    ).toBe(expected);
  });
});

describe('resolveQueueOptions', () => {
  it('applies the defaults and reads a redis URL', () => {
    const o = resolveQueueOptions('thaibulksms', { connection: 'rediss://u:p%40ss@redis.example:6380/2' });
    expect(o).toMatchObject({
      maxTps: 120,
      limiterMax: 120,
      limiterWindowMs: 1000,
      worker: true,
      concurrency: 16,
      prefix: 'bull',
    });
    expect(o).toMatchObject({ accountRateGate: true, limiterMarginMs: 10, dedupeTtlSeconds: 86_400, events: 'worker' });
    expect(o.connection).toEqual({
      host: 'redis.example',
      port: 6380,
      username: 'u',
      password: 'p@ss',
      db: 2,
      tls: {},
    });
    expect(redisOptionsFromUrl('redis://127.0.0.1')).toEqual({ host: '127.0.0.1', port: 6379 });
  });
  it.each([
    ['bad:name', {}, 'queueName'],
    ['q', { maxTps: 0 }, 'maxTps'],
    ['q', { connection: 'http://x' }, 'connection'],
    ['q', { prefix: 'a:b' }, 'prefix'],
    ['q', { worker: 'yes' }, 'worker'],
    ['q', { maxTps: 1, limiterWindowMs: 100 }, 'limiterWindowMs'],
    ['q', { accountRateGate: 'off' }, 'accountRateGate'],
    ['q', { dedupeTtlSeconds: 0 }, 'dedupeTtlSeconds'],
    ['q', { events: 'cluster' }, 'events'],
  ])('refuses queue %s with %p (%s)', (name, options, field) => {
    expect(() => resolveQueueOptions(name, options as never)).toThrow(ThaiBulkSmsQueueOptionsError);
    expect(() => resolveQueueOptions(name, options as never)).toThrow(field);
  });
});

describe('readEnqueueOptions', () => {
  it('maps the known options to BullMQ job options', () => {
    expect(readEnqueueOptions(undefined)).toEqual({ jobOptions: {} });
    expect(readEnqueueOptions({ dedupeKey: 'k', delayMs: 5_000, priority: 2 })).toEqual({
      dedupeKey: 'k',
      jobOptions: { delay: 5_000, priority: 2 },
    });
  });
  it.each([
    [{ delay: 1000 }, 'delay', /did you mean delayMs \(milliseconds\)\?/],
    [{ delayMs: 1, Priority: 1 }, 'Priority', /known: dedupeKey, delayMs, priority\)$/],
  ])('refuses %p naming %s', (options, option, message) => {
    const attempt = () => readEnqueueOptions(options);
    expect(attempt).toThrow(SmsQueueUnknownOptionError);
    expect(attempt).toThrow(message);
    try {
      attempt();
    } catch (error) {
      expect((error as SmsQueueUnknownOptionError).option).toBe(option);
    }
  });
  it('refuses options that are not an object, and bad values of known ones with ERROR_FORM', () => {
    expect(() => readEnqueueOptions(5)).toThrow(TypeError);
    expect(() => readEnqueueOptions(null)).toThrow('got null');
    expect(() => readEnqueueOptions({ delayMs: -1 })).toThrow(expect.objectContaining({ errorName: 'ERROR_FORM' }));
    expect(() => readEnqueueOptions({ priority: 1.5 })).toThrow(expect.objectContaining({ errorName: 'ERROR_FORM' }));
  });
});

describe('describeWithRedis: CI detection', () => {
  it.each([
    ['true', true],
    ['1', true],
    ['yes', true],
    ['TRUE', true],
    ['false', false],
    ['0', false],
    ['', false],
    [undefined, false],
  ])('CI=%p -> CI %p', (value, expected) => {
    expect(isCi(value === undefined ? {} : { CI: value })).toBe(expected);
  });
  it('without Redis: fails in CI (CI=1 included), skips elsewhere; with Redis: runs', () => {
    expect(redisSpecMode({ up: false }, { CI: '1' })).toBe('fail');
    expect(redisSpecMode({ up: false }, { CI: 'true' })).toBe('fail');
    expect(redisSpecMode({ up: false }, {})).toBe('skip');
    expect(redisSpecMode({ up: true }, { CI: '1' })).toBe('run');
  });
});
