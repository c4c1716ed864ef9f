import { InjectionToken, Provider, Type } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { ObserverDispatcher } from './observers/observer-dispatcher';
import { registrationCompliancePolicy } from './compliance/thai-bulk-sms-compliance.providers';
import { ThaiBulkSmsCompliancePolicy } from './compliance/thai-bulk-sms-compliance.policy';
import { AxiosThaiBulkSmsTransport } from './transport/axios.transport';
import { SystemClock, ThaiBulkSmsClock } from './client/clock';
import { TpsRateLimiter } from './client/rate-limiter';
import { ThaiBulkSmsClient } from './client/thai-bulk-sms.client';
import { ThaiBulkSmsTransport } from './transport/thai-bulk-sms.transport';
import { DeliveryReportReceiver } from './delivery/delivery-report.receiver';
import { ThaiBulkSmsInstrumentation, vendorCallProbes } from './instrumentation/thai-bulk-sms.instrumentation';
import { ThaiBulkSmsHealthIndicator } from './health/thai-bulk-sms.health';
import { OtpService } from './otp/otp.service';
import { CreditService } from './sms/credit.service';
import { SmsService } from './sms/sms.service';
import { DEFAULT_REGISTRATION_NAME } from './thai-bulk-sms.constants';
import {
  getCreditServiceToken,
  getHealthIndicatorToken,
  getOtpServiceToken,
  getSmsServiceToken,
} from './thai-bulk-sms.decorators';
import { loggerFor } from './thai-bulk-sms.logger';
import { ResolvedThaiBulkSmsOptions } from './thai-bulk-sms.options';
import { resolveThaiBulkSmsOptions } from './thai-bulk-sms.options-validation';
import { ThaiBulkSmsOptionsError } from './errors/options.errors';
import {
  THAI_BULK_SMS_MODULE_OPTIONS,
  THAI_BULK_SMS_REGISTRATION_COMPLIANCE,
  THAI_BULK_SMS_REGISTRATION_NAME,
  THAI_BULK_SMS_RESOLVED_OPTIONS,
} from './thai-bulk-sms.tokens';

const PUBLIC_SERVICES: readonly [Type<unknown>, (name?: string) => InjectionToken][] = [
  [SmsService, getSmsServiceToken],
  [OtpService, getOtpServiceToken],
  [CreditService, getCreditServiceToken],
  [ThaiBulkSmsHealthIndicator, getHealthIndicatorToken],
];

/**
 * Everything one registration owns: its validated options, its transport (keep-alive agents),
 * its rate limiter (shared by every call of the registration) and its services. A named
 * registration exports its services under its own tokens only, so it never shadows the default.
 */
export function createThaiBulkSmsProviders(
  name: string | undefined,
  transport: Type<ThaiBulkSmsTransport> | undefined,
): { providers: Provider[]; exports: InjectionToken[] } {
  if (name !== undefined && (typeof name !== 'string' || name.trim() === '')) {
    throw new ThaiBulkSmsOptionsError('name', 'must be a non-empty string');
  }
  const registration = name ?? DEFAULT_REGISTRATION_NAME;
  const isDefault = registration === DEFAULT_REGISTRATION_NAME;

  const providers: Provider[] = [
    { provide: THAI_BULK_SMS_REGISTRATION_NAME, useValue: registration },
    {
      provide: THAI_BULK_SMS_RESOLVED_OPTIONS,
      useFactory: resolveThaiBulkSmsOptions,
      inject: [THAI_BULK_SMS_MODULE_OPTIONS],
    },
    { provide: ThaiBulkSmsClock, useClass: SystemClock },
    { provide: ThaiBulkSmsTransport, useClass: transport ?? AxiosThaiBulkSmsTransport },
    {
      provide: TpsRateLimiter,
      useFactory: (options: ResolvedThaiBulkSmsOptions, clock: ThaiBulkSmsClock) =>
        new TpsRateLimiter(options.maxTps, clock),
      inject: [THAI_BULK_SMS_RESOLVED_OPTIONS, ThaiBulkSmsClock],
    },
    clientProvider(registration),
    {
      provide: ObserverDispatcher,
      useFactory: (discovery: DiscoveryService) => new ObserverDispatcher(discovery, loggerFor(registration)),
      inject: [DiscoveryService],
    },
    {
      // ThaiBulkSmsComplianceModule is global: found here wherever the app imports it.
      provide: THAI_BULK_SMS_REGISTRATION_COMPLIANCE,
      useFactory: registrationCompliancePolicy,
      inject: [{ token: ThaiBulkSmsCompliancePolicy, optional: true }],
    },
    ...PUBLIC_SERVICES.map(([service]) => service),
  ];
  // Delivery reports belong to no account: one receiver, from the default registration.
  if (isDefault) {
    return {
      providers: [...providers, DeliveryReportReceiver],
      exports: [...PUBLIC_SERVICES.map(([service]) => service), DeliveryReportReceiver],
    };
  }

  const aliases = PUBLIC_SERVICES.map(([service, token]) => ({ provide: token(registration), useExisting: service }));
  return { providers: [...providers, ...aliases], exports: aliases.map((alias) => alias.provide) };
}

/** The client of one registration: its options, transport, limiter and clock, instrumented when a hook is provided. */
function clientProvider(registration: string): Provider {
  return {
    provide: ThaiBulkSmsClient,
    useFactory: (
      options: ResolvedThaiBulkSmsOptions,
      wire: ThaiBulkSmsTransport,
      limiter: TpsRateLimiter,
      clock: ThaiBulkSmsClock,
      instrumentation?: ThaiBulkSmsInstrumentation,
    ) =>
      new ThaiBulkSmsClient(
        options,
        wire,
        limiter,
        clock,
        loggerFor(registration),
        instrumentation && vendorCallProbes(instrumentation, registration, options),
      ),
    inject: [
      THAI_BULK_SMS_RESOLVED_OPTIONS,
      ThaiBulkSmsTransport,
      TpsRateLimiter,
      ThaiBulkSmsClock,
      // Provided (globally) by ThaiBulkSmsTelemetryModule or the app; absent, calls are not instrumented.
      { token: ThaiBulkSmsInstrumentation, optional: true },
    ],
  };
}
