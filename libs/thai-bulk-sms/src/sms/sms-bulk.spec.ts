import { Test, TestingModule } from '@nestjs/testing';
import { ThaiBulkSmsSandbox } from '../sandbox';
import { THAI_BULK_SMS_SANDBOX, ThaiBulkSmsTestingModule } from '../testing';
import { ThaiBulkSmsAbortedError, ThaiBulkSmsRequestError } from '../errors';
import { rejectionOf, requestCount } from '../testing/spec-helpers.test-util';
import { SmsService } from './sms.service';
import { BulkProgress } from './sms.types';
import { NO_VALID_NUMBER_MESSAGE } from './recipients';

/** `count` distinct valid numbers 0810000000, 0810000001, … */
function* numbers(count: number, from = 0): Generator<string> {
  for (let i = from; i < from + count; i++) yield `081${String(i).padStart(7, '0')}`;
}

describe('SmsService.sendBulk (against the sandbox)', () => {
  let moduleRef: TestingModule;
  let sms: SmsService;
  let sb: ThaiBulkSmsSandbox;

  beforeAll(async () => {
    moduleRef = await Test.createTestingModule({
      imports: [
        ThaiBulkSmsTestingModule.forRoot({
          sandbox: { credits: { standard: 1_000_000 }, historyLimit: 100_000 },
          options: { maxConcurrency: 2 },
        }),
      ],
    }).compile();
    await moduleRef.init();
    sms = moduleRef.get(SmsService);
    sb = moduleRef.get(THAI_BULK_SMS_SANDBOX);
  });
  afterAll(() => moduleRef.close());
  beforeEach(() => {
    sb.reset();
    sb.setCredits({ standard: 1_000_000 });
  });

  it('cuts chunks of 500 and merges every answer', async () => {
    const result = await sms.sendBulk({ to: [...numbers(1_234)], message: 'hi' });
    expect(result).toMatchObject({
      chunks: 3,
      acceptedCount: 1_234,
      rejectedCount: 0,
      creditsUsed: 1_234,
      failedChunks: [],
    });
    expect(result.accepted).toHaveLength(1_234);
    expect(requestCount(sb, '/sms')).toBe(3);
    expect(sb.messages()).toHaveLength(1_234);
  });

  it('reports a failed chunk with its numbers and error, and keeps the other chunks', async () => {
    sb.inject({ kind: 'vendor-error', name: 'ERROR_SYSTEM_FAILURE' }, { path: '/sms', times: 1 });
    const result = await sms.sendBulk({ to: numbers(1_500), message: 'hi' });
    expect(result.chunks).toBe(3);
    expect(result.failedChunks).toHaveLength(1);
    const [failed] = result.failedChunks;
    expect(failed).toMatchObject({ errorName: 'ERROR_SYSTEM_FAILURE', message: 'System Failure.' });
    expect(failed.recipients).toHaveLength(500);
    expect(result.acceptedCount).toBe(1_000);
    const sent = new Set(result.accepted.map((a) => a.phone));
    expect(failed.recipients.some((phone) => sent.has(phone))).toBe(false);
  });

  it('reads an async iterable lazily, with bounded lookahead', async () => {
    let read = 0;
    let readWhenFirstAnswered = -1;
    async function* source() {
      for (const n of numbers(5_000)) {
        read++;
        yield n;
      }
    }
    sb.inject({ kind: 'slow', delayMs: 50 }, { path: '/sms', times: 2 });
    const result = await sms.sendBulk({
      to: source(),
      message: 'hi',
      onProgress: () => {
        if (readWhenFirstAnswered < 0) readWhenFirstAnswered = read;
      },
    });
    expect(result.acceptedCount).toBe(5_000);
    // maxConcurrency 2: two chunks in flight and one being filled, nothing more.
    expect(readWhenFirstAnswered).toBeLessThanOrEqual(3 * 500 + 1);
  });

  it('reports progress after each chunk', async () => {
    const progress: BulkProgress[] = [];
    await sms.sendBulk({ to: numbers(1_100), message: 'hi', onProgress: (p) => progress.push(p) });
    expect(progress).toHaveLength(3);
    expect(progress[2]).toEqual({ chunksDone: 3, chunksFailed: 0, recipientsDone: 1_100 });
  });

  it('summaryOnly keeps counts only', async () => {
    const result = await sms.sendBulk({ to: [...numbers(700), 'bad'], message: 'hi', summaryOnly: true });
    expect(result).toMatchObject({
      acceptedCount: 700,
      rejectedCount: 1,
      accepted: [],
      rejected: [],
      creditsUsed: 700,
    });
  });

  it('dedupes within a chunk by default, and across chunks when asked', async () => {
    const list = [...numbers(500), ...numbers(10)];
    expect((await sms.sendBulk({ to: list, message: 'hi', summaryOnly: true })).acceptedCount).toBe(510);
    expect((await sms.sendBulk({ to: list, message: 'hi', summaryOnly: true, dedupe: 'global' })).acceptedCount).toBe(
      500,
    );
    expect((await sms.sendBulk({ to: ['0812345678', '+66812345678'], message: 'hi' })).acceptedCount).toBe(1);
  });

  it('validates the message once, before anything is sent', async () => {
    await expect(sms.sendBulk({ to: numbers(10), message: '' })).rejects.toMatchObject({ errorName: 'ERROR_MESSAGE' });
    expect(requestCount(sb)).toBe(0);
  });

  it.each(['ERROR_AUTHENTICATION_FAILED', 'ERROR_INSUFFICIENT_CREDIT', 'ERROR_API_KEY_SUSPENDED'])(
    'stops early after an account error (%s): no further requests, every remaining recipient reported as not sent',
    async (name) => {
      sb.inject({ kind: 'vendor-error', name }, { path: '/sms', times: 1000 });
      const all = [...numbers(5_000)];
      const result = await sms.sendBulk({ to: all, message: 'hi', summaryOnly: true });
      // maxConcurrency 2: at most the two chunks already in flight reached the API.
      expect(requestCount(sb, '/sms')).toBeLessThanOrEqual(2);
      expect(result.stoppedBy).toMatchObject({ errorName: name, category: 'account' });
      // Nothing lost: every number is in exactly one failed chunk, and the unsent ones say so.
      const reported = result.failedChunks.flatMap((c) => c.recipients);
      expect(reported).toHaveLength(all.length);
      expect(new Set(reported)).toEqual(new Set(all.map((n) => `66${n.slice(1)}`)));
      const unsent = result.failedChunks.filter((c) => c.sent === false);
      expect(unsent.length).toBeGreaterThanOrEqual(8);
      expect(unsent.every((c) => c.errorName === name)).toBe(true);
      expect(result.notSentCount).toBe(unsent.reduce((n, c) => n + c.recipients.length, 0));
      expect(result.notSentCount).toBeGreaterThanOrEqual(all.length - 2 * 500);
      expect(result.chunks).toBe(result.failedChunks.length);
      expect(result.acceptedCount).toBe(0);
    },
  );

  it('does not stop early for an upstream failure (the other chunks carry on)', async () => {
    sb.inject({ kind: 'vendor-error', name: 'ERROR_SYSTEM_FAILURE' }, { path: '/sms', times: 1 });
    const result = await sms.sendBulk({ to: numbers(2_000), message: 'hi', summaryOnly: true });
    expect(requestCount(sb, '/sms')).toBe(4);
    expect(result.stoppedBy).toBeUndefined();
    expect(result.notSentCount ?? 0).toBe(0);
    expect(result.acceptedCount).toBe(1_500);
  });

  it('stops reading when the signal aborts, and reports every number read but not sent', async () => {
    const controller = new AbortController();
    const all = [...numbers(2_300, 100_000)];
    const result = await sms.sendBulk({
      to: all,
      message: 'hi',
      signal: controller.signal,
      onProgress: (p) => p.chunksDone === 2 && controller.abort(),
    });
    expect(result.aborted).toBe(true);
    expect(result.stoppedBy).toBeInstanceOf(ThaiBulkSmsAbortedError);
    // Each number read is accounted for exactly once: accepted, or in a failed chunk.
    const read = all.slice(0, result.entriesRead).map((n) => `66${n.slice(1)}`);
    const accounted = [...result.accepted.map((a) => a.phone), ...result.failedChunks.flatMap((c) => c.recipients)];
    expect(accounted.sort()).toEqual([...read].sort());
    const unsent = result.failedChunks.filter((c) => c.sent === false);
    expect(unsent.length).toBeGreaterThanOrEqual(1);
    expect(unsent.every((c) => c.errorName === 'ERROR_ABORTED' && c.error instanceof ThaiBulkSmsAbortedError)).toBe(
      true,
    );
    expect(result.notSentCount).toBe(unsent.reduce((n, c) => n + c.recipients.length, 0));
    // Nothing that says `sent: false` reached the sandbox.
    const arrived = new Set(sb.messages().map((m) => m.phone));
    expect(unsent.flatMap((c) => c.recipients).some((phone) => arrived.has(phone))).toBe(false);
    expect(result.entriesRead).toBeLessThan(all.length);
    expect(result.chunks).toBe(2 + result.failedChunks.length);
  });

  it('reports a chunk still waiting for a slot when the signal aborts', async () => {
    const controller = new AbortController();
    // Numbers of their own: an aborted request of an earlier test may still land in the sandbox.
    const from = 200_000;
    // The first two chunks are slow, so the third is cut and waits for a slot when the first answers.
    sb.inject({ kind: 'slow', delayMs: 50 }, { path: '/sms', times: 2 });
    const result = await sms.sendBulk({
      to: numbers(2_300, from),
      message: 'hi',
      signal: controller.signal,
      summaryOnly: true,
      onProgress: () => controller.abort(),
    });
    expect(result).toMatchObject({ aborted: true, entriesRead: 1_500, notSentCount: 500 });
    const unsent = result.failedChunks.filter((c) => c.sent === false);
    expect(unsent.map((c) => c.recipients)).toEqual([[...numbers(500, from + 1_000)].map((n) => `66${n.slice(1)}`)]);
    // The second chunk was in flight: aborted or answered, it is never reported as not sent.
    const inFlight = result.failedChunks.filter((c) => c.sent === undefined);
    expect(inFlight.every((c) => c.errorName === 'ERROR_ABORTED')).toBe(true);
    expect(result.acceptedCount + inFlight.reduce((n, c) => n + c.recipients.length, 0)).toBe(1_000);
    const arrived = new Set(sb.messages().map((m) => m.phone));
    expect(unsent[0].recipients.some((phone) => arrived.has(phone))).toBe(false);
  });

  it('reports the chunk being filled when the signal aborts, and reads no further', async () => {
    const controller = new AbortController();
    let read = 0;
    async function* source() {
      for (const n of numbers(2_300)) {
        read++;
        if (read === 1_750) controller.abort();
        yield n;
      }
    }
    const result = await sms.sendBulk({ to: source(), message: 'hi', signal: controller.signal, summaryOnly: true });
    expect(read).toBe(1_750);
    expect(result).toMatchObject({ aborted: true, entriesRead: 1_750, notSentCount: 250 });
    const unsent = result.failedChunks.filter((c) => c.sent === false);
    expect(unsent.map((c) => c.recipients)).toEqual([[...numbers(250, 1_500)].map((n) => `66${n.slice(1)}`)]);
    expect(unsent[0]).toMatchObject({ errorName: 'ERROR_ABORTED', index: 3 });
  });

  it('reads nothing when the signal has already fired', async () => {
    const controller = new AbortController();
    controller.abort();
    let read = 0;
    function* source() {
      for (const n of numbers(10)) {
        read++;
        yield n;
      }
    }
    const result = await sms.sendBulk({ to: source(), message: 'hi', signal: controller.signal });
    expect(read).toBe(0);
    expect(result).toMatchObject({ aborted: true, entriesRead: 0, chunks: 0, failedChunks: [] });
    expect(requestCount(sb)).toBe(0);
  });

  it('takes a single string as one recipient (or several joined by commas), as send does', async () => {
    const one = await sms.sendBulk({ to: '0812345678', message: 'hi' });
    expect(one).toMatchObject({ acceptedCount: 1, rejectedCount: 0, chunks: 1 });
    expect(one.accepted.map((a) => a.phone)).toEqual(['66812345678']);
    const two = await sms.sendBulk({ to: '0812345678,0898765432', message: 'hi' });
    expect(two).toMatchObject({ acceptedCount: 2, rejectedCount: 0 });
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a number', 812345678],
    ['a plain object', { to: '0812345678' }],
  ])('refuses %s as to with ERROR_MSISDN, nothing sent', async (_, to) => {
    const error = await rejectionOf(sms.sendBulk({ to: to as never, message: 'hi' }));
    expect(error).toBeInstanceOf(ThaiBulkSmsRequestError);
    expect(error).toMatchObject({ errorName: 'ERROR_MSISDN', source: 'local' });
    expect(requestCount(sb)).toBe(0);
  });

  it.each([
    ['only invalid numbers', ['0123', 'abc', '021234567']],
    ['an empty list', []],
    ['a source that yields nothing', (function* () {})()],
  ])('refuses %s with ERROR_MSISDN once read, as send does: nothing sent', async (_, to) => {
    const error = await rejectionOf(sms.sendBulk({ to, message: 'hi', summaryOnly: true }));
    expect(error).toBeInstanceOf(ThaiBulkSmsRequestError);
    expect(error).toMatchObject({
      errorName: 'ERROR_MSISDN',
      source: 'local',
      message: NO_VALID_NUMBER_MESSAGE,
    });
    expect(requestCount(sb)).toBe(0);
  });
});

describe('SmsService.sendBulk aborted while chunks wait for the rate limiter', () => {
  it('reports those chunks as never sent (sent: false), and none of them reaches the sandbox', async () => {
    // maxTps 2: the first chunk leaves at once, the next two wait 505 ms and 1,010 ms for a slot.
    const moduleRef = await Test.createTestingModule({
      imports: [
        ThaiBulkSmsTestingModule.forRoot({
          sandbox: { credits: { standard: 1_000_000 } },
          options: { maxTps: 2, maxConcurrency: 3 },
        }),
      ],
    }).compile();
    await moduleRef.init();
    try {
      const sms = moduleRef.get(SmsService);
      const sb = moduleRef.get<ThaiBulkSmsSandbox>(THAI_BULK_SMS_SANDBOX);
      const controller = new AbortController();
      const result = await sms.sendBulk({
        to: [...numbers(1_500)],
        message: 'hi',
        signal: controller.signal,
        summaryOnly: true,
        onProgress: () => controller.abort(),
      });
      expect(result).toMatchObject({ aborted: true, acceptedCount: 500, notSentCount: 1_000 });
      expect(
        result.failedChunks.map((c) => [
          c.index,
          c.sent,
          c.errorName,
          (c.error as ThaiBulkSmsAbortedError).requestMayHaveArrived,
        ]),
      ).toEqual([
        [1, false, 'ERROR_ABORTED', false],
        [2, false, 'ERROR_ABORTED', false],
      ]);
      expect(requestCount(sb, '/sms')).toBe(1);
    } finally {
      await moduleRef.close();
    }
  });
});
