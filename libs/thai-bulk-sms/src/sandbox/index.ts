// nestjs-thaibulksms/sandbox: a faithful fake of the ThaiBulkSMS API on a local port, for tests
// and for running an app without credentials (src/sandbox/README.md).
export { ThaiBulkSmsSandbox } from './thai-bulk-sms-sandbox';
export { SANDBOX_DEFAULT_CREDENTIALS, SANDBOX_DEFAULT_PORT, SANDBOX_DEFAULT_SENDERS } from './sandbox.constants';
export { readSandboxEnv } from './sandbox.env';
export { SandboxEnvError, SandboxOptionsError } from '../errors/options.errors';
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
