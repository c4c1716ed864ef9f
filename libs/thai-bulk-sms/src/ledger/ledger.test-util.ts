import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { ThaiBulkSmsAbortedError } from '../errors';
import { ThaiBulkSmsClock } from '../client/clock';
import { describeWithService } from '../testing/describe-with-service.test-util';

/** PostgreSQL for the ledger specs: DATABASE_URL, or the machine's own server (trust auth, database `test`). */
export function testDatabaseUrl(): string {
  return process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
}

/** A schema name no other run (or parallel spec file) uses. */
export function uniqueSchema(label: string): string {
  return `t_${label}_${process.pid}_${randomBytes(4).toString('hex')}`;
}

// Runs in a child so the answer is known while Jest collects the tests (describe is synchronous).
const PROBE = `
const { Client } = require('pg');
const client = new Client({ connectionString: process.argv[1], connectionTimeoutMillis: 1500 });
client.connect().then(() => client.query('select 1')).then(
  () => { process.stdout.write('up'); return client.end(); },
  (e) => { process.stdout.write('down ' + (e.code || e.message)); process.exit(0); });
`;

/** Whether PostgreSQL answers at `url`, and if not why. */
export function probePostgres(url = testDatabaseUrl()): { up: true } | { up: false; reason: string } {
  try {
    const out = execFileSync(process.execPath, ['-e', PROBE, url], {
      timeout: 5000,
      encoding: 'utf8',
      cwd: join(__dirname, '..', '..', '..', '..'),
    });
    return out === 'up' ? { up: true } : { up: false, reason: out.replace(/^down /, '') };
  } catch (error) {
    return { up: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * `describe` for specs that need PostgreSQL (describeWithService: run; without it skip with a
 * warning and a line in the end-of-run summary, or fail in CI).
 */
export function describeWithPostgres(name: string, body: () => void): void {
  const url = testDatabaseUrl();
  const where = new URL(url);
  describeWithService(
    'PostgreSQL',
    () => {
      const probe = probePostgres(url);
      return probe.up
        ? probe
        : {
            up: false,
            reason: `not reachable at ${where.hostname}:${where.port || 5432} (${probe.reason})`,
            help:
              'These tests run against a real PostgreSQL: start one (`docker run --rm -p 5432:5432 -e ' +
              'POSTGRES_HOST_AUTH_METHOD=trust postgres:16`) or set DATABASE_URL.',
          };
    },
    name,
    body,
  );
}

/** Drops a test schema and everything in it. */
export async function dropSchema(schema: string, url = testDatabaseUrl()): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
}

/** A temporary folder for an embedded store; `remove()` deletes it. */
export function tempDataDir(label: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `ledger-${label}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A clock that moves only when told: `sleep` resolves once `advance` has moved time past its
 * deadline, so a timer-driven loop (the ledger's purge) runs exactly when a test says.
 */
export class ManualClock extends ThaiBulkSmsClock {
  private readonly sleepers = new Set<{ until: number; resolve: () => void }>();

  constructor(private time: number) {
    super();
  }

  now(): number {
    return this.time;
  }

  /** Sleepers waiting now (a loop that went back to sleep counts again). */
  get waiting(): number {
    return this.sleepers.size;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(ThaiBulkSmsAbortedError.beforeSending());
    return new Promise((resolve, reject) => {
      const sleeper = {
        until: this.time + ms,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        this.sleepers.delete(sleeper);
        reject(ThaiBulkSmsAbortedError.beforeSending());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.sleepers.add(sleeper);
    });
  }

  advance(ms: number): void {
    this.time += ms;
    for (const sleeper of [...this.sleepers]) {
      if (sleeper.until <= this.time) {
        this.sleepers.delete(sleeper);
        sleeper.resolve();
      }
    }
  }

  set(time: number): void {
    this.advance(time - this.time);
  }
}

/** Resolves once `condition` holds, checking after each turn of the event loop (no timers); fails after `withinMs`. */
export async function settle(condition: () => boolean, withinMs = 15_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition never held within ${withinMs} ms`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}
