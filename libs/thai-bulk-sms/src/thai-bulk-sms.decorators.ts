import { Inject, InjectionToken } from '@nestjs/common';
import { ThaiBulkSmsHealthIndicator } from './health/thai-bulk-sms.health';
import { OtpService } from './otp/otp.service';
import { CreditService } from './sms/credit.service';
import { SmsService } from './sms/sms.service';
import { DEFAULT_REGISTRATION_NAME } from './thai-bulk-sms.constants';

const isDefault = (name?: string) => name === undefined || name === DEFAULT_REGISTRATION_NAME;

/**
 * Tokens of one registration. The default registration is injected by class; a named one by a
 * readable string token, so two registrations never shadow each other.
 */
export function getSmsServiceToken(name?: string): InjectionToken {
  return isDefault(name) ? SmsService : `ThaiBulkSms:${name}:SmsService`;
}

export function getOtpServiceToken(name?: string): InjectionToken {
  return isDefault(name) ? OtpService : `ThaiBulkSms:${name}:OtpService`;
}

export function getCreditServiceToken(name?: string): InjectionToken {
  return isDefault(name) ? CreditService : `ThaiBulkSms:${name}:CreditService`;
}

export function getHealthIndicatorToken(name?: string): InjectionToken {
  return isDefault(name) ? ThaiBulkSmsHealthIndicator : `ThaiBulkSms:${name}:HealthIndicator`;
}

export const InjectSmsService = (name?: string): PropertyDecorator & ParameterDecorator =>
  Inject(getSmsServiceToken(name));
export const InjectOtpService = (name?: string): PropertyDecorator & ParameterDecorator =>
  Inject(getOtpServiceToken(name));
export const InjectCreditService = (name?: string): PropertyDecorator & ParameterDecorator =>
  Inject(getCreditServiceToken(name));
export const InjectThaiBulkSmsHealthIndicator = (name?: string): PropertyDecorator & ParameterDecorator =>
  Inject(getHealthIndicatorToken(name));
