export { ThaiBulkSmsTestingModule, THAI_BULK_SMS_SANDBOX } from './thai-bulk-sms-testing.module';
export type { ThaiBulkSmsTestingModuleOptions } from './thai-bulk-sms-testing.module';
export { ThaiBulkSmsSandbox } from '../sandbox';
