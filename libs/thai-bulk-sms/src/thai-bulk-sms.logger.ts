import { ConsoleLogger, Logger } from '@nestjs/common';
import { DEFAULT_REGISTRATION_NAME } from './thai-bulk-sms.constants';

/** One logger context per registration, so two accounts' lines can be told apart. */
export function loggerFor(name: string): Logger {
  return new Logger(name === DEFAULT_REGISTRATION_NAME ? 'ThaiBulkSms' : `ThaiBulkSms:${name}`);
}

// Compared by identity only, never called unbound.
// eslint-disable-next-line @typescript-eslint/unbound-method
const consoleDebug = ConsoleLogger.prototype.debug;

/**
 * Whether `logger.debug(...)` would print anything right now, so a caller can skip building a
 * line nobody reads (the client's per-request line is built on every send). Asked per call: an
 * app may change its logger or levels at any time.
 *
 * Exact for what `Logger` hands lines to by default and what apps usually install: Nest's
 * `ConsoleLogger` or a subclass that keeps its `debug` method (it prints only when its own
 * `isLevelEnabled('debug')` says so). A logger without `debug` prints nothing (Logger calls
 * `debug?.()`). For any other logger, and while Nest buffers the bootstrap logs (they are replayed
 * later through whichever logger is in place then), the answer is yes: the line is built as before.
 */
export function isDebugEnabled(logger: Logger): boolean {
  if ((Logger as unknown as { isBufferAttached?: boolean }).isBufferAttached) return true;
  const target = logger.localInstance as Partial<ConsoleLogger> | undefined;
  if (!target || typeof target.debug !== 'function') return false;
  if (target.debug === consoleDebug && typeof target.isLevelEnabled === 'function')
    return target.isLevelEnabled('debug');
  return true;
}
