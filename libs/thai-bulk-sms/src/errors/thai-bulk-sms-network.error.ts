import { ThaiBulkSmsError } from './thai-bulk-sms.error';

export const NETWORK_ERROR_NAME = 'ERROR_UPSTREAM_UNREACHABLE';

/**
 * The connection failed. `requestMayHaveArrived` is false only when the request provably never
 * reached the API (refused, DNS), which is the one case where resending a send is safe.
 */
export class ThaiBulkSmsNetworkError extends ThaiBulkSmsError {
  readonly requestMayHaveArrived: boolean;
  /** The socket error code, e.g. `ECONNREFUSED`, `ECONNRESET`. */
  readonly networkCode?: string;

  constructor(options: { networkCode?: string; requestMayHaveArrived: boolean; cause?: unknown }) {
    super({
      errorName: NETWORK_ERROR_NAME,
      description: `Could not reach ThaiBulkSMS${options.networkCode ? ` (${options.networkCode})` : ''}.`,
      category: 'upstream',
      cause: options.cause,
    });
    this.networkCode = options.networkCode;
    this.requestMayHaveArrived = options.requestMayHaveArrived;
  }
}
