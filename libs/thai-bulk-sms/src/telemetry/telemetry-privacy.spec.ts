import { Test, TestingModule } from '@nestjs/testing';
import { filter, firstValueFrom } from 'rxjs';
import { DeliveryReportReceiver } from '../delivery/delivery-report.receiver';
import { OtpService } from '../otp/otp.service';
import {
  describeWithRedis,
  obliterateQueue,
  TEST_PREFIX,
  testRedisUrl,
  uniqueQueueName,
} from '../queue/redis.test-util';
import { SmsQueue } from '../queue/sms-queue.service';
import { ThaiBulkSmsQueueModule } from '../queue/thai-bulk-sms-queue.module';
import { ThaiBulkSmsSandbox } from '../sandbox';
import { CreditService } from '../sms/credit.service';
import { SmsService } from '../sms/sms.service';
import { THAI_BULK_SMS_SANDBOX, ThaiBulkSmsTestingModule } from '../testing';
import { ThaiBulkSmsTelemetryModule } from './thai-bulk-sms-telemetry.module';
import { TelemetryHarness } from './telemetry.test-util';

/** A Thai mobile in any written form (0…, 66…, +66…), not inside a longer digit run. */
// Not the fractional digits of a number (a duration of 0.0846076011 s is no phone).
const PHONE = /(?<!\d)(?<!\d\.)(?:\+?66|0)[689]\d{8}(?!\d)/g;
const TEXT = 'ข้อความลับ secret-body-7731';
const numbers = Array.from({ length: 620 }, (_, i) => `08${String(20_000_000 + i)}`);

/**
 * Everything an exporter would send, except ids and measured values: span names, kinds' attributes,
 * events, links, status messages, resources and scopes; metric names, descriptions, units and every
 * data point's attributes.
 */
async function exportedText(harness: TelemetryHarness): Promise<string> {
  const spans = harness.spans().map((span) => ({
    name: span.name,
    attributes: span.attributes,
    events: span.events.map((event) => ({ name: event.name, attributes: event.attributes })),
    links: span.links.map((link) => link.attributes),
    status: span.status.message,
    resource: span.resource.attributes,
    scope: span.instrumentationScope,
  }));
  const metrics = (await harness.collect()).scopeMetrics.flatMap((scope) =>
    scope.metrics.map((metric) => ({
      scope: scope.scope,
      descriptor: metric.descriptor,
      attributes: metric.dataPoints.map((point) => point.attributes),
    })),
  );
  return JSON.stringify({ spans, metrics });
}

describeWithRedis('telemetry carries no number, text, token, PIN or secret', () => {
  const queueName = uniqueQueueName('otel-privacy');
  let harness: TelemetryHarness;
  let moduleRef: TestingModule;
  let sandbox: ThaiBulkSmsSandbox;

  beforeAll(async () => {
    harness = new TelemetryHarness().install();
    moduleRef = await Test.createTestingModule({
      imports: [
        ThaiBulkSmsTelemetryModule.forRoot({
          meterProvider: harness.meterProvider,
          tracerProvider: harness.tracerProvider,
        }),
        ThaiBulkSmsTestingModule.forRoot({ options: { timeoutMs: 300, retry: { retries: 1, baseDelayMs: 1 } } }),
        ThaiBulkSmsQueueModule.forRoot({ queueName, connection: testRedisUrl(), prefix: TEST_PREFIX, maxTps: 1000 }),
      ],
    }).compile();
    await moduleRef.init();
    sandbox = moduleRef.get(THAI_BULK_SMS_SANDBOX);
  });
  afterAll(async () => {
    await moduleRef?.close();
    await obliterateQueue(queueName);
    await harness?.uninstall();
  });

  it('after sends, a bulk send with a refused chunk, faults, OTP, credit, reports and a queued alert', async () => {
    const sms = moduleRef.get(SmsService);
    const otp = moduleRef.get(OtpService);
    const queue = moduleRef.get(SmsQueue);
    const callbackUrl = 'https://example.test/hook/0812345678?token=abc';

    await sms.send({ to: [numbers[0], '+66 81 999 0001', 'not-a-number'], message: TEXT, tags: ['t1'], callbackUrl });
    sandbox.failNext('ERROR_SENDER_NOT_FOUND');
    await sms.sendBulk({ to: numbers, message: TEXT });
    sandbox.inject({ kind: 'hang' });
    await sms.send({ to: numbers[1], message: TEXT }).catch(() => undefined);
    sandbox.inject({ kind: 'html-502' });
    await moduleRef.get(CreditService).getCredit();
    const { token } = await otp.request(numbers[2]);
    const pin = sandbox.lastOtp()!.pin;
    await otp.verify(token, pin === '000000' ? '111111' : '000000').catch(() => undefined);
    await otp.verify(token, pin);
    await moduleRef.get(DeliveryReportReceiver).receive({ msisdn: numbers[0], status: 'DELIVRD', message_id: 'm-1' });
    const completed = firstValueFrom(queue.events$.pipe(filter((event) => event.type === 'completed')));
    await queue.enqueue({ to: [numbers[3]], message: TEXT }, { dedupeKey: `alert-for-${numbers[3]}` });
    await completed;

    const text = await exportedText(harness);
    // The run was recorded: spans of every kind and the counters.
    expect(harness.spans().length).toBeGreaterThan(10);
    expect(text).toContain('thaibulksms.delivery.reports');
    expect(text).toContain('POST /v2/otp/verify');

    const { apiKey, apiSecret, otpKey, otpSecret } = sandbox.credentials;
    expect(text.match(PHONE)).toBeNull();
    for (const needle of [
      TEXT,
      'secret-body',
      token,
      pin,
      apiKey,
      apiSecret,
      otpKey,
      otpSecret,
      'example.test',
      'alert-for',
    ])
      expect({ needle, found: text.includes(needle) }).toEqual({ needle, found: false });
  });
});
