import type { ValidationError } from '@nestjs/common';
import { OTP_ERROR_NAMES } from '../errors';
import { MAX_RECIPIENTS_CONSTRAINT } from '../sms/send-sms.dto';

/**
 * The vendor error name each field of the library's DTOs stands for (SendSmsDto, SendBulkSmsDto,
 * RequestOtpDto, VerifyOtpDto), so a mistake caught by validation answers with the same `error`
 * as SmsService/OtpService, or the vendor, would for it. Fields not listed are ERROR_FORM.
 */
export const THAI_BULK_SMS_FIELD_ERROR_NAMES: Readonly<Record<string, string>> = Object.freeze({
  to: 'ERROR_MSISDN',
  phone: 'ERROR_MSISDN',
  message: 'ERROR_MESSAGE',
  sender: 'ERROR_SENDER',
  scheduledAt: 'ERROR_SCHEDULED_DELIVERY',
  force: 'ERROR_FORCE',
  callbackUrl: 'ERROR_CALLBACK_URL',
  callbackMethod: 'ERROR_CALLBACK_METHOD',
  tags: 'ERROR_TAGS',
  token: OTP_ERROR_NAMES.invalidParameter,
  pin: OTP_ERROR_NAMES.invalidParameter,
});

/** Failures with a more precise name than their field's, told apart by the rule that failed. */
const SPECIFIC_ERROR_NAMES: Readonly<Record<string, (constraints: readonly string[]) => string | undefined>> = {
  to: (constraints) => (constraints.includes(MAX_RECIPIENTS_CONSTRAINT) ? 'ERROR_MSISDN_EXCEEDED_LIMIT' : undefined),
  // Too many tags or a too long one: SmsService names both ERROR_TAGS_EXCEEDED_LENGTH.
  tags: (constraints) =>
    constraints.every((c) => c === 'arrayMaxSize' || c === 'maxLength') ? 'ERROR_TAGS_EXCEEDED_LENGTH' : undefined,
};

/** class-validator's constraint for a property the DTO does not declare (forbidNonWhitelisted). */
const UNKNOWN_PROPERTY = 'whitelistValidation';
const FORM_ERROR_NAME = 'ERROR_FORM';
const MAX_MESSAGES = 10;

/**
 * The vendor error name for a failed validation: that of the first failing field, ERROR_FORM for
 * an unknown property or a field with no vendor name. `fieldErrorNames` adds or overrides fields
 * (an app's own DTOs).
 */
export function validationErrorName(
  errors: readonly ValidationError[],
  fieldErrorNames: Readonly<Record<string, string>> = {},
): string {
  const first = errors[0];
  if (!first) return FORM_ERROR_NAME;
  const constraints = Object.keys(constraintsOf(first));
  if (constraints.includes(UNKNOWN_PROPERTY)) return FORM_ERROR_NAME;
  const own = fieldErrorNames[first.property];
  if (own !== undefined) return own;
  return (
    SPECIFIC_ERROR_NAMES[first.property]?.(constraints) ??
    THAI_BULK_SMS_FIELD_ERROR_NAMES[first.property] ??
    FORM_ERROR_NAME
  );
}

/** The constraint messages, joined; never the values that failed. */
export function validationMessage(errors: readonly ValidationError[]): string {
  const messages = errors.flatMap((error) => Object.values(constraintsOf(error)));
  if (messages.length === 0) return 'The request is invalid.';
  const shown = messages.slice(0, MAX_MESSAGES).join('; ');
  return messages.length > MAX_MESSAGES ? `${shown}; and ${messages.length - MAX_MESSAGES} more` : shown;
}

function constraintsOf(error: ValidationError): Record<string, string> {
  const own = { ...(error.constraints ?? {}) };
  for (const child of error.children ?? []) Object.assign(own, constraintsOf(child));
  return own;
}
