import { Module } from '@nestjs/common';
import { ThaiBulkSmsComplianceConfigurableModule } from './thai-bulk-sms-compliance.module-definition';

/**
 * `ThaiBulkSmsComplianceModule.forRoot({ mode, allowedLinkHosts, optOutText, … })` or
 * `forRootAsync({ imports, inject, useFactory | useClass | useExisting, policy })`. Global: import
 * it once; every ThaiBulkSmsModule registration then checks its sends with it. Providers are built
 * in thai-bulk-sms-compliance.providers.ts.
 */
@Module({})
export class ThaiBulkSmsComplianceModule extends ThaiBulkSmsComplianceConfigurableModule {}
