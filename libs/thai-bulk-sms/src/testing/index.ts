// nestjs-thaibulksms/testing: the real module wired to an in-process sandbox, for an app's own tests.
export { ThaiBulkSmsTestingModule, THAI_BULK_SMS_SANDBOX } from './thai-bulk-sms-testing.module';
export type { ThaiBulkSmsTestingModuleOptions } from './thai-bulk-sms-testing.module';
export { ThaiBulkSmsSandbox } from '../sandbox/thai-bulk-sms-sandbox';
