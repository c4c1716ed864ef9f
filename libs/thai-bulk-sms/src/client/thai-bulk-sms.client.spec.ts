import { ConsoleLogger, Logger, LogLevel } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { createServer } from 'node:net';
import {
  ThaiBulkSmsAbortedError,
  ThaiBulkSmsAccountError,
  ThaiBulkSmsNetworkError,
  ThaiBulkSmsTimeoutError,
  ThaiBulkSmsUpstreamError,
} from '../errors';
import { OtpService } from '../otp/otp.service';
import { SANDBOX_DEFAULT_CREDENTIALS, ThaiBulkSmsSandbox } from '../sandbox';
import { CreditService } from '../sms/credit.service';
import { SmsService } from '../sms/sms.service';
import { THAI_BULK_SMS_SANDBOX, ThaiBulkSmsTestingModule } from '../testing';
import { CapturingLogger, everythingAbout, rejectionOf, requestCount } from '../testing/spec-helpers.test-util';
import { ThaiBulkSmsModule } from '../thai-bulk-sms.module';

const SECRETS = [
  SANDBOX_DEFAULT_CREDENTIALS.apiSecret,
  SANDBOX_DEFAULT_CREDENTIALS.otpSecret,
  Buffer.from(`${SANDBOX_DEFAULT_CREDENTIALS.apiKey}:${SANDBOX_DEFAULT_CREDENTIALS.apiSecret}`).toString('base64'),
];

function expectNoSecret(error: unknown) {
  const text = everythingAbout(error);
  for (const secret of SECRETS) expect(text).not.toContain(secret);
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('the client against a misbehaving API', () => {
  let moduleRef: TestingModule;
  let sms: SmsService;
  let credit: CreditService;
  let otp: OtpService;
  let sb: ThaiBulkSmsSandbox;
  const logs = new CapturingLogger();

  beforeAll(async () => {
    moduleRef = await Test.createTestingModule({
      imports: [
        ThaiBulkSmsTestingModule.forRoot({
          options: { timeoutMs: 200, retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 5 } },
        }),
      ],
    }).compile();
    // After compile: the testing builder installs its own logger.
    Logger.overrideLogger(logs);
    await moduleRef.init();
    sms = moduleRef.get(SmsService);
    credit = moduleRef.get(CreditService);
    otp = moduleRef.get(OtpService);
    sb = moduleRef.get(THAI_BULK_SMS_SANDBOX);
  });
  afterAll(async () => {
    await moduleRef.close();
  });
  beforeEach(() => {
    sb.reset();
    logs.lines.length = 0;
  });

  it('times out a hanging send after timeoutMs and does not resend it', async () => {
    sb.inject({ kind: 'hang' }, { path: '/sms' });
    const started = Date.now();
    const error = await rejectionOf(sms.send({ to: '0812345678', message: 'hi' }));
    expect(error).toBeInstanceOf(ThaiBulkSmsTimeoutError);
    expect(error).toMatchObject({ errorName: 'ERROR_UPSTREAM_TIMEOUT', category: 'upstream' });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(requestCount(sb, '/sms')).toBe(1);
    expectNoSecret(error);
  });

  it('times out a body that trickles in (a total deadline, not an idle one)', async () => {
    sb.inject({ kind: 'trickle', chunkDelayMs: 40 }, { path: '/sms' });
    const started = Date.now();
    expect(await rejectionOf(sms.send({ to: '0812345678', message: 'hi' }))).toBeInstanceOf(ThaiBulkSmsTimeoutError);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('does not resend a send whose connection dropped (it may have arrived)', async () => {
    sb.inject({ kind: 'drop' }, { path: '/sms' });
    const error = await rejectionOf(sms.send({ to: '0812345678', message: 'hi' }));
    expect(error).toBeInstanceOf(ThaiBulkSmsNetworkError);
    expect((error as ThaiBulkSmsNetworkError).requestMayHaveArrived).toBe(true);
    expect(requestCount(sb, '/sms')).toBe(1);
    expectNoSecret(error);
  });

  it('does not resend a send the vendor failed with a 5xx', async () => {
    sb.failNext('ERROR_SYSTEM_FAILURE', { path: '/sms' });
    const error = await rejectionOf(sms.send({ to: '0812345678', message: 'hi' }));
    expect(error).toBeInstanceOf(ThaiBulkSmsUpstreamError);
    expect(error).toMatchObject({ errorName: 'ERROR_SYSTEM_FAILURE', upstreamStatus: 500 });
    expect(requestCount(sb, '/sms')).toBe(1);
  });

  it('does not resend an OTP request whose connection dropped', async () => {
    sb.inject({ kind: 'drop' }, { path: '/v2/otp/request' });
    expect(await rejectionOf(otp.request('0812345678'))).toBeInstanceOf(ThaiBulkSmsNetworkError);
    expect(requestCount(sb, '/v2/otp/request')).toBe(1);
  });

  it('retries the idempotent credit call on a 500, a 502 page and a timeout', async () => {
    sb.failNext('ERROR_SYSTEM_FAILURE', { path: '/credit', times: 1 });
    expect(await credit.getCredit()).toEqual(sb.credits());
    expect(requestCount(sb, '/credit')).toBe(2);

    sb.inject({ kind: 'html-502' }, { path: '/credit', times: 1 });
    sb.inject({ kind: 'hang' }, { path: '/credit', times: 1 });
    expect(await credit.getCredit()).toEqual(sb.credits());
    expect(requestCount(sb, '/credit')).toBe(5);
    expect(logs.lines.filter((line) => line.startsWith('warn') && line.includes('retry'))).toHaveLength(3);
  });

  it('retries OTP verify on a 500', async () => {
    const { token } = await otp.request('0812345678');
    sb.failNext('ERROR_SYSTEM_FAILURE', { path: '/v2/otp/verify', times: 1 });
    await expect(otp.verify(token, sb.lastOtp()!.pin)).resolves.toMatchObject({ verified: true });
    expect(requestCount(sb, '/v2/otp/verify')).toBe(2);
  });

  it('gives up after the policy, with the last error', async () => {
    sb.failNext('ERROR_DB_FAILURE', { path: '/credit', times: 5 });
    expect(await rejectionOf(credit.getCredit())).toMatchObject({ errorName: 'ERROR_DB_FAILURE' });
    expect(requestCount(sb, '/credit')).toBe(3);
  });

  it('maps an HTML error page and cut-off JSON to upstream errors without quoting them', async () => {
    sb.inject({ kind: 'html-502' }, { path: '/sms', times: 1 });
    const html = await rejectionOf(sms.send({ to: '0812345678', message: 'hi' }));
    expect(html).toMatchObject({ errorName: 'ERROR_UPSTREAM_BAD_RESPONSE', upstreamStatus: 502 });
    expect(everythingAbout(html)).not.toMatch(/nginx|<html/i);

    sb.inject({ kind: 'malformed-json' }, { path: '/sms', times: 1 });
    const cut = await rejectionOf(sms.send({ to: '0812345678', message: 'hi' }));
    expect(cut).toBeInstanceOf(ThaiBulkSmsUpstreamError);
    expect(everythingAbout(cut)).not.toContain('truncated');
  });

  it('maps the vendor rate limit to an upstream error with status 429', async () => {
    sb.failNext('ERROR_TOO_MANY_REQUESTS', { path: '/sms' });
    expect(await rejectionOf(sms.send({ to: '0812345678', message: 'hi' }))).toMatchObject({
      category: 'upstream',
      upstreamStatus: 429,
    });
  });

  it('honours the caller’s AbortSignal', async () => {
    sb.inject({ kind: 'hang' }, { path: '/sms' });
    const error = await rejectionOf(sms.send({ to: '0812345678', message: 'hi', signal: AbortSignal.timeout(30) }));
    expect(error).toBeInstanceOf(ThaiBulkSmsAbortedError);
    expect(await rejectionOf(credit.getCredit({ signal: AbortSignal.abort() }))).toBeInstanceOf(
      ThaiBulkSmsAbortedError,
    );
  });

  it('keeps secrets out of account errors', async () => {
    sb.failNext('ERROR_AUTHENTICATION_FAILED', { path: '/sms' });
    const error = await rejectionOf(sms.send({ to: '0812345678', message: 'hi' }));
    expect(error).toBeInstanceOf(ThaiBulkSmsAccountError);
    expectNoSecret(error);
  });

  it('logs numbers masked and never a secret', async () => {
    await sms.send({ to: ['0812345678', '0898765432'], message: 'hi' });
    await otp.request('0812345678');
    await credit.getCredit();
    const text = logs.lines.join('\n');
    expect(text).toContain('081xxxx678');
    expect(text).not.toMatch(/0812345678|66812345678|0898765432/);
    for (const secret of SECRETS) expect(text).not.toContain(secret);
    expect(logs.lines.some((line) => line.startsWith('debug') && line.includes('POST /sms'))).toBe(true);
  });

  it('retries a refused connection, even for a send (it never arrived)', async () => {
    const port = await closedPort();
    const ref = await Test.createTestingModule({
      imports: [
        ThaiBulkSmsModule.forRoot({
          ...SANDBOX_DEFAULT_CREDENTIALS,
          baseUrl: `http://127.0.0.1:${port}`,
          maxTps: 0,
          retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 2 },
        }),
      ],
    }).compile();
    Logger.overrideLogger(logs);
    const error = await rejectionOf(ref.get(SmsService).send({ to: '0812345678', message: 'hi' }));
    expect(error).toBeInstanceOf(ThaiBulkSmsNetworkError);
    expect(error).toMatchObject({ networkCode: 'ECONNREFUSED', requestMayHaveArrived: false });
    expect(
      logs.lines.filter((line) => line.startsWith('warn') && line.includes('POST /sms') && line.includes('retry')),
    ).toHaveLength(2);
    expectNoSecret(error);
    expect((error.cause as Error).constructor).toBe(Error);
    await ref.close();
  });
});

describe('the per-request debug line', () => {
  const printed: string[] = [];
  class Capturing extends ConsoleLogger {
    protected override printMessages(messages: unknown[], context?: string, logLevel?: LogLevel): void {
      for (const message of messages) printed.push(`${logLevel} [${context}] ${String(message)}`);
    }
  }
  let moduleRef: TestingModule;
  let sms: SmsService;

  beforeAll(async () => {
    moduleRef = await Test.createTestingModule({ imports: [ThaiBulkSmsTestingModule.forRoot()] }).compile();
    await moduleRef.init();
    sms = moduleRef.get(SmsService);
  });
  afterAll(async () => {
    Logger.overrideLogger(new ConsoleLogger());
    await moduleRef.close();
  });
  beforeEach(() => (printed.length = 0));

  it('names the request, the first number masked, the status and the time, when debug is on', async () => {
    Logger.overrideLogger(new Capturing({ logLevels: ['debug'] }));
    await sms.send({ to: ['0812345678', '0898765432'], message: 'hi' });
    await sms.send({ to: '0812345678', message: 'hi' });
    expect(printed).toEqual([
      expect.stringMatching(/^debug \[ThaiBulkSms\] POST \/sms \[2 numbers: 081xxxx678, \.\.\.\] -> 201 in \d+ ms$/),
      expect.stringMatching(/^debug \[ThaiBulkSms\] POST \/sms \[081xxxx678\] -> 201 in \d+ ms$/),
    ]);
  });

  it('prints nothing when the levels leave debug out', async () => {
    Logger.overrideLogger(new Capturing({ logLevels: ['error', 'warn', 'log'] }));
    await sms.send({ to: '0812345678', message: 'hi' });
    expect(printed).toEqual([]);
  });
});
