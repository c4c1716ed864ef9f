import { INestApplication, LoggerService } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { inspect } from 'node:util';
import { AppModule } from '../../../src/app.module';
import { loadConfiguration } from '../../../src/config/app-config.module';
import type { Env } from '../../../src/config/load-app-config';
import { configureApp } from '../../../src/configure-app';
import {
  distinctive,
  distinctiveCredentials,
  instrumentApp,
  ProcessFaults,
  RecordingLogger,
  requireE2eHooks,
} from '../../support/e2e-capture';
import { TestClock } from '../../support/test-app';

export const OUT_DIR = resolve(__dirname, '../../out/reliability');

/** Writes this spec's figures for scripts/reliability-report.js. */
export function writeFragment(name: string, data: Record<string, unknown>): void {
  mkdirSync(OUT_DIR, { recursive: true });
  writeFileSync(
    join(OUT_DIR, `${name}.json`),
    JSON.stringify({ name, at: new Date().toISOString(), ...data }, null, 2),
  );
}

/** A compact fixed-width table on the console. */
export function printTable(title: string, rows: readonly (readonly unknown[])[], header?: readonly string[]): void {
  const all = (header ? [header, ...rows] : rows).map((r) => r.map((c) => String(c)));
  const widths = all.reduce<number[]>((w, r) => r.map((c, i) => Math.max(w[i] ?? 0, c.length)), []);
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join('  ');
  const out = [
    title,
    ...(header ? [line(all[0]), widths.map((w) => '-'.repeat(w)).join('  ')] : []),
    ...all.slice(header ? 1 : 0).map(line),
  ];

  console.log(out.join('\n'));
}

/**
 * Unhandled rejections and uncaught exceptions of this spec file, counted on the real process by
 * the e2e test environment (test/support/e2e-environment.js). A listener installed from inside a
 * spec would listen on Jest's copy of `process` and never hear anything.
 */
export function processFaults(): ProcessFaults {
  return requireE2eHooks().faults;
}

/**
 * Proves the counter counts: makes one deliberate unhandled rejection and returns how many the
 * counter saw (must be exactly 1); then handles it (so jest-circus takes it back through
 * 'rejectionHandled') and takes it back from our counter, so it fails nothing.
 */
export async function unhandledRejectionCanary(): Promise<number> {
  const faults = processFaults();
  const before = faults.unhandledRejections.length;
  const reason = new Error('reliability canary: one deliberate unhandled rejection');
  const promise = Promise.reject(reason);
  // Node reports it once the microtask queue has drained: one macrotask later is enough.
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setImmediate(r));
  const seen = faults.unhandledRejections.length - before;
  promise.catch(() => undefined);
  faults.forget(reason);
  await new Promise((r) => setImmediate(r));
  return seen;
}

/** The counts for a figures file. */
export function processFaultFigures(canarySeen: number | undefined): Record<string, unknown> {
  const faults = processFaults();
  return {
    unhandledRejections: faults.unhandledRejections.length,
    uncaughtExceptions: faults.uncaughtExceptions.length,
    unhandledCanarySeen: canarySeen ?? null,
    processFaults: [...faults.unhandledRejections, ...faults.uncaughtExceptions].map((f) => f.text.split('\n')[0]),
  };
}

/** A port nothing listens on: bound, then closed. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((res) => server.close(() => res()));
  return port;
}

/** Every line any logger call produced, objects as JSON and inspected, at every level. */
export class CaptureLogger implements LoggerService {
  readonly lines: string[] = [];
  private push(level: string, message: unknown, rest: unknown[]) {
    const parts = [message, ...rest].map((p) =>
      typeof p === 'string' ? p : `${safeJson(p)} ${inspect(p, { depth: 8 })}`,
    );
    this.lines.push(`${level} ${parts.join(' ')}`);
  }
  log(message: unknown, ...rest: unknown[]) {
    this.push('log', message, rest);
  }
  error(message: unknown, ...rest: unknown[]) {
    this.push('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]) {
    this.push('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]) {
    this.push('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]) {
    this.push('verbose', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]) {
    this.push('fatal', message, rest);
  }
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * The sample app exactly as main.ts builds it, without the sandbox requirement of createTestApp
 * (live mode against a sandbox or a closed port). Instrumented like every e2e app: its secrets
 * registered, every log line (also passed on to `logger`) and every answer recorded for the scan.
 */
export async function createPlainApp(
  env: Env,
  logger?: LoggerService,
): Promise<{ app: INestApplication; url: string }> {
  // As test-app.ts: no embedded ledger (a PGlite start per app, in the working folder) unless asked.
  const configuration = await loadConfiguration({ LEDGER_ENABLED: 'false', ...env });
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.forRoot({ configuration, clock: new TestClock() })],
  }).compile();
  const app = moduleRef.createNestApplication({ bodyParser: false, logger: new RecordingLogger(logger) });
  instrumentApp(app, configuration.values);
  configureApp(app);
  await app.listen(0, '127.0.0.1');
  return { app, url: (await app.getUrl()).replace('[::1]', '127.0.0.1') };
}

/** Credentials for a live-mode app that no other text contains (the e2e scan searches for them). */
export function liveCredentials(): Env {
  return {
    ...distinctiveCredentials('live'),
    THAIBULKSMS_SANDBOX: 'false',
    APP_API_KEYS: distinctive('liveAppKey'),
    COMPLIANCE_ERASURE_KEY: distinctive('liveErasureKey-0123456789abcdef'),
  };
}

export interface RawResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly text: string;
  json(): any;
}

/** Plain HTTP over a keep-alive agent: fast enough for tens of thousands of requests. */
export class RawClient {
  readonly agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  constructor(private readonly base: string) {}

  request(
    method: string,
    path: string,
    body?: string | Buffer,
    headers: Record<string, string | string[]> = {},
  ): Promise<RawResponse> {
    const url = new URL(path, this.base);
    return new Promise((res, rej) => {
      const req = http.request(
        url,
        {
          method,
          agent: this.agent,
          headers: { ...(body !== undefined && { 'content-length': String(Buffer.byteLength(body)) }), ...headers },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (c: Buffer) => chunks.push(c));
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            res({
              status: response.statusCode ?? 0,
              headers: response.headers,
              text,
              json: () => JSON.parse(text),
            });
          });
          response.on('error', rej);
        },
      );
      req.on('error', rej);
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Runs `tasks` with at most `concurrency` at once. */
export async function pool<T>(
  items: readonly T[],
  concurrency: number,
  run: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const i = next++;
        await run(items[i], i);
      }
    }),
  );
}
