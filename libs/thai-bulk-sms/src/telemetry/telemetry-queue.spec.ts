import { SpanKind } from '@opentelemetry/api';
import { Test, TestingModule } from '@nestjs/testing';
import { filter, firstValueFrom } from 'rxjs';
import {
  describeWithRedis,
  obliterateQueue,
  TEST_PREFIX,
  testRedisUrl,
  uniqueQueueName,
} from '../queue/redis.test-util';
import { SmsQueue } from '../queue/sms-queue.service';
import { ThaiBulkSmsQueueModule } from '../queue/thai-bulk-sms-queue.module';
import { ThaiBulkSmsTestingModule } from '../testing';
import { ThaiBulkSmsTelemetryModule } from './thai-bulk-sms-telemetry.module';
import { TelemetryHarness } from './telemetry.test-util';

describeWithRedis('ThaiBulkSmsTelemetryModule with ThaiBulkSmsQueue (real Redis)', () => {
  const queueName = uniqueQueueName('otel');
  let harness: TelemetryHarness;
  let moduleRef: TestingModule;
  let queue: SmsQueue;

  beforeAll(async () => {
    harness = new TelemetryHarness().install();
    moduleRef = await Test.createTestingModule({
      imports: [
        ThaiBulkSmsTelemetryModule.forRoot({
          meterProvider: harness.meterProvider,
          tracerProvider: harness.tracerProvider,
        }),
        ThaiBulkSmsTestingModule.forRoot(),
        ThaiBulkSmsQueueModule.forRoot({ queueName, connection: testRedisUrl(), prefix: TEST_PREFIX, maxTps: 1000 }),
      ],
    }).compile();
    await moduleRef.init();
    queue = moduleRef.get(SmsQueue);
  });
  afterAll(async () => {
    await moduleRef?.close();
    await obliterateQueue(queueName);
    await harness?.uninstall();
  });

  it('continues the trace of the request that enqueued a job: request > send > process > POST /sms', async () => {
    const tracer = harness.tracerProvider.getTracer('spec');
    const completed = firstValueFrom(queue.events$.pipe(filter((event) => event.type === 'completed')));
    const request = await tracer.startActiveSpan('POST /alerts', async (span) => {
      await queue.enqueue({ to: ['0812345678'], message: 'queued' });
      span.end();
      return span;
    });
    await completed;

    const [producer] = harness.spansNamed(`send ${queueName}`);
    const [consumer] = harness.spansNamed(`process ${queueName}`);
    const [client] = harness.spansNamed('POST /sms');
    expect([producer.kind, consumer.kind, client.kind]).toEqual([
      SpanKind.PRODUCER,
      SpanKind.CONSUMER,
      SpanKind.CLIENT,
    ]);
    expect(producer.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    expect(consumer.parentSpanContext?.spanId).toBe(producer.spanContext().spanId);
    expect(client.parentSpanContext?.spanId).toBe(consumer.spanContext().spanId);
    const traceIds = [request, producer, consumer, client].map((span) => span.spanContext().traceId);
    expect(new Set(traceIds).size).toBe(1);
    expect(consumer.attributes).toMatchObject({
      'messaging.system': 'bullmq',
      'messaging.destination.name': queueName,
      'messaging.operation.type': 'process',
      'thaibulksms.queue.attempt': 1,
    });
  });

  it('reads the queue depth from Redis when metrics are collected', async () => {
    await queue.enqueue({ to: ['0812345678'], message: 'later' }, { delayMs: 600_000 });
    const depth = async (state: string) =>
      harness.value('thaibulksms.queue.jobs', {
        'thaibulksms.queue.name': queueName,
        'thaibulksms.queue.job.state': state,
      });
    expect([await depth('waiting'), await depth('active'), await depth('delayed'), await depth('failed')]).toEqual([
      0, 0, 1, 0,
    ]);
  });
});
