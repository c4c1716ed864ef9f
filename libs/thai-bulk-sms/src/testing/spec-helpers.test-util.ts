import { inspect } from 'node:util';
import { LoggerService } from '@nestjs/common';
import { ThaiBulkSmsError } from '../errors';
import { ThaiBulkSmsSandbox } from '../sandbox';

/** Requests the sandbox received, all paths together. */
export function requestCount(sandbox: ThaiBulkSmsSandbox, path?: string): number {
  const requests = sandbox.stats().requests;
  return path ? (requests[path] ?? 0) : Object.values(requests).reduce((sum, n) => sum + n, 0);
}

/** The rejection of `promise`, or a failure when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<ThaiBulkSmsError> {
  try {
    await promise;
  } catch (error) {
    return error as ThaiBulkSmsError;
  }
  throw new Error('expected a rejection');
}

/** Everything an error could show anywhere: message, JSON, stack, inspected form, cause chain. */
export function everythingAbout(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const e = current as Error;
    parts.push(String(e.message), String(e.stack), JSON.stringify(e), inspect(e, { depth: 10 }));
    current = (e as { cause?: unknown }).cause;
  }
  return parts.join('\n');
}

/** A logger that keeps every line, for assertions on what gets logged. */
export class CapturingLogger implements LoggerService {
  readonly lines: string[] = [];
  log(message: unknown, ...rest: unknown[]) {
    this.lines.push(['log', message, ...rest].map(String).join(' '));
  }
  error(message: unknown, ...rest: unknown[]) {
    this.lines.push(['error', message, ...rest].map(String).join(' '));
  }
  warn(message: unknown, ...rest: unknown[]) {
    this.lines.push(['warn', message, ...rest].map(String).join(' '));
  }
  debug(message: unknown, ...rest: unknown[]) {
    this.lines.push(['debug', message, ...rest].map(String).join(' '));
  }
  verbose(message: unknown, ...rest: unknown[]) {
    this.lines.push(['verbose', message, ...rest].map(String).join(' '));
  }
}
