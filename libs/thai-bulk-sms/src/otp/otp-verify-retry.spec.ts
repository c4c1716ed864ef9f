import { Logger } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { createServer } from 'node:net';
import {
  OtpTokenExpiredError,
  OtpVerifyOutcomeUnknownError,
  ThaiBulkSmsNetworkError,
  ThaiBulkSmsTimeoutError,
  ThaiBulkSmsUpstreamError,
} from '../errors';
import { httpAnswerFor } from '../filters/error-http-status';
import { SANDBOX_DEFAULT_CREDENTIALS, ThaiBulkSmsSandbox } from '../sandbox';
import { THAI_BULK_SMS_SANDBOX, ThaiBulkSmsTestingModule } from '../testing';
import { CapturingLogger, rejectionOf, requestCount } from '../testing/spec-helpers.test-util';
import { ThaiBulkSmsModule } from '../thai-bulk-sms.module';
import { OtpService } from './otp.service';

// No backoff delays: the retries run at once and nothing sleeps.
const RETRY = { retries: 2, baseDelayMs: 0, maxDelayMs: 0 };

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * A correct verify uses the token up. These prove that a lost answer never turns a user who typed
 * the right code into "expired": the sandbox handles the verify (process: true) and then loses or
 * spoils the answer, which is exactly what a retry cannot see.
 */
describe('OtpService.verify retry policy (against the sandbox)', () => {
  let moduleRef: TestingModule;
  let otp: OtpService;
  let sb: ThaiBulkSmsSandbox;

  async function setup(options: object = {}) {
    const ref = await Test.createTestingModule({
      imports: [ThaiBulkSmsTestingModule.forRoot({ options: { retry: RETRY, ...options } })],
    }).compile();
    await ref.init();
    return ref;
  }

  async function requested() {
    const { token } = await otp.request('0812345678');
    return { token, pin: sb.lastOtp()!.pin };
  }

  beforeAll(async () => {
    moduleRef = await setup();
    otp = moduleRef.get(OtpService);
    sb = moduleRef.get(THAI_BULK_SMS_SANDBOX);
  });
  afterAll(() => moduleRef.close());
  beforeEach(() => sb.reset());

  it('does not retry a verify whose connection dropped after the vendor used the token', async () => {
    const { token, pin } = await requested();
    sb.inject({ kind: 'drop' }, { path: '/v2/otp/verify', process: true });
    const error = await rejectionOf(otp.verify(token, pin));
    expect(error).not.toBeInstanceOf(OtpTokenExpiredError);
    // Whether the code was right is unknown: the caller is told so (a new code), with the drop as cause.
    expect(error).toBeInstanceOf(OtpVerifyOutcomeUnknownError);
    expect(error.cause).toBeInstanceOf(ThaiBulkSmsNetworkError);
    expect((error.cause as ThaiBulkSmsNetworkError).requestMayHaveArrived).toBe(true);
    expect(requestCount(sb, '/v2/otp/verify')).toBe(1);
    expect(sb.lastOtp()?.status).toBe('verified');
  });

  it('does not retry a dropped verify even when it was not handled: the client cannot tell', async () => {
    const { token, pin } = await requested();
    sb.inject({ kind: 'drop' }, { path: '/v2/otp/verify' });
    const error = await rejectionOf(otp.verify(token, pin));
    expect(error).toBeInstanceOf(OtpVerifyOutcomeUnknownError);
    expect(error.cause).toBeInstanceOf(ThaiBulkSmsNetworkError);
    expect(requestCount(sb, '/v2/otp/verify')).toBe(1);
    // The token is still good, so the app can let the user try again.
    await expect(otp.verify(token, pin)).resolves.toMatchObject({ verified: true });
  });

  it('does not retry a verify that timed out after the vendor used the token', async () => {
    const ref = await setup({ timeoutMs: 100 });
    try {
      const service = ref.get(OtpService);
      const sandbox = ref.get<ThaiBulkSmsSandbox>(THAI_BULK_SMS_SANDBOX);
      const { token } = await service.request('0812345678');
      sandbox.inject({ kind: 'hang' }, { path: '/v2/otp/verify', process: true });
      const error = await rejectionOf(service.verify(token, sandbox.lastOtp()!.pin));
      expect(error).toBeInstanceOf(OtpVerifyOutcomeUnknownError);
      expect(error.cause).toBeInstanceOf(ThaiBulkSmsTimeoutError);
      expect(requestCount(sandbox, '/v2/otp/verify')).toBe(1);
      expect(httpAnswerFor(error).status).toBe(504);
    } finally {
      await ref.close();
    }
  });

  it('retries a vendor 5xx that did not use the token, and succeeds', async () => {
    const { token, pin } = await requested();
    sb.failNext('ERROR_SYSTEM_FAILURE', { path: '/v2/otp/verify' });
    await expect(otp.verify(token, pin)).resolves.toMatchObject({ verified: true });
    expect(requestCount(sb, '/v2/otp/verify')).toBe(2);
  });

  it.each([
    [
      'a 500 with the vendor error body',
      { kind: 'vendor-error', name: 'ERROR_SYSTEM_FAILURE', status: 500 } as const,
      500,
      'ERROR_SYSTEM_FAILURE',
    ],
    ['an nginx 502 page', { kind: 'html-502' } as const, 502, 'ERROR_UPSTREAM_BAD_RESPONSE'],
  ])(
    'answers "outcome unknown", not "expired", when a retry after %s finds the token used',
    async (_label, fault, status, earlierName) => {
      const { token, pin } = await requested();
      sb.inject(fault, { path: '/v2/otp/verify', process: true });
      const error = await rejectionOf(otp.verify(token, pin));
      expect(error).toBeInstanceOf(OtpVerifyOutcomeUnknownError);
      expect(error).toBeInstanceOf(ThaiBulkSmsUpstreamError);
      expect(error).not.toBeInstanceOf(OtpTokenExpiredError);
      expect(error).toMatchObject({ errorName: 'OTP_VERIFY_OUTCOME_UNKNOWN', category: 'upstream' });
      expect(error.cause).toMatchObject({ errorName: earlierName, upstreamStatus: status });
      expect(requestCount(sb, '/v2/otp/verify')).toBe(2);
      expect(httpAnswerFor(error).status).toBe(502);
    },
  );

  it('still answers "expired" for a used token when no attempt failed uncertainly', async () => {
    const { token, pin } = await requested();
    await otp.verify(token, pin);
    expect(await rejectionOf(otp.verify(token, pin))).toBeInstanceOf(OtpTokenExpiredError);
  });

  it('does not retry a 429 (the vendor may have handled it) nor an unreadable 2xx', async () => {
    const { token, pin } = await requested();
    sb.failNext('ERROR_TOO_MANY_REQUESTS', { path: '/v2/otp/verify' });
    expect(await rejectionOf(otp.verify(token, pin))).toMatchObject({ upstreamStatus: 429 });
    sb.inject({ kind: 'malformed-json' }, { path: '/v2/otp/verify' });
    const unreadable = await rejectionOf(otp.verify(token, pin));
    expect(unreadable).toMatchObject({ errorName: 'OTP_VERIFY_OUTCOME_UNKNOWN', upstreamStatus: 200 });
    expect(unreadable.cause).toMatchObject({ errorName: 'ERROR_UPSTREAM_BAD_RESPONSE', upstreamStatus: 200 });
    expect(requestCount(sb, '/v2/otp/verify')).toBe(2);
  });

  it('retries a refused connection (it never reached the API)', async () => {
    const logs = new CapturingLogger();
    const port = await closedPort();
    const ref = await Test.createTestingModule({
      imports: [
        ThaiBulkSmsModule.forRoot({
          ...SANDBOX_DEFAULT_CREDENTIALS,
          otpBaseUrl: `http://127.0.0.1:${port}`,
          maxTps: 0,
          retry: RETRY,
        }),
      ],
    }).compile();
    // After compile: the testing builder installs its own logger.
    Logger.overrideLogger(logs);
    try {
      const error = await rejectionOf(ref.get(OtpService).verify('some-token', '123456'));
      expect(error).toMatchObject({ networkCode: 'ECONNREFUSED', requestMayHaveArrived: false });
      expect(
        logs.lines.filter(
          (line) => line.startsWith('warn') && line.includes('POST /v2/otp/verify') && line.includes('retry'),
        ),
      ).toHaveLength(2);
    } finally {
      await ref.close();
    }
  });
});
