import { Test, TestingModule } from '@nestjs/testing';
import {
  OtpApplicationNotFoundError,
  OtpCodeInvalidError,
  OtpInvalidParameterError,
  OtpTokenExpiredError,
  ThaiBulkSmsAccountError,
  ThaiBulkSmsRequestError,
} from '../errors';
import { ThaiBulkSmsSandbox } from '../sandbox';
import { SandboxClock, SandboxOptions } from '../sandbox/sandbox.types';
import { THAI_BULK_SMS_SANDBOX, ThaiBulkSmsTestingModule } from '../testing';
import { everythingAbout, rejectionOf, requestCount } from '../testing/spec-helpers.test-util';
import { postJson } from '../sandbox/sandbox.test-util';
import { OtpService } from './otp.service';

describe('OtpService (against the sandbox)', () => {
  let moduleRef: TestingModule;
  let otp: OtpService;
  let sb: ThaiBulkSmsSandbox;
  let now = Date.now();
  const clock: SandboxClock = { now: () => now };

  async function setup(options = {}, sandbox: Partial<SandboxOptions> = {}) {
    const ref = await Test.createTestingModule({
      imports: [ThaiBulkSmsTestingModule.forRoot({ sandbox: { clock, otpTtlMs: 300_000, ...sandbox }, options })],
    }).compile();
    await ref.init();
    return ref;
  }

  beforeAll(async () => {
    moduleRef = await setup();
    otp = moduleRef.get(OtpService);
    sb = moduleRef.get(THAI_BULK_SMS_SANDBOX);
  });
  afterAll(() => moduleRef.close());
  beforeEach(() => sb.reset());

  it('requests a code and verifies it', async () => {
    const { token, refno } = await otp.request('081-234-5678');
    expect(token).toBe(sb.lastOtp()?.token);
    expect(refno).toBe(sb.lastOtp()?.refno);
    expect(sb.lastOtp()?.phone).toBe('66812345678');
    expect(await otp.verify(token, sb.lastOtp()!.pin)).toEqual({ verified: true, message: expect.any(String) });
  });

  it('tells a wrong code apart', async () => {
    const { token } = await otp.request('0812345678');
    const pin = sb.lastOtp()!.pin;
    const wrong = pin === '000000' ? '111111' : '000000';
    const error = await rejectionOf(otp.verify(token, wrong));
    expect(error).toBeInstanceOf(OtpCodeInvalidError);
    expect(error).toMatchObject({ errorName: 'OTP_CODE_INVALID', upstreamStatus: 400 });
  });

  it('tells an expired token apart (sandbox clock moved, no sleeping)', async () => {
    const { token } = await otp.request('0812345678');
    const pin = sb.lastOtp()!.pin;
    now += 301_000;
    const error = await rejectionOf(otp.verify(token, pin));
    expect(error).toBeInstanceOf(OtpTokenExpiredError);
  });

  it('tells a used token apart', async () => {
    const { token } = await otp.request('0812345678');
    const pin = sb.lastOtp()!.pin;
    await otp.verify(token, pin);
    expect(await rejectionOf(otp.verify(token, pin))).toBeInstanceOf(OtpTokenExpiredError);
  });

  it('tells a bad parameter from the API apart: a PIN the local check lets through but the vendor refuses', async () => {
    // Locally any 1-12 digits pass (the PIN length is set per OTP application); the sandbox's application uses 6.
    const { token } = await otp.request('0812345678');
    const error = await rejectionOf(otp.verify(token, '1234'));
    expect(error).toBeInstanceOf(OtpInvalidParameterError);
    expect(error).toBeInstanceOf(ThaiBulkSmsRequestError);
    expect(error).toMatchObject({
      errorName: 'OTP_INVALID_PARAMETER',
      description: 'Invalid Paramete.',
      source: 'upstream',
      upstreamStatus: 400,
    });
    expect(requestCount(sb, '/v2/otp/verify')).toBe(1);
    expect(sb.lastOtp()?.status).toBe('pending');
  });

  it('answers an unknown token as expired (the vendor forgets tokens, so the two look alike)', async () => {
    expect(await rejectionOf(otp.verify('unknown-token', '123456'))).toBeInstanceOf(OtpTokenExpiredError);
  });

  it('accepts the vendor\'s other success word, "verified"', async () => {
    const ref = await setup({}, { otpVerifyStatus: 'verified' });
    const service = ref.get(OtpService);
    const sandbox = ref.get<ThaiBulkSmsSandbox>(THAI_BULK_SMS_SANDBOX);
    try {
      // The wire first, so this cannot pass on a sandbox that still answers "success".
      const probe = await service.request('0812345678');
      const { otpKey, otpSecret } = sandbox.credentials;
      const raw = await postJson(`${sandbox.url}/v2/otp/verify`, {
        key: otpKey,
        secret: otpSecret,
        token: probe.token,
        pin: sandbox.lastOtp()!.pin,
      });
      expect(raw.json).toEqual({ status: 'verified', message: 'Code is correct.' });

      const { token } = await service.request('0812345678');
      expect(await service.verify(token, sandbox.lastOtp()!.pin)).toEqual({
        verified: true,
        message: 'Code is correct.',
      });
    } finally {
      await ref.close();
    }
  });

  it.each([
    ['a phone that is not Thai mobile', () => otp.request('021234567')],
    ['an empty token', () => otp.verify('', '123456')],
    ['a pin with letters', () => otp.verify('abc', '12a4')],
    ['an empty pin', () => otp.verify('abc', '')],
  ])('refuses %s locally with nothing sent', async (_, call) => {
    const error = await rejectionOf(call());
    expect(error).toBeInstanceOf(OtpInvalidParameterError);
    expect(error).toBeInstanceOf(ThaiBulkSmsRequestError);
    expect(error).toMatchObject({
      errorName: 'OTP_INVALID_PARAMETER',
      description: 'Invalid Paramete.',
      source: 'local',
    });
    expect(requestCount(sb)).toBe(0);
  });

  it('tells bad OTP credentials apart as an account error, on request and on verify', async () => {
    const ref = await setup({ otpSecret: 'wrong-otp-secret' });
    try {
      for (const call of [
        () => ref.get(OtpService).request('0812345678'),
        () => ref.get(OtpService).verify('some-token', '123456'),
      ]) {
        const error = await rejectionOf(call());
        expect(error).toBeInstanceOf(OtpApplicationNotFoundError);
        expect(error).toBeInstanceOf(ThaiBulkSmsAccountError);
        expect(error).toMatchObject({
          errorName: 'OTP_APPLICATION_NOT_FOUND',
          category: 'account',
          upstreamStatus: 400,
        });
        expect(everythingAbout(error)).not.toContain('wrong-otp-secret');
      }
    } finally {
      await ref.close();
    }
  });
});
