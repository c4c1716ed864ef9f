import { ThaiBulkSmsAbortedError, ThaiBulkSmsNetworkError, ThaiBulkSmsUpstreamError } from '../errors';
import { backoffDelayMs, retryAfterFirstFailure, RetryHooks } from './retry';
import { FakeClock } from './fake-clock.test-util';

const policy = { retries: 3, baseDelayMs: 100, maxDelayMs: 250 };

/** The first attempt, then the policy: what the client does with every call. */
const withRetry = <T>(retryPolicy: typeof policy, hooks: RetryHooks, call: () => Promise<T>): Promise<T> =>
  call().catch((error: unknown) => retryAfterFirstFailure(retryPolicy, hooks, call, error));

describe('retryAfterFirstFailure', () => {
  it('backs off exponentially with full jitter, capped', () => {
    expect([0, 1, 2, 3].map((attempt) => backoffDelayMs(policy, attempt, () => 0.999))).toEqual([99, 199, 249, 249]);
    expect(backoffDelayMs(policy, 2, () => 0)).toBe(0);
  });

  it('retries retryable failures up to the policy and then gives up', async () => {
    const clock = new FakeClock();
    let calls = 0;
    const failing = () => {
      calls++;
      return Promise.reject(new Error('flaky'));
    };
    await expect(withRetry(policy, { clock, retryable: () => true, random: () => 0.5 }, failing)).rejects.toThrow(
      'flaky',
    );
    expect(calls).toBe(4);
    expect(clock.sleeps).toEqual([50, 100, 125]);
  });

  it('does not retry what is not retryable', async () => {
    const clock = new FakeClock();
    let calls = 0;
    await expect(
      withRetry(policy, { clock, retryable: () => false }, () => {
        calls++;
        return Promise.reject(new Error('no'));
      }),
    ).rejects.toThrow('no');
    expect(calls).toBe(1);
  });

  it('answers as soon as an attempt succeeds', async () => {
    const clock = new FakeClock();
    let calls = 0;
    const result = await withRetry(policy, { clock, retryable: () => true, random: () => 0 }, async () => {
      if (++calls < 3) throw new Error('again');
      return 'ok';
    });
    expect(result).toBe('ok');
    expect(calls).toBe(3);
  });

  it.each([
    [
      'a refused connection (never sent)',
      () => new ThaiBulkSmsNetworkError({ networkCode: 'ECONNREFUSED', requestMayHaveArrived: false }),
      false,
    ],
    [
      'a vendor 5xx (it arrived)',
      () =>
        new ThaiBulkSmsUpstreamError({ errorName: 'ERROR_SYSTEM_FAILURE', description: 'down', upstreamStatus: 500 }),
      true,
    ],
  ])(
    'says whether anything may have arrived when the backoff after %s is aborted',
    async (_, failure, mayHaveArrived) => {
      const clock = new FakeClock();
      const controller = new AbortController();
      const error = await withRetry(
        policy,
        {
          clock,
          signal: controller.signal,
          retryable: () => true,
          random: () => 0.5,
          onRetry: () => controller.abort(),
        },
        () => Promise.reject(failure()),
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ThaiBulkSmsAbortedError);
      expect((error as ThaiBulkSmsAbortedError).requestMayHaveArrived).toBe(mayHaveArrived);
    },
  );
});
