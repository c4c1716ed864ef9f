import { ThaiBulkSmsTimeoutError } from './thai-bulk-sms-timeout.error';
import { ThaiBulkSmsError } from './thai-bulk-sms.error';

/**
 * Whether a request that failed with `error` may still have been carried out by ThaiBulkSMS: a
 * send that may have gone out must be reported as "may have been sent", never as failed, and is
 * never repeated blindly. False where the request provably never arrived or ThaiBulkSMS answered
 * that it refused it. (`requestMayHaveArrived` asks the wider question: did it reach the vendor
 * at all, refused or not.)
 */
export function mayHaveTakenEffect(error: ThaiBulkSmsError): boolean {
  // Network, aborted, unconfirmed-send and response-too-large errors say so themselves.
  const says = (error as { requestMayHaveArrived?: unknown }).requestMayHaveArrived;
  if (typeof says === 'boolean') return says;
  if (error instanceof ThaiBulkSmsTimeoutError) return true;
  // The vendor answered 2xx (it handled the request) with a body we could not read.
  return (
    error.category === 'upstream' &&
    error.upstreamStatus !== undefined &&
    error.upstreamStatus >= 200 &&
    error.upstreamStatus < 300
  );
}
