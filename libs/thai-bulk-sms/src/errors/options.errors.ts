/**
 * Configuration refused (a module's options at bootstrap, the sandbox's options or environment,
 * `enqueue`'s per-call options): names the module and the field, never echoes a secret. Every
 * configuration error of the library is one of these, a TypeError as Node's own invalid-argument
 * errors are; a failure while running is a ThaiBulkSmsError instead.
 */
export class ThaiBulkSmsOptionsError extends TypeError {
  /** The option refused, as written in the options (`retry.retries`, `connection.url`). */
  readonly field: string;

  /**
   * @param scope what was being configured, the start of the message
   * @param message the whole message, when it is not `<scope>: invalid option "<field>": <reason>`
   */
  constructor(field: string, reason: string, scope = 'ThaiBulkSmsModule', message?: string) {
    super(message ?? `${scope}: invalid option "${field}": ${reason}`);
    this.name = new.target.name;
    this.field = field;
  }
}

/** ThaiBulkSmsQueueModule's options. */
export class ThaiBulkSmsQueueOptionsError extends ThaiBulkSmsOptionsError {
  constructor(field: string, reason: string) {
    super(field, reason, 'ThaiBulkSmsQueueModule');
  }
}

/** ThaiBulkSmsComplianceModule's options. */
export class ThaiBulkSmsComplianceOptionsError extends ThaiBulkSmsOptionsError {
  constructor(field: string, reason: string) {
    super(field, reason, 'ThaiBulkSmsComplianceModule');
  }
}

/** ThaiBulkSmsLedgerModule's options. */
export class ThaiBulkSmsLedgerOptionsError extends ThaiBulkSmsOptionsError {
  constructor(field: string, reason: string) {
    super(field, reason, 'ThaiBulkSmsLedgerModule');
  }
}

/** ThaiBulkSmsTelemetryModule's options. */
export class ThaiBulkSmsTelemetryOptionsError extends ThaiBulkSmsOptionsError {
  constructor(field: string, reason: string) {
    super(field, reason, 'ThaiBulkSmsTelemetryModule');
  }
}

/** `ThaiBulkSmsSandbox.start`'s options. */
export class SandboxOptionsError extends ThaiBulkSmsOptionsError {
  constructor(field: string, reason: string) {
    super(field, reason, 'Sandbox', `Sandbox option ${field} ${reason}`);
  }
}

/** The sandbox's environment (`npm run sandbox`, the app's embedded sandbox): every problem at once. */
export class SandboxEnvError extends ThaiBulkSmsOptionsError {
  constructor(readonly problems: readonly string[]) {
    super(
      'environment',
      problems.join('; '),
      'Sandbox',
      `Invalid sandbox environment:\n  - ${problems.join('\n  - ')}`,
    );
  }
}

/**
 * Bootstrap found BullMQ's global rate limit of the queue in Redis set to another value than this
 * instance's `maxTps`/`limiterWindowMs`. Every worker of a queue runs under the value in Redis, so
 * an instance configured otherwise would hold a limit it does not enforce: it refuses to start.
 */
export class SmsQueueRateLimitMismatchError extends ThaiBulkSmsQueueOptionsError {
  constructor(
    readonly queueName: string,
    readonly stored: { readonly max: number; readonly duration: number },
    readonly configured: { readonly max: number; readonly duration: number },
  ) {
    super(
      'maxTps',
      `queue "${queueName}" has BullMQ's global rate limit ${stored.max} jobs per ${stored.duration} ms in Redis ` +
        `(written by another instance or by an operator), but this instance is configured for ${configured.max} per ${configured.duration} ms. ` +
        'Every instance of a queue must use the same maxTps and limiterWindowMs. To change the account rate, write the new value ' +
        'first (`await smsQueue.queue.setGlobalRateLimit(max, windowMs)`, which every running worker follows at once), then deploy ' +
        'instances configured with it.',
    );
  }
}

/** Keys callers reach for that mean something else in `enqueue`'s options, and what they meant. */
const ENQUEUE_HINTS: Readonly<Record<string, string>> = {
  delay: 'delayMs (milliseconds)',
  jobId: 'dedupeKey (the BullMQ job ids are <send id>/<chunk index>)',
  deduplication: 'dedupeKey',
};

/**
 * A key `SmsQueue.enqueue`'s options do not know: a mistake in the caller's code, refused before
 * anything is queued, because dropping it silently changes what is sent (`delay` instead of
 * `delayMs` would send at once).
 */
export class SmsQueueUnknownOptionError extends ThaiBulkSmsOptionsError {
  constructor(
    readonly option: string,
    readonly known: readonly string[],
  ) {
    const hint = Object.hasOwn(ENQUEUE_HINTS, option) ? `; did you mean ${ENQUEUE_HINTS[option]}?` : '';
    super(
      option,
      'unknown option',
      'SmsQueue.enqueue',
      `SmsQueue.enqueue: unknown option "${option}" (known: ${known.join(', ')})${hint}`,
    );
  }
}
