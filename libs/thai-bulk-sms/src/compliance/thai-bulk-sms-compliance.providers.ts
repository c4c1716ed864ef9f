import { InjectionToken, Provider, Type } from '@nestjs/common';
import { DefaultThaiBulkSmsCompliancePolicy } from './default-compliance.policy';
import { SuppressionList } from './suppression-list';
import { ThaiBulkSmsCompliancePolicy } from './thai-bulk-sms-compliance.policy';
import { ResolvedComplianceOptions } from './thai-bulk-sms-compliance.options';
import { resolveComplianceOptions } from './thai-bulk-sms-compliance.options-validation';
import { ThaiBulkSmsComplianceOptionsError } from '../errors/options.errors';
import {
  THAI_BULK_SMS_COMPLIANCE_OPTIONS,
  THAI_BULK_SMS_COMPLIANCE_RESOLVED_OPTIONS,
} from './thai-bulk-sms-compliance.tokens';

/**
 * The validated options, the opt-out list (`SuppressionList`) and the policy
 * (`ThaiBulkSmsCompliancePolicy`: the default one, or the class given as the `policy` extra).
 */
export function createComplianceProviders(policy: Type<ThaiBulkSmsCompliancePolicy> | undefined): {
  providers: Provider[];
  exports: InjectionToken[];
} {
  if (policy !== undefined && typeof policy !== 'function') {
    throw new ThaiBulkSmsComplianceOptionsError('policy', 'must be a class extending ThaiBulkSmsCompliancePolicy');
  }
  return {
    providers: [
      {
        provide: THAI_BULK_SMS_COMPLIANCE_RESOLVED_OPTIONS,
        useFactory: resolveComplianceOptions,
        inject: [THAI_BULK_SMS_COMPLIANCE_OPTIONS],
      },
      {
        provide: SuppressionList,
        useFactory: (options: ResolvedComplianceOptions) => options.suppressionList,
        inject: [THAI_BULK_SMS_COMPLIANCE_RESOLVED_OPTIONS],
      },
      { provide: ThaiBulkSmsCompliancePolicy, useClass: policy ?? DefaultThaiBulkSmsCompliancePolicy },
    ],
    exports: [ThaiBulkSmsCompliancePolicy, SuppressionList, THAI_BULK_SMS_COMPLIANCE_RESOLVED_OPTIONS],
  };
}

/**
 * The policy a ThaiBulkSmsModule registration asks: ThaiBulkSmsComplianceModule's when the app
 * has it, else the default one in `warn` mode without an opt-out list (the library default).
 */
export function registrationCompliancePolicy(
  policy: ThaiBulkSmsCompliancePolicy | undefined,
): ThaiBulkSmsCompliancePolicy {
  return (
    policy ?? new DefaultThaiBulkSmsCompliancePolicy({ ...resolveComplianceOptions({}), suppressionList: undefined })
  );
}
