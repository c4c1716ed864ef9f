import { Injectable } from '@nestjs/common';
import { EventEmitter2, EventEmitterModule } from '@nestjs/event-emitter';
import { Test, TestingModule } from '@nestjs/testing';
import { firstValueFrom, filter } from 'rxjs';
import { AxiosThaiBulkSmsTransport } from '../transport/axios.transport';
import { ThaiBulkSmsTransport, TransportRequest, TransportResponse } from '../transport/thai-bulk-sms.transport';
import { ThaiBulkSmsNetworkError } from '../errors';
import { ThaiBulkSmsSandbox } from '../sandbox';
import { ThaiBulkSmsModule } from '../thai-bulk-sms.module';
import { waitForStatus } from './queue.test-util';
import { SmsQueueJobFailedEvent } from './queue.types';
import { describeWithRedis, obliterateQueue, TEST_PREFIX, testRedisUrl, uniqueQueueName } from './redis.test-util';
import { SMS_QUEUE_COMPLETED_EVENT, SMS_QUEUE_FAILED_EVENT } from './sms-queue.events';
import { SmsQueue } from './sms-queue.service';
import { ThaiBulkSmsQueueModule } from './thai-bulk-sms-queue.module';

/** The real transport, except that the next `refusals` sends never leave (connection refused). */
@Injectable()
class RefusingTransport extends AxiosThaiBulkSmsTransport {
  refusals = 0;
  override postForm(
    request: TransportRequest & { readonly form: Readonly<Record<string, string>> },
  ): Promise<TransportResponse> {
    if (this.refusals > 0) {
      this.refusals--;
      return Promise.reject(new ThaiBulkSmsNetworkError({ networkCode: 'ECONNREFUSED', requestMayHaveArrived: false }));
    }
    return super.postForm(request);
  }
}

describeWithRedis('SmsQueue retry policy (real Redis)', () => {
  const queueName = uniqueQueueName('retry');
  let sb: ThaiBulkSmsSandbox;
  let moduleRef: TestingModule;
  let queue: SmsQueue;
  let transport: RefusingTransport;
  let emitted: { event: string; payload: unknown }[];

  beforeAll(async () => {
    sb = await ThaiBulkSmsSandbox.start({ port: 0, maxTps: 0 });
    moduleRef = await Test.createTestingModule({
      imports: [
        EventEmitterModule.forRoot(),
        // The client's own retries off: what is tried again here is BullMQ's doing.
        ThaiBulkSmsModule.forRoot({
          ...sb.credentials,
          baseUrl: sb.url,
          maxTps: 0,
          retry: { retries: 0 },
          timeoutMs: 500,
          isGlobal: true,
          transport: RefusingTransport,
        }),
        ThaiBulkSmsQueueModule.forRoot({
          queueName,
          connection: testRedisUrl(),
          prefix: TEST_PREFIX,
          maxTps: 1000,
          attempts: 3,
          backoff: { type: 'fixed', delayMs: 10 },
        }),
      ],
    }).compile();
    await moduleRef.init();
    queue = moduleRef.get(SmsQueue);
    transport = moduleRef.get<ThaiBulkSmsTransport, RefusingTransport>(ThaiBulkSmsTransport, { strict: false });
    const emitter = moduleRef.get(EventEmitter2);
    emitted = [];
    emitter.onAny((event, payload) => emitted.push({ event: String(event), payload }));
  });
  afterAll(async () => {
    await moduleRef?.close();
    await sb?.close();
    await obliterateQueue(queueName);
  });
  beforeEach(() => {
    sb.reset();
    transport.refusals = 0;
    emitted.length = 0;
  });

  it('tries a send again when it provably never arrived (connection refused), and it goes out once', async () => {
    transport.refusals = 2;
    const { id } = await queue.enqueue({ to: '0812345678', message: 'retry me' });
    const status = await waitForStatus(queue, id, (s) => s.state === 'completed');
    expect(status.accepted).toBe(1);
    expect((await queue.queue.getJob(`${id}/0`))!.attemptsMade).toBe(3);
    expect(sb.messages()).toHaveLength(1);
    expect(emitted.map((e) => e.event)).toEqual([SMS_QUEUE_COMPLETED_EVENT]);
  });

  it('fails the chunk after the last attempt when the API stays unreachable', async () => {
    transport.refusals = 10;
    const { id } = await queue.enqueue({ to: '0812345678', message: 'never' });
    const status = await waitForStatus(queue, id, (s) => s.state === 'failed');
    expect(status.failures).toEqual([
      expect.objectContaining({ index: 0, errorName: 'ERROR_UPSTREAM_UNREACHABLE', attemptsMade: 3, recipients: 1 }),
    ]);
    expect(emitted.map((e) => e.event)).toEqual([SMS_QUEUE_FAILED_EVENT]);
  });

  it.each([
    ['a vendor 5xx', () => sb.failNext('ERROR_SYSTEM_FAILURE', { path: '/sms' }), 'ERROR_SYSTEM_FAILURE'],
    [
      'a dropped connection (the request arrived)',
      () => sb.inject({ kind: 'drop' }, { path: '/sms', process: true }),
      'ERROR_UPSTREAM_UNREACHABLE',
    ],
    ['a timeout', () => sb.inject({ kind: 'hang' }, { path: '/sms' }), 'ERROR_UPSTREAM_TIMEOUT'],
    ['a caller error', () => sb.failNext('ERROR_SENDER', { path: '/sms' }), 'ERROR_SENDER'],
  ])('never tries again after %s: one attempt, failed with the error name', async (_, arrange, errorName) => {
    arrange();
    const failed = firstValueFrom(queue.events$.pipe(filter((e): e is SmsQueueJobFailedEvent => e.type === 'failed')));
    const { id } = await queue.enqueue({ to: ['0812345678', '0898765432'], message: 'once at most' });
    const status = await waitForStatus(queue, id, (s) => s.state === 'failed');
    expect(status.failures).toEqual([expect.objectContaining({ errorName, attemptsMade: 1, recipients: 2 })]);
    expect((await failed).failure.errorName).toBe(errorName);
    expect(sb.stats().requests['/sms']).toBe(1);
  });

  it('reports partial failure when some chunks of an alert fail', async () => {
    sb.failNext('ERROR_SYSTEM_FAILURE', { path: '/sms' });
    const to = Array.from({ length: 700 }, (_, i) => `08${String(20_000_000 + i)}`);
    const { id } = await queue.enqueue({ to, message: 'split' });
    const status = await waitForStatus(queue, id, (s) => s.state === 'partially-failed');
    expect(status.chunks).toMatchObject({ total: 2, completed: 1, failed: 1 });
    expect(status.accepted).toBe(status.failures[0].recipients === 500 ? 200 : 500);
  });
});
