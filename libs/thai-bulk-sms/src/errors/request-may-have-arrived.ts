import { ThaiBulkSmsAbortedError } from './thai-bulk-sms-aborted.error';
import { ThaiBulkSmsNetworkError } from './thai-bulk-sms-network.error';
import { ThaiBulkSmsError } from './thai-bulk-sms.error';

/**
 * Whether a failed call may have reached ThaiBulkSMS, and so may have taken effect (an SMS or an
 * OTP sent, a token used). False only when it provably did not: the connection never opened
 * (refused, DNS), the caller's signal fired before it left, or the library refused it before
 * sending (`source: 'local'`). Anything else, an error that is not the library's included, may
 * have: count it, never resend it blindly.
 */
export function requestMayHaveArrived(error: unknown): boolean {
  if (error instanceof ThaiBulkSmsNetworkError || error instanceof ThaiBulkSmsAbortedError)
    return error.requestMayHaveArrived;
  return !(error instanceof ThaiBulkSmsError && error.source === 'local');
}
