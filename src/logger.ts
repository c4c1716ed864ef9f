import { ConsoleLogger, LogLevel } from '@nestjs/common';
import { escapeLogText } from '@app/thai-bulk-sms/helpers';
import { isSpanContextValid, trace } from '@opentelemetry/api';
import type { LogFormat } from './config/namespaces/app.config';

/**
 * Nest's ConsoleLogger: one JSON object per line with LOG_FORMAT=json (the production default),
 * readable one-liners otherwise. The app logs objects (`{ msg, ...fields }`) whose phone numbers
 * are already masked and which never carry a secret.
 */
export class AppLogger extends ConsoleLogger {
  /**
   * Text lines: an event becomes `msg key=value …`, and every string is escaped (`\n`, `\u001b`…)
   * so no value, wherever it came from, can end the line and forge another one.
   */
  protected override stringifyMessage(message: unknown, logLevel: LogLevel): any {
    if (!this.options.json && isEvent(message)) {
      const { msg, ...fields } = message;
      const rest = Object.entries(fields)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `${k}=${escapeLogText(typeof v === 'string' ? v : String(JSON.stringify(v)))}`)
        .join(' ');
      return super.stringifyMessage(rest ? `${escapeLogText(msg)} ${rest}` : escapeLogText(msg), logLevel);
    }
    if (!this.options.json && typeof message === 'string')
      return super.stringifyMessage(escapeLogText(message), logLevel);
    return super.stringifyMessage(message, logLevel);
  }

  /**
   * JSON lines carry `trace_id` and `span_id` of the span active where the line was logged (a
   * request's server span, a vendor call's client span), so a trace and its logs find each other.
   * Without an SDK (OTEL_ENABLED unset) no span is active and the fields are left out.
   */
  protected override getJsonLogObject(
    message: unknown,
    options: Parameters<ConsoleLogger['getJsonLogObject']>[1],
  ): ReturnType<ConsoleLogger['getJsonLogObject']> & { trace_id?: string; span_id?: string } {
    const logObject = super.getJsonLogObject(message, options);
    const spanContext = trace.getActiveSpan()?.spanContext();
    if (!spanContext || !isSpanContextValid(spanContext)) return logObject;
    return { ...logObject, trace_id: spanContext.traceId, span_id: spanContext.spanId };
  }

  /**
   * JSON lines: the app's own events (`{ msg, ...fields }` of strings, numbers, booleans and short
   * arrays of those, e.g. one per send) go straight to JSON.stringify, which gives the same text;
   * anything else (errors, Maps, nested or large objects) takes Nest's guarded path (truncation,
   * circular references, inspect for Map/Set/Error). Nest's path costs ~10 µs a line.
   */
  protected override stringifyJsonLogObject(logObject: Record<string, unknown>): string {
    return isSmallFlatRecord(logObject, 2) ? JSON.stringify(logObject) : super.stringifyJsonLogObject(logObject);
  }
}

const MAX_FAST_STRING = 4096;
const MAX_FAST_ARRAY = 32;

const isPlainScalar = (v: unknown): boolean =>
  v === undefined ||
  v === null ||
  typeof v === 'boolean' ||
  typeof v === 'number' ||
  (typeof v === 'string' && v.length <= MAX_FAST_STRING);

/** A plain object (nesting at most `depth` levels) of scalars and short arrays of scalars. */
function isSmallFlatRecord(value: unknown, depth: number): boolean {
  if (typeof value !== 'object' || value === null || Object.getPrototypeOf(value) !== Object.prototype) return false;
  for (const key in value) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) return false;
    const v = (value as Record<string, unknown>)[key];
    if (isPlainScalar(v)) continue;
    if (Array.isArray(v)) {
      if (v.length > MAX_FAST_ARRAY || !v.every(isPlainScalar)) return false;
      continue;
    }
    if (depth > 1 && isSmallFlatRecord(v, depth - 1)) continue;
    return false;
  }
  return true;
}

const isEvent = (m: unknown): m is { msg: string } & Record<string, unknown> =>
  typeof m === 'object' && m !== null && !Array.isArray(m) && typeof (m as { msg?: unknown }).msg === 'string';

export function createLogger(format: LogFormat, levels?: LogLevel[]): AppLogger {
  return new AppLogger({
    json: format === 'json',
    colors: format === 'text' && process.stdout.isTTY === true,
    logLevels: levels ?? ['log', 'error', 'warn', 'fatal'],
    prefix: 'sample-app',
  });
}
