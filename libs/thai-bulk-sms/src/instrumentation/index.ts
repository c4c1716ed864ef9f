// nestjs-thaibulksms/instrumentation: the hook metrics and traces use, for feeding a system other
// than OpenTelemetry (nestjs-thaibulksms/telemetry provides the OpenTelemetry one). What the
// services call and when: docs/architecture.md, "Instrumentation".
export { ThaiBulkSmsInstrumentation } from './thai-bulk-sms.instrumentation';
export type {
  VendorOperation,
  VendorCall,
  VendorCallProbe,
  BulkSendSummary,
  QueueJobRun,
  RefusalSource,
} from './thai-bulk-sms.instrumentation';
