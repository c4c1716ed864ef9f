import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Kysely, PostgresDialect, PostgresPool } from 'kysely';
import type { PoolConfig } from 'pg';
import { LedgerConnection, LedgerPgPool } from './ledger.options';
import { LedgerTables } from './ledger.tables';
import { inThreadRunner, PgliteRunner, PgliteSessionPool } from './pglite.pool';
import { startPgliteWorker } from './pglite.worker';

/** An open ledger database: the typed query builder and what it runs on. */
export interface LedgerDatabase {
  readonly db: Kysely<LedgerTables>;
  /** `postgres` for a server, `pglite` for the embedded store. */
  readonly backend: 'postgres' | 'pglite';
  /** Closes what the ledger opened; a pool or PGlite the app gave is left open. */
  close(): Promise<void>;
}

/**
 * Opens the connection the options name. `pg` and `@electric-sql/pglite` are optional peers,
 * loaded with import() only when used, so an app on one backend needs only that package.
 */
export async function openLedgerDatabase(
  connection: LedgerConnection,
  settings: { readonly connectTimeoutMs: number; readonly onPoolError: (error: Error) => void },
): Promise<LedgerDatabase> {
  if ('url' in connection) {
    const pool = new (await loadPg()).Pool({
      connectionString: connection.url,
      max: connection.poolSize,
      connectionTimeoutMillis: settings.connectTimeoutMs,
      keepAlive: true,
      application_name: 'thaibulksms-ledger',
    } satisfies PoolConfig);
    // An idle client whose server went away emits here; unhandled, it would end the process.
    pool.on('error', settings.onPoolError);
    return wrap(withClientErrorsHandled(pool, settings.onPoolError), 'postgres', true);
  }
  if ('pool' in connection)
    return wrap(withClientErrorsHandled(connection.pool, settings.onPoolError), 'postgres', false);
  if ('pglite' in connection) return wrap(new PgliteSessionPool(inThreadRunner(connection.pglite)), 'pglite', true);
  return wrap(new PgliteSessionPool(await openPglite(connection.dataDir)), 'pglite', true);
}

/**
 * A client checked out of a pg Pool emits 'error' when its connection drops between two
 * statements, and an 'error' nobody listens to ends the process: every client the ledger takes
 * gets a listener (its statement fails on its own, and the pool drops the broken client).
 */
function withClientErrorsHandled(pool: LedgerPgPool, onError: (error: Error) => void): PostgresPool {
  const handled = new WeakSet<object>();
  return {
    connect: async () => {
      const client = await pool.connect();
      if (!handled.has(client)) {
        handled.add(client);
        // A pg client is an EventEmitter; the pool type is Kysely's narrower view of it.
        (client as unknown as { on(event: 'error', listener: (error: Error) => void): void }).on('error', onError);
      }
      return client;
    },
    end: () => pool.end(),
  };
}

function wrap(pool: PostgresPool, backend: LedgerDatabase['backend'], owned: boolean): LedgerDatabase {
  // Kysely ends its pool on destroy(); a borrowed one is shielded from that.
  const dialectPool: PostgresPool = owned ? pool : { connect: () => pool.connect(), end: () => Promise.resolve() };
  const db = new Kysely<LedgerTables>({ dialect: new PostgresDialect({ pool: dialectPool }) });
  return { db, backend, close: () => db.destroy() };
}

async function openPglite(dataDir: string): Promise<PgliteRunner> {
  if (dataDir !== 'memory') mkdirSync(resolve(dataDir), { recursive: true });
  try {
    return await startPgliteWorker(dataDir);
  } catch (error) {
    if ((error as { code?: string }).code === 'MODULE_NOT_FOUND')
      throw missingPeer('@electric-sql/pglite', '{ dataDir }', error);
    throw error;
  }
}

type PgModule = typeof import('pg');

async function loadPg(): Promise<PgModule> {
  try {
    const loaded = (await import('pg')) as PgModule & { default?: PgModule };
    // CommonJS through ESM import(): the classes sit on the default export.
    return loaded.Pool ? loaded : loaded.default!;
  } catch (error) {
    throw missingPeer('pg', '{ url } or { pool }', error);
  }
}

function missingPeer(name: string, connection: string, cause: unknown): Error {
  return new Error(`ThaiBulkSmsLedgerModule: the connection ${connection} needs the package ${name} (npm i ${name})`, {
    cause,
  });
}
