export { ThaiBulkSmsSandbox } from './thai-bulk-sms-sandbox';
export {
  SANDBOX_DEFAULT_CREDENTIALS,
  SANDBOX_DEFAULT_PORT,
  SANDBOX_DEFAULT_SENDERS,
  SANDBOX_DEFAULT_CREDIT,
  SANDBOX_TOO_MANY_REQUESTS,
  OTP_MESSAGES,
} from './sandbox.constants';
export { DELIVERY_FAILED_ERROR } from './delivery.reporter';
export { readSandboxEnv, SandboxEnvError } from './sandbox.env';
export type {
  SandboxOptions,
  SandboxClock,
  SandboxCredentials,
  SandboxCreditBalances,
  SandboxMessage,
  SandboxOtp,
  SandboxFault,
  SandboxFaultKind,
  SandboxApiPath,
  FaultPlan,
  SandboxDeliveryReport,
  SandboxStats,
  SandboxRequest,
} from './sandbox.types';
