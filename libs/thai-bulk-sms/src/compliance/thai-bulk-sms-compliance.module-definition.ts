import { ConfigurableModuleBuilder, Type } from '@nestjs/common';
import { ThaiBulkSmsCompliancePolicy } from './thai-bulk-sms-compliance.policy';
import { ThaiBulkSmsComplianceOptions } from './thai-bulk-sms-compliance.options';
import { createComplianceProviders } from './thai-bulk-sms-compliance.providers';
import { THAI_BULK_SMS_COMPLIANCE_OPTIONS } from './thai-bulk-sms-compliance.tokens';

/**
 * Read from the top level of `forRoot`/`forRootAsync`, never from what `useFactory` returns:
 * they shape the module graph, which Nest builds before any factory runs.
 */
export interface ThaiBulkSmsComplianceModuleExtras {
  /**
   * Replace the policy: a class extending ThaiBulkSmsCompliancePolicy, built by Nest (it may
   * inject THAI_BULK_SMS_COMPLIANCE_RESOLVED_OPTIONS, SuppressionList, or what `imports` bring).
   * @default DefaultThaiBulkSmsCompliancePolicy
   */
  readonly policy?: Type<ThaiBulkSmsCompliancePolicy>;
}

export const {
  ConfigurableModuleClass: ThaiBulkSmsComplianceConfigurableModule,
  OPTIONS_TYPE: THAI_BULK_SMS_COMPLIANCE_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: THAI_BULK_SMS_COMPLIANCE_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<ThaiBulkSmsComplianceOptions>({
  moduleName: 'ThaiBulkSmsCompliance',
  optionsInjectionToken: THAI_BULK_SMS_COMPLIANCE_OPTIONS,
})
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createThaiBulkSmsComplianceOptions')
  .setExtras<ThaiBulkSmsComplianceModuleExtras>({ policy: undefined }, (definition, extras) => {
    const { providers, exports } = createComplianceProviders(extras.policy);
    return {
      ...definition,
      // Always global: every ThaiBulkSmsModule registration of the app, wherever it is imported, asks this policy.
      global: true,
      providers: [...(definition.providers ?? []), ...providers],
      exports,
    };
  })
  .build();

export type ThaiBulkSmsComplianceForRootOptions = typeof THAI_BULK_SMS_COMPLIANCE_OPTIONS_TYPE;
export type ThaiBulkSmsComplianceForRootAsyncOptions = typeof THAI_BULK_SMS_COMPLIANCE_ASYNC_OPTIONS_TYPE;
