import { httpAnswerFor } from '../filters/error-http-status';
import {
  OtpApplicationNotFoundError,
  OtpCodeInvalidError,
  OtpInvalidParameterError,
  OtpTokenExpiredError,
  OtpVerifyOutcomeUnknownError,
  ThaiBulkSmsAccountError,
  ThaiBulkSmsRequestError,
  ThaiBulkSmsUpstreamError,
  vendorError,
} from './index';

describe('OTP errors', () => {
  it('give bad input its own caller-category class, local or from the vendor', () => {
    const local = new OtpInvalidParameterError({ source: 'local', message: 'pin must be digits only.' });
    expect(local).toBeInstanceOf(ThaiBulkSmsRequestError);
    expect(local).toMatchObject({
      errorName: 'OTP_INVALID_PARAMETER',
      category: 'caller',
      source: 'local',
      description: 'Invalid Paramete.',
      message: 'pin must be digits only.',
    });
    const upstream = new OtpInvalidParameterError({ upstreamStatus: 400 });
    expect(upstream).toMatchObject({
      source: 'upstream',
      message: 'Invalid Paramete.',
      name: 'OtpInvalidParameterError',
    });
    expect(httpAnswerFor(upstream)).toEqual({ status: 400, message: 'Invalid Paramete.' });
  });

  it('give bad OTP credentials an account-category class, which the filter answers with 503 and a generic message', () => {
    const error = new OtpApplicationNotFoundError({ upstreamStatus: 400 });
    expect(error).toBeInstanceOf(ThaiBulkSmsAccountError);
    expect(error).toMatchObject({
      errorName: 'OTP_APPLICATION_NOT_FOUND',
      category: 'account',
      description: 'Application not found.',
    });
    // The vendor answers 400 for it; the caller must still not see a 4xx for our configuration.
    const answer = httpAnswerFor(error);
    expect(answer.status).toBe(503);
    expect(answer.message).not.toContain('Application');
  });

  it('make an unknown verify outcome an upstream error (502), not a caller one', () => {
    const error = new OtpVerifyOutcomeUnknownError({
      earlier: vendorError({ name: 'ERROR_SYSTEM_FAILURE', upstreamStatus: 500 }),
      upstreamStatus: 400,
    });
    expect(error).toBeInstanceOf(ThaiBulkSmsUpstreamError);
    expect(error).not.toBeInstanceOf(OtpTokenExpiredError);
    expect(error).toMatchObject({ errorName: 'OTP_VERIFY_OUTCOME_UNKNOWN', category: 'upstream' });
    expect(httpAnswerFor(error).status).toBe(502);
  });

  it('keep a log-safe JSON view without the cause', () => {
    const json = JSON.parse(JSON.stringify(new OtpVerifyOutcomeUnknownError({ earlier: new OtpCodeInvalidError() })));
    expect(json).toMatchObject({ name: 'OtpVerifyOutcomeUnknownError', errorName: 'OTP_VERIFY_OUTCOME_UNKNOWN' });
    expect(json).not.toHaveProperty('cause');
  });
});
