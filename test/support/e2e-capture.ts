import { INestApplication, LoggerService } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { inspect } from 'node:util';
import type { AppConfig } from '../../src/config/app-config';
import type { Env } from '../../src/config/load-app-config';
import { DEV_API_KEY } from '../../src/config/namespaces/app.config';
import { DEV_ERASURE_KEY } from '../../src/config/namespaces/compliance.config';

/**
 * What the e2e apps say, recorded for the suite-wide secret scan (issue 6.3). Every app that
 * createTestApp (and the reliability specs' createPlainApp) builds logs through a RecordingLogger
 * and has its HTTP answers recorded; the e2e test environment (test/support/e2e-environment.js)
 * adds raw stdout/stderr and writes one file per spec; test/support/e2e-global-teardown.ts scans
 * all of them with test/support/secret-scan.ts once every spec has run.
 */

export type CaptureEntry =
  | { readonly k: 'log'; readonly level: string; readonly text: string; readonly canary?: boolean }
  | { readonly k: 'console'; readonly level: string; readonly source: string; readonly text: string }
  | { readonly k: 'stdout' | 'stderr'; readonly text: string }
  | {
      readonly k: 'response';
      readonly method: string;
      readonly url: string;
      readonly status: number;
      readonly headers: Record<string, unknown>;
      readonly body: string;
    }
  | { readonly k: 'secret'; readonly name: string; readonly value: string; readonly canary?: boolean }
  | {
      readonly k: 'meta';
      readonly spec: string;
      readonly unhandledRejections: readonly string[];
      readonly uncaughtExceptions: readonly string[];
    };

export interface ProcessFault {
  readonly reason: unknown;
  readonly text: string;
  readonly at: string;
}

/** Counted on the real process by the e2e environment (a spec's own `process` never sees them). */
export interface ProcessFaults {
  readonly unhandledRejections: ProcessFault[];
  readonly uncaughtExceptions: ProcessFault[];
  readonly forgotten: number;
  /** Takes back a deliberate rejection (a canary's) so that it does not count. */
  forget(reason: unknown): boolean;
}

export interface E2eHooks {
  readonly faults: ProcessFaults;
  readonly testPath: string;
  record(entry: CaptureEntry): void;
  entries(): readonly CaptureEntry[];
}

/** The hooks the e2e environment installs; undefined when a spec runs in another environment. */
export function e2eHooks(): E2eHooks | undefined {
  return (globalThis as { __E2E__?: E2eHooks }).__E2E__;
}

/** The hooks, or an error saying the e2e environment is missing (a proof must not pass on nothing). */
export function requireE2eHooks(): E2eHooks {
  const hooks = e2eHooks();
  if (!hooks)
    throw new Error(
      'globalThis.__E2E__ is missing: run this spec in the e2e project (testEnvironment test/support/e2e-environment.js)',
    );
  return hooks;
}

// Per spec file (Jest gives every file its own module registry): the values registered so far, so
// that request URLs, which may carry the webhook token, are stored with the token replaced.
const registered = new Map<string, string>();

/** Secrets shorter than this are too common as text to search for without false alarms. */
const MIN_SECRET_LENGTH = 8;

/** Adds a value the scan must never find in a log line or an answer. */
export function registerSecret(name: string, value: string | undefined, options: { canary?: boolean } = {}): void {
  if (!value || value.length < MIN_SECRET_LENGTH || registered.has(value)) return;
  registered.set(value, name);
  e2eHooks()?.record({ k: 'secret', name, value, ...(options.canary && { canary: true }) });
}

/** Every credential of an app's configuration, and the Basic header made of the SMS pair. */
export function registerAppSecrets(config: AppConfig): void {
  const t = config.thaibulksms;
  registerSecret('THAIBULKSMS_API_KEY', t.apiKey);
  registerSecret('THAIBULKSMS_API_SECRET', t.apiSecret);
  registerSecret('THAIBULKSMS_OTP_KEY', t.otpKey);
  registerSecret('THAIBULKSMS_OTP_SECRET', t.otpSecret);
  if (t.apiKey && t.apiSecret)
    registerSecret('Basic auth header', Buffer.from(`${t.apiKey}:${t.apiSecret}`).toString('base64'));
  registerSecret('DELIVERY_WEBHOOK_TOKEN', config.delivery.webhookToken);
  // The development key is public by design (printed at start, in the README); real keys are not.
  config.app.apiKeys.filter((k) => k !== DEV_API_KEY).forEach((k, i) => registerSecret(`APP_API_KEYS #${i + 1}`, k));
  // The sandbox-mode erasure key is public by design; a real one is a secret.
  if (config.compliance.erasureKey !== DEV_ERASURE_KEY)
    registerSecret('COMPLIANCE_ERASURE_KEY', config.compliance.erasureKey);
  const password = config.redis.url ? new URL(config.redis.url).password : '';
  if (password) registerSecret('REDIS_URL password', decodeURIComponent(password));
}

/**
 * Credentials no other text contains, for every e2e app (issue 6.3): a leak of any of them is
 * unambiguous. THAIBULKSMS_SANDBOX=true keeps sandbox mode on although a key is set; the embedded
 * sandbox accepts exactly these.
 */
export function distinctiveCredentials(label = 'e2e'): Env {
  return {
    THAIBULKSMS_SANDBOX: 'true',
    THAIBULKSMS_API_KEY: distinctive(`${label}ApiKey`),
    THAIBULKSMS_API_SECRET: distinctive(`${label}ApiSecret`),
    THAIBULKSMS_OTP_KEY: distinctive(`${label}OtpKey`),
    THAIBULKSMS_OTP_SECRET: distinctive(`${label}OtpSecret`),
  };
}

/** `name` with a random tag: a value no other text contains. */
export function distinctive(name: string): string {
  return `${name}-${randomBytes(12).toString('base64url')}`;
}

function render(part: unknown): string {
  if (typeof part === 'string') return part;
  // Both forms: JSON is what a JSON log line prints; inspect also shows what JSON leaves out
  // (an Error's stack and `cause`, Maps, getters, class instances such as an axios config).
  let json: string;
  try {
    json = JSON.stringify(part) ?? String(part);
  } catch {
    json = String(part);
  }
  return `${json} ${inspect(part, { depth: 8, showHidden: false, breakLength: Infinity })}`;
}

/**
 * A LoggerService that records every call, at every level (debug and verbose included, though
 * production logs less), and passes it on to `next` when given.
 */
export class RecordingLogger implements LoggerService {
  constructor(private readonly next?: LoggerService) {}

  private keep(level: string, message: unknown, rest: unknown[]): void {
    e2eHooks()?.record({ k: 'log', level, text: [message, ...rest].map(render).join(' ') });
  }
  log(message: unknown, ...rest: unknown[]) {
    this.keep('log', message, rest);
    this.next?.log(message, ...rest);
  }
  error(message: unknown, ...rest: unknown[]) {
    this.keep('error', message, rest);
    this.next?.error(message, ...rest);
  }
  warn(message: unknown, ...rest: unknown[]) {
    this.keep('warn', message, rest);
    this.next?.warn(message, ...rest);
  }
  debug(message: unknown, ...rest: unknown[]) {
    this.keep('debug', message, rest);
    this.next?.debug?.(message, ...rest);
  }
  verbose(message: unknown, ...rest: unknown[]) {
    this.keep('verbose', message, rest);
    this.next?.verbose?.(message, ...rest);
  }
  fatal(message: unknown, ...rest: unknown[]) {
    this.keep('fatal', message, rest);
    this.next?.fatal?.(message, ...rest);
  }
}

function redact(text: string): string {
  let out = text;
  for (const [value, name] of registered) if (out.includes(value)) out = out.split(value).join(`<${name}>`);
  return out;
}

/**
 * Records every HTTP answer of `app` — status, headers and body as written to the socket — from
 * an Express middleware that runs first, so answers of body parsers, guards, filters and Swagger
 * are all seen, whatever client the test uses (supertest, fetch, autocannon, a raw socket).
 * Call before configureApp/init.
 */
export function recordResponses(app: INestApplication): void {
  app.use((req: IncomingMessage & { originalUrl?: string }, res: ServerResponse, next: () => void) => {
    const chunks: Buffer[] = [];
    const keep = (chunk: unknown, encoding: unknown) => {
      if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
      if (typeof chunk === 'string')
        chunks.push(Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8'));
      else if (chunk instanceof Uint8Array) chunks.push(Buffer.from(chunk));
    };
    const write = res.write;
    const end = res.end;
    res.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
      keep(chunk, rest[0]);
      return (write as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
    } as ServerResponse['write'];
    res.end = function (this: ServerResponse, chunk?: unknown, ...rest: unknown[]) {
      keep(chunk, rest[0]);
      return (end as (...a: unknown[]) => ServerResponse).call(this, chunk, ...rest);
    } as ServerResponse['end'];
    let recorded = false;
    const done = () => {
      if (recorded) return;
      recorded = true;
      e2eHooks()?.record({
        k: 'response',
        method: req.method ?? '',
        // The request line is the caller's own text; stored redacted so the file holds no secret.
        url: redact(req.originalUrl ?? req.url ?? ''),
        status: res.statusCode,
        headers: res.getHeaders(),
        body: Buffer.concat(chunks).toString('utf8'),
      });
    };
    res.once('finish', done);
    res.once('close', done);
    next();
  });
}

/** Everything above for one app: its secrets registered, its logger recording, its answers recorded. */
export function instrumentApp(app: INestApplication, config: AppConfig): void {
  registerAppSecrets(config);
  recordResponses(app);
}
