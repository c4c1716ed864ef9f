import { parseThaiMobile } from '../phone/thai-phone';
import { BodyFields, textField } from './request-body.parser';
import { OTP_MESSAGES } from './sandbox.constants';
import { jsonResponse, otpErrorResponse, SandboxResponse } from './sandbox.response';
import { SandboxState } from './sandbox.state';
import { SandboxOtp } from './sandbox.types';

const PIN_LENGTH = 6;
const PIN_PATTERN = /^\d{6}$/;
const REFNO_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/**
 * OTP request (docs/vendor-api.md, "OTP"). Order of checks: missing key/secret/msisdn → invalid parameter;
 * wrong key/secret → application not found; a number that is not a Thai mobile → invalid parameter.
 */
export function handleOtpRequest(state: SandboxState, fields: BodyFields): SandboxResponse {
  const app = checkApplication(state, fields);
  if (app) return app;
  const msisdn = textField(fields, 'msisdn');
  if (typeof msisdn !== 'string') return otpErrorResponse(OTP_MESSAGES.invalidParameter);
  const parsed = parseThaiMobile(msisdn);
  if (!parsed.valid) return otpErrorResponse(OTP_MESSAGES.invalidParameter);

  const now = state.now();
  let token = state.ids.next(24);
  while (state.otpsByToken.has(token)) token = state.ids.next(24);
  const otp: SandboxOtp = {
    token,
    refno: refno(state),
    pin: state.ids.digits(PIN_LENGTH),
    phone: parsed.msisdn,
    createdAt: now,
    expiresAt: now + state.options.otpTtlMs,
    status: 'pending',
    attempts: 0,
  };
  state.otps.push(otp);
  state.otpsByToken.set(token, otp);
  return jsonResponse(200, { status: 'success', token: otp.token, refno: otp.refno });
}

/**
 * OTP verify. An unknown token answers like an expired one: the vendor forgets tokens, so the two
 * cannot be told apart. A used token is expired too (single use). A PIN that is not 6 digits is
 * an invalid parameter; a wrong 6-digit PIN is "Code is invalid." and leaves the token usable.
 * A correct PIN answers `status` as configured (`otpVerifyStatus`): the vendor uses both words.
 */
export function handleOtpVerify(state: SandboxState, fields: BodyFields): SandboxResponse {
  const app = checkApplication(state, fields);
  if (app) return app;
  const token = textField(fields, 'token');
  const pin = textField(fields, 'pin');
  if (typeof token !== 'string' || token === '' || typeof pin !== 'string')
    return otpErrorResponse(OTP_MESSAGES.invalidParameter);
  if (!PIN_PATTERN.test(pin)) return otpErrorResponse(OTP_MESSAGES.invalidParameter);

  const otp = state.otpsByToken.get(token);
  if (!otp || otp.status !== 'pending') return otpErrorResponse(OTP_MESSAGES.expired);
  if (state.now() >= otp.expiresAt) {
    otp.status = 'expired';
    return otpErrorResponse(OTP_MESSAGES.expired);
  }
  if (otp.pin !== pin) {
    otp.attempts++;
    return otpErrorResponse(OTP_MESSAGES.wrongCode);
  }
  otp.status = 'verified';
  return jsonResponse(200, { status: state.options.otpVerifyStatus, message: OTP_MESSAGES.correct });
}

/** Marks pending OTPs whose time is up, so inspection shows what verify would answer. */
export function settleExpiredOtps(state: SandboxState): void {
  const now = state.now();
  for (const otp of state.otps.toArray()) {
    if (otp.status === 'pending' && now >= otp.expiresAt) otp.status = 'expired';
  }
}

function checkApplication(state: SandboxState, fields: BodyFields): SandboxResponse | undefined {
  const key = textField(fields, 'key');
  const secret = textField(fields, 'secret');
  if (typeof key !== 'string' || key === '' || typeof secret !== 'string' || secret === '') {
    return otpErrorResponse(OTP_MESSAGES.invalidParameter);
  }
  const { otpKey, otpSecret } = state.options.credentials;
  if (key !== otpKey || secret !== otpSecret) return otpErrorResponse(OTP_MESSAGES.applicationNotFound);
  return undefined;
}

function refno(state: SandboxState): string {
  const raw = state.ids.next(5);
  let out = '';
  for (let i = 0; i < raw.length; i++) out += REFNO_ALPHABET[raw.charCodeAt(i) % REFNO_ALPHABET.length];
  return out;
}
