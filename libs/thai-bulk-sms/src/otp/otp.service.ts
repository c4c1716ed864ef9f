import { Inject, Injectable } from '@nestjs/common';
import { ThaiBulkSmsClient } from '../client/thai-bulk-sms.client';
import { ThaiBulkSmsClock } from '../client/clock';
import { mayHaveTakenEffect, OtpInvalidParameterError, ThaiBulkSmsError } from '../errors';
import { ObserverDispatcher } from '../observers/observer-dispatcher';
import { THAI_BULK_SMS_REGISTRATION_NAME } from '../thai-bulk-sms.tokens';
import { parseThaiMobile } from '../phone';
import { OtpCallOptions, OtpRequestResult, OtpVerifyResult } from './otp.types';

const TOKEN_SHAPE = /^[A-Za-z0-9._~-]{1,200}$/;
const PIN_SHAPE = /^\d{1,12}$/;

function invalidParameter(message: string): OtpInvalidParameterError {
  return new OtpInvalidParameterError({ source: 'local', message });
}

/**
 * One-time passwords through the vendor's OTP product (its own key/secret). Errors tell apart a
 * wrong code (OtpCodeInvalidError), an expired or used token (OtpTokenExpiredError), bad input
 * (OtpInvalidParameterError), bad OTP credentials (OtpApplicationNotFoundError, an account error)
 * and a verify whose outcome is unknown (OtpVerifyOutcomeUnknownError).
 */
@Injectable()
export class OtpService {
  constructor(
    @Inject(ThaiBulkSmsClient) private readonly client: ThaiBulkSmsClient,
    @Inject(ThaiBulkSmsClock) private readonly clock: ThaiBulkSmsClock,
    @Inject(THAI_BULK_SMS_REGISTRATION_NAME) private readonly registration: string,
    @Inject(ObserverDispatcher) private readonly observers: ObserverDispatcher,
  ) {}

  /** Sends a code to `phone`. Never retried once it may have arrived: that would send a second SMS. */
  request(phone: string, options: OtpCallOptions = {}): Promise<OtpRequestResult> {
    const parsed = parseThaiMobile(phone);
    if (!parsed.valid) return Promise.reject(invalidParameter('phone must be a Thai mobile number.'));
    const { msisdn } = parsed;
    const at = new Date(this.clock.now());
    return this.client.requestOtp(msisdn, options.signal).then(
      async (result) => {
        await this.observers.notify('onOtpRequest', () => ({
          registration: this.registration,
          category: 'otp',
          at,
          msisdn,
          result,
        }));
        return result;
      },
      async (error: unknown) => {
        if (error instanceof ThaiBulkSmsError) {
          await this.observers.notify('onOtpRequest', () => ({
            registration: this.registration,
            category: 'otp',
            at,
            msisdn,
            error,
            mayHaveTakenEffect: mayHaveTakenEffect(error),
          }));
        }
        throw error;
      },
    );
  }

  /**
   * Resolves when `pin` is right for `token`; rejects with a typed error otherwise. A correct
   * verify uses the token up, so it is never repeated after a timeout or a dropped connection;
   * after a vendor 5xx it is, and a retry that then finds the token used rejects with
   * OtpVerifyOutcomeUnknownError instead of blaming the user with "expired".
   */
  verify(token: string, pin: string, options: OtpCallOptions = {}): Promise<OtpVerifyResult> {
    if (typeof token !== 'string' || !TOKEN_SHAPE.test(token))
      return Promise.reject(invalidParameter('token is missing or malformed.'));
    const code = typeof pin === 'number' ? String(pin) : pin;
    if (typeof code !== 'string' || !PIN_SHAPE.test(code))
      return Promise.reject(invalidParameter('pin must be digits only.'));
    const at = new Date(this.clock.now());
    return this.client.verifyOtp(token, code, options.signal).then(
      async (result) => {
        await this.observers.notify('onOtpVerify', () => ({
          registration: this.registration,
          at,
          token,
          verified: true,
        }));
        return result;
      },
      async (error: unknown) => {
        if (error instanceof ThaiBulkSmsError) {
          await this.observers.notify('onOtpVerify', () => ({
            registration: this.registration,
            at,
            token,
            verified: false,
            error,
          }));
        }
        throw error;
      },
    );
  }
}
