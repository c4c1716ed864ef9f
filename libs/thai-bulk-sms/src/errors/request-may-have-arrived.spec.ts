import { OtpInvalidParameterError, OtpTokenExpiredError } from './otp.errors';
import { requestMayHaveArrived } from './request-may-have-arrived';
import { ThaiBulkSmsAbortedError } from './thai-bulk-sms-aborted.error';
import { ThaiBulkSmsNetworkError } from './thai-bulk-sms-network.error';
import { ThaiBulkSmsTimeoutError } from './thai-bulk-sms-timeout.error';

describe('requestMayHaveArrived', () => {
  it.each([
    [
      'a refused connection',
      new ThaiBulkSmsNetworkError({ networkCode: 'ECONNREFUSED', requestMayHaveArrived: false }),
    ],
    ['an abort before sending', ThaiBulkSmsAbortedError.beforeSending()],
    ['a local refusal', new OtpInvalidParameterError({ source: 'local' })],
  ])('is false only for what provably never left: %s', (_label, error) => {
    expect(requestMayHaveArrived(error)).toBe(false);
  });

  it.each([
    ['a reset connection', new ThaiBulkSmsNetworkError({ networkCode: 'ECONNRESET', requestMayHaveArrived: true })],
    ['an abort in flight', new ThaiBulkSmsAbortedError(undefined, true)],
    ['a timeout', new ThaiBulkSmsTimeoutError(1000)],
    ['a vendor answer', new OtpTokenExpiredError({ upstreamStatus: 400 })],
    ['an error that is not the library’s', new Error('Redis is down')],
  ])('is true for everything else: %s', (_label, error) => {
    expect(requestMayHaveArrived(error)).toBe(true);
  });
});
