import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { Test, TestingModule } from '@nestjs/testing';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { ThaiBulkSmsClient } from '../client/thai-bulk-sms.client';
import { DeliveryReportReceiver } from '../delivery/delivery-report.receiver';
import { OtpCodeInvalidError, ThaiBulkSmsRequestError, ThaiBulkSmsTimeoutError } from '../errors';
import { ThaiBulkSmsInstrumentation } from '../instrumentation/thai-bulk-sms.instrumentation';
import { OtpService } from '../otp/otp.service';
import { ThaiBulkSmsSandbox } from '../sandbox';
import { CreditService } from '../sms/credit.service';
import { SmsService } from '../sms/sms.service';
import { THAI_BULK_SMS_SANDBOX, ThaiBulkSmsTestingModule } from '../testing';
import { ThaiBulkSmsTelemetryModule } from './thai-bulk-sms-telemetry.module';
import { ThaiBulkSmsTelemetryModuleOptions } from './thai-bulk-sms-telemetry.options';
import { TelemetryHarness } from './telemetry.test-util';

const REFUSED = 'ERROR_SENDER_NOT_FOUND';
const numbers = (count: number) => Array.from({ length: count }, (_, i) => `08${String(10_000_000 + i)}`);
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

describe('ThaiBulkSmsTelemetryModule (in-memory SDK, sandbox with injected faults)', () => {
  let harness: TelemetryHarness;
  let moduleRef: TestingModule;
  let sandbox: ThaiBulkSmsSandbox;
  let sms: SmsService;

  async function start(options: Partial<ThaiBulkSmsTelemetryModuleOptions> = {}, telemetry = true) {
    harness = new TelemetryHarness().install();
    moduleRef = await Test.createTestingModule({
      imports: [
        ...(telemetry
          ? [
              ThaiBulkSmsTelemetryModule.forRoot({
                meterProvider: harness.meterProvider,
                tracerProvider: harness.tracerProvider,
                ...options,
              }),
            ]
          : []),
        ThaiBulkSmsTestingModule.forRoot({ options: { timeoutMs: 300, retry: { retries: 0 }, maxTps: 1000 } }),
      ],
    }).compile();
    await moduleRef.init();
    sandbox = moduleRef.get(THAI_BULK_SMS_SANDBOX);
    sms = moduleRef.get(SmsService);
  }

  afterEach(async () => {
    await moduleRef?.close();
    await harness?.uninstall();
  });

  it('counts a send, a vendor refusal and a timeout by outcome and error name, with one client span each', async () => {
    await start();
    await sms.send({ to: ['0812345678', '0812345679', '123'], message: 'hi' });
    sandbox.failNext(REFUSED);
    await expect(sms.send({ to: '0812345670', message: 'hi' })).rejects.toBeInstanceOf(ThaiBulkSmsRequestError);
    sandbox.inject({ kind: 'hang' });
    await expect(sms.send({ to: '0812345671', message: 'hi' })).rejects.toBeInstanceOf(ThaiBulkSmsTimeoutError);

    const sms_ = { 'thaibulksms.registration': 'default', 'thaibulksms.operation': 'sms' };
    const requests = (await harness.table()).filter(([name]) => name === 'thaibulksms.client.requests');
    expect(requests).toEqual(
      expect.arrayContaining([
        ['thaibulksms.client.requests', { ...sms_, 'thaibulksms.outcome': 'success' }, 1],
        ['thaibulksms.client.requests', { ...sms_, 'thaibulksms.outcome': 'vendor_error', 'error.type': REFUSED }, 1],
        [
          'thaibulksms.client.requests',
          { ...sms_, 'thaibulksms.outcome': 'timeout', 'error.type': 'ERROR_UPSTREAM_TIMEOUT' },
          1,
        ],
      ]),
    );
    expect(requests).toHaveLength(3);
    expect(await harness.histogramCount('thaibulksms.client.duration', sms_)).toBe(3);
    expect(await harness.histogramCount('thaibulksms.limiter.wait', sms_)).toBe(3);

    const recipients = (status: string) =>
      harness.value('thaibulksms.sms.recipients', { 'thaibulksms.recipient.status': status });
    expect(await recipients('accepted')).toBe(2);
    // '123' refused locally, and the number of the request the vendor refused.
    expect(await recipients('rejected')).toBe(2);
    // The request that timed out may have been sent.
    expect(await recipients('unknown')).toBe(1);
    expect(await harness.value('thaibulksms.credits.used', { 'thaibulksms.credit.pool': 'standard' })).toBe(2);
    expect(await harness.value('thaibulksms.credits.remaining', { 'thaibulksms.credit.pool': 'standard' })).toBe(
      sandbox.credits().standard,
    );

    const spans = harness.spansNamed('POST /sms');
    expect(spans).toHaveLength(3);
    const port = Number(new URL(sandbox.url).port);
    for (const span of spans) {
      expect(span.kind).toBe(SpanKind.CLIENT);
      expect(span.attributes).toMatchObject({
        'http.request.method': 'POST',
        'server.address': '127.0.0.1',
        'server.port': port,
        'url.full': `http://127.0.0.1:${port}/sms`,
        'thaibulksms.operation': 'sms',
      });
    }
    const byError = (errorType: string | undefined) =>
      spans.find((span) => span.attributes['error.type'] === errorType)!;
    const [ok, refused, timedOut] = [byError(undefined), byError(REFUSED), byError('ERROR_UPSTREAM_TIMEOUT')];
    expect(ok.attributes['http.response.status_code']).toBe(201);
    expect(ok.status.code).toBe(SpanStatusCode.UNSET);
    expect(refused.attributes).toMatchObject({ 'http.response.status_code': 400, 'error.type': REFUSED });
    expect(refused.status).toEqual({ code: SpanStatusCode.ERROR, message: REFUSED });
    expect(timedOut.attributes['http.response.status_code']).toBeUndefined();
    expect(timedOut.attributes['error.type']).toBe('ERROR_UPSTREAM_TIMEOUT');
  });

  it('makes a bulk send the parent span of its chunks, and counts the refused chunk', async () => {
    await start();
    sandbox.failNext(REFUSED);
    const result = await sms.sendBulk({ to: numbers(1_200), message: 'hi' });
    expect(result.failedChunks).toHaveLength(1);
    const refusedCount = result.failedChunks[0].recipients.length;

    const [bulk] = harness.spansNamed('thaibulksms.sms.bulk');
    expect(bulk.kind).toBe(SpanKind.INTERNAL);
    expect(bulk.attributes).toMatchObject({
      'thaibulksms.bulk.chunks': 3,
      'thaibulksms.bulk.accepted': 1_200 - refusedCount,
      'thaibulksms.bulk.failed_chunks': 1,
      'error.type': REFUSED,
    });
    expect(bulk.status).toEqual({ code: SpanStatusCode.ERROR, message: REFUSED });
    const chunks = harness.spansNamed('POST /sms');
    expect(chunks).toHaveLength(3);
    expect(chunks.map(parentOf)).toEqual([
      bulk.spanContext().spanId,
      bulk.spanContext().spanId,
      bulk.spanContext().spanId,
    ]);
    expect(new Set(chunks.map((span) => span.spanContext().traceId))).toEqual(new Set([bulk.spanContext().traceId]));
    expect(chunks.map((span) => span.attributes['error.type'] ?? 'ok').sort()).toEqual([REFUSED, 'ok', 'ok']);

    const outcome = (o: string) => harness.value('thaibulksms.client.requests', { 'thaibulksms.outcome': o });
    expect([await outcome('success'), await outcome('vendor_error')]).toEqual([2, 1]);
    const recipients = (status: string) =>
      harness.value('thaibulksms.sms.recipients', { 'thaibulksms.recipient.status': status });
    expect([await recipients('accepted'), await recipients('rejected'), await recipients('unknown')]).toEqual([
      1_200 - refusedCount,
      refusedCount,
      0,
    ]);
  });

  it('counts OTP requests and verifies, reads both credit pools, and counts delivery reports by status', async () => {
    await start();
    const otp = moduleRef.get(OtpService);
    const { token } = await otp.request('0812345678');
    const pin = sandbox.lastOtp()!.pin;
    const wrong = await otp.verify(token, pin === '000000' ? '111111' : '000000').catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(OtpCodeInvalidError);
    await otp.verify(token, pin);
    await moduleRef.get(CreditService).getCredit();
    const receiver = moduleRef.get(DeliveryReportReceiver);
    await receiver.receive({ message_id: 'm-1', status: 'DELIVRD' });
    await receiver.receive({ message_id: 'm-2', status: 'UNDELIV' });
    await receiver.receive({ message_id: 'm-3', status: 'DELIVRD' });

    const requests = (await harness.table()).filter(([name]) => name === 'thaibulksms.client.requests');
    const row = (operation: string, outcome: string, errorType?: string) => [
      'thaibulksms.client.requests',
      {
        'thaibulksms.registration': 'default',
        'thaibulksms.operation': operation,
        'thaibulksms.outcome': outcome,
        ...(errorType && { 'error.type': errorType }),
      },
      1,
    ];
    expect(requests).toEqual(
      expect.arrayContaining([
        row('otp.request', 'success'),
        row('otp.verify', 'vendor_error', (wrong as OtpCodeInvalidError).errorName),
        row('otp.verify', 'success'),
        row('credit', 'success'),
      ]),
    );
    expect(requests).toHaveLength(4);
    expect(await harness.value('thaibulksms.otp.verifications', { 'thaibulksms.otp.result': 'verified' })).toBe(1);
    expect(
      await harness.value('thaibulksms.otp.verifications', {
        'thaibulksms.otp.result': 'not_verified',
        'error.type': 'OTP_CODE_INVALID',
      }),
    ).toBe(1);
    const balance = sandbox.credits();
    const remaining = (pool: string) =>
      harness.value('thaibulksms.credits.remaining', { 'thaibulksms.credit.pool': pool });
    expect([await remaining('standard'), await remaining('corporate')]).toEqual([balance.standard, balance.corporate]);
    const reports = (status: string) =>
      harness.value('thaibulksms.delivery.reports', { 'thaibulksms.delivery.status': status });
    expect([await reports('delivered'), await reports('failed')]).toEqual([2, 1]);
    expect(
      harness
        .spans()
        .map((span) => span.name)
        .sort(),
    ).toEqual(['GET /credit', 'POST /v2/otp/request', 'POST /v2/otp/verify', 'POST /v2/otp/verify']);
  });

  it('counts ledger and compliance refusals by a bounded reason', async () => {
    await start();
    const instrumentation = moduleRef.get(ThaiBulkSmsInstrumentation);
    instrumentation.refusal('compliance', 'QUIET_HOURS', 'default');
    instrumentation.refusal('compliance', 'QUIET_HOURS', 'default');
    instrumentation.refusal('ledger', 'call 0812345678 first', 'default');
    expect(await harness.table('thaibulksms.compliance')).toEqual([
      [
        'thaibulksms.compliance.refusals',
        { 'thaibulksms.registration': 'default', 'thaibulksms.refusal.reason': 'QUIET_HOURS' },
        2,
      ],
    ]);
    expect(await harness.table('thaibulksms.ledger')).toEqual([
      [
        'thaibulksms.ledger.refusals',
        { 'thaibulksms.registration': 'default', 'thaibulksms.refusal.reason': 'other' },
        1,
      ],
    ]);
  });

  it('records nothing with metrics and traces off', async () => {
    await start({ metrics: false, traces: false });
    await sms.send({ to: '0812345678', message: 'hi' });
    expect(await harness.table()).toEqual([]);
    expect(harness.spans()).toEqual([]);
  });

  it('leaves the client without probes when the module is not registered', async () => {
    await start({}, false);
    const client: unknown = moduleRef.get(ThaiBulkSmsClient);
    expect((client as { probes: unknown }).probes).toBeUndefined();
    await sms.send({ to: '0812345678', message: 'hi' });
    expect(harness.spans()).toEqual([]);
  });
});
