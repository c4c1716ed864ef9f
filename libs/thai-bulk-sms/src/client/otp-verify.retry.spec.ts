import {
  OtpCodeInvalidError,
  OtpTokenExpiredError,
  OtpVerifyOutcomeUnknownError,
  ThaiBulkSmsNetworkError,
  ThaiBulkSmsTimeoutError,
  vendorError,
} from '../errors';
import { badResponse } from './vendor-response.mapper';
import { OtpVerifyAttempts } from './otp-verify.retry';

const refused = () => new ThaiBulkSmsNetworkError({ networkCode: 'ECONNREFUSED', requestMayHaveArrived: false });
const reset = () => new ThaiBulkSmsNetworkError({ networkCode: 'ECONNRESET', requestMayHaveArrived: true });
const system = () => vendorError({ name: 'ERROR_SYSTEM_FAILURE', upstreamStatus: 500 });
const expired = () => new OtpTokenExpiredError({ upstreamStatus: 400 });

describe('OtpVerifyAttempts', () => {
  it.each([
    ['a refused connection', true, refused()],
    ['a vendor 500', true, system()],
    ['an HTML 502 page', true, badResponse(502, 'an HTML page')],
    ['a dropped connection', false, reset()],
    ['a timeout', false, new ThaiBulkSmsTimeoutError(100)],
    ['a 429', false, vendorError({ name: 'ERROR_TOO_MANY_REQUESTS', upstreamStatus: 429 })],
    ['an unreadable 2xx', false, badResponse(200, 'cut-off JSON')],
    ['a wrong code', false, new OtpCodeInvalidError({ upstreamStatus: 400 })],
    ['a programming error', false, new TypeError('bug')],
  ])('%s: retried = %s', (_label, retried, error) => {
    expect(new OtpVerifyAttempts().retryable(error)).toBe(retried);
  });

  it('keeps "expired" when the only earlier failures provably never reached the API', () => {
    const attempts = new OtpVerifyAttempts();
    attempts.retryable(refused());
    attempts.retryable(refused());
    const final = expired();
    expect(attempts.outcomeOf(final)).toBe(final);
  });

  it('turns "expired" after a vendor 5xx into outcome unknown, keeping the first uncertain failure as cause', () => {
    const attempts = new OtpVerifyAttempts();
    const first = system();
    attempts.retryable(refused());
    attempts.retryable(first);
    attempts.retryable(badResponse(502, 'an HTML page'));
    const outcome = attempts.outcomeOf(expired());
    expect(outcome).toBeInstanceOf(OtpVerifyOutcomeUnknownError);
    expect(outcome).toMatchObject({
      errorName: 'OTP_VERIFY_OUTCOME_UNKNOWN',
      category: 'upstream',
      upstreamStatus: 400,
    });
    expect((outcome as Error).cause).toBe(first);
    expect((outcome as Error).message).toContain('ERROR_SYSTEM_FAILURE, HTTP 500');
  });

  it('leaves every other final answer alone after a 5xx (a wrong code is still a wrong code)', () => {
    const attempts = new OtpVerifyAttempts();
    attempts.retryable(system());
    const wrong = new OtpCodeInvalidError({ upstreamStatus: 400 });
    expect(attempts.outcomeOf(wrong)).toBe(wrong);
  });

  it.each([
    ['a timeout', new ThaiBulkSmsTimeoutError(100)],
    ['a connection cut after sending', reset()],
    ['an unreadable 2xx', badResponse(200, 'cut-off JSON')],
  ])('turns %s into outcome unknown: the verify may have used the token up', (_label, error) => {
    const outcome = new OtpVerifyAttempts().outcomeOf(error);
    expect(outcome).toBeInstanceOf(OtpVerifyOutcomeUnknownError);
    expect(outcome).toMatchObject({ errorName: 'OTP_VERIFY_OUTCOME_UNKNOWN', upstreamStatus: error.upstreamStatus });
    expect((outcome as Error).cause).toBe(error);
    expect((outcome as Error).message).toContain(error.errorName);
    expect((outcome as Error).message).not.toContain('the retry found');
  });

  it.each([
    ['a refused connection', refused()],
    ['a 429', vendorError({ name: 'ERROR_TOO_MANY_REQUESTS', upstreamStatus: 429 })],
    ['a programming error', new TypeError('bug')],
  ])('leaves %s alone: it never used the token', (_label, error) => {
    expect(new OtpVerifyAttempts().outcomeOf(error)).toBe(error);
  });
});
