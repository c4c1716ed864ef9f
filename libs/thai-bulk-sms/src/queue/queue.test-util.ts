import { setTimeout as sleep } from 'node:timers/promises';
import { Test, TestingModule } from '@nestjs/testing';
import { SmsSendStatus } from './queue.types';
import { obliterateQueue, TEST_PREFIX, testRedisUrl, uniqueQueueName } from './redis.test-util';
import { SmsQueue } from './sms-queue.service';

/** Polls the alert's status (every 20 ms) until `done` holds; fails with the last status after `timeoutMs`. */
export async function waitForStatus(
  queue: SmsQueue,
  id: string,
  done: (status: SmsSendStatus) => boolean,
  timeoutMs = 10_000,
): Promise<SmsSendStatus> {
  const deadline = Date.now() + timeoutMs;
  let last: SmsSendStatus | undefined;
  while (Date.now() < deadline) {
    last = await queue.getStatus(id);
    if (last && done(last)) return last;
    await sleep(20);
  }
  throw new Error(
    `alert ${id} did not reach the expected state in ${timeoutMs} ms; last status: ${JSON.stringify(last)}`,
  );
}

/**
 * The bookkeeping of a queue spec, registered on the describe block it is called in: `name()`
 * hands out queue names no other run uses and obliterates them after all tests, `start()`
 * compiles and inits a testing module and closes it after each test (`open` holds those not
 * closed yet, for a test that closes them itself).
 */
export function queueSpecModules(url = testRedisUrl()): {
  name: (label: string) => string;
  start: (imports: any[], providers?: any[]) => Promise<TestingModule>;
  open: TestingModule[];
} {
  const used: string[] = [];
  const open: TestingModule[] = [];
  afterEach(async () => {
    for (const m of open.splice(0)) await m.close();
  });
  afterAll(async () => {
    for (const n of used) await obliterateQueue(n, url, TEST_PREFIX);
  });
  return {
    open,
    name: (label) => {
      const n = uniqueQueueName(label);
      used.push(n);
      return n;
    },
    start: async (imports, providers = []) => {
      const moduleRef = await Test.createTestingModule({ imports, providers }).compile();
      open.push(moduleRef);
      await moduleRef.init();
      return moduleRef;
    },
  };
}
