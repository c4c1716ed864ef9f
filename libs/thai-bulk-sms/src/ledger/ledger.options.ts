import type { PostgresPool } from 'kysely';
import { ThaiBulkSmsClock } from '../client/clock';

/**
 * The part of a `pg` Pool the ledger uses; any `pg.Pool` fits. Typed by shape, so the package's
 * types need neither `@types/pg` nor PGlite's in an app that uses the other (or neither).
 */
export type LedgerPgPool = PostgresPool;

/** The part of a PGlite instance the ledger uses; any `PGlite` fits. */
export interface LedgerPglite {
  query(sql: string, parameters?: unknown[]): Promise<{ rows: unknown[]; affectedRows?: number }>;
}

/** A PostgreSQL server: the ledger opens (and closes) its own `pg` pool. */
export interface LedgerUrlConnection {
  /** `postgres://user:password@host:5432/database` (e.g. `DATABASE_URL`). */
  readonly url: string;
  /** Connections of the pool the ledger opens. @default 10 */
  readonly poolSize?: number;
}

/** A `pg` Pool the app already has; the ledger borrows it and never ends it. */
export interface LedgerPoolConnection {
  readonly pool: LedgerPgPool;
}

/** Embedded PostgreSQL (PGlite, PostgreSQL compiled to WebAssembly) in this process: no server. */
export interface LedgerEmbeddedConnection {
  /** A folder for the data (created if missing), or `'memory'` for a ledger that ends with the process. */
  readonly dataDir: string;
}

/** A PGlite instance the app already has; the ledger borrows it and never closes it. */
export interface LedgerPgliteConnection {
  readonly pglite: LedgerPglite;
}

export type LedgerConnection =
  LedgerUrlConnection | LedgerPoolConnection | LedgerEmbeddedConnection | LedgerPgliteConnection;

/** How the message text is kept. */
export type LedgerMessageText = 'hash' | 'full';

export interface ThaiBulkSmsLedgerModuleOptions {
  /**
   * Where the ledger lives: `{ url }` (a PostgreSQL server), `{ pool }` (your `pg` Pool),
   * `{ dataDir }` (embedded PGlite in a folder, or `'memory'`) or `{ pglite }` (your PGlite).
   * @default { dataDir: '.data/ledger' }
   */
  readonly connection?: LedgerConnection;
  /**
   * PostgreSQL schema holding the ledger's tables (created by the migrations). Lowercase letters,
   * digits and `_`, starting with a letter. @default 'sms_ledger'
   */
  readonly schema?: string;
  /**
   * `'hash'` keeps the SHA-256 of the text (with its length, encoding and parts); `'full'` keeps
   * the text too. Personal data law asks to keep no more than needed: keep `'hash'` unless you
   * must show what was sent. @default 'hash'
   */
  readonly messageText?: LedgerMessageText;
  /**
   * Days a record is kept: whole days (Asia/Bangkok) older than this are dropped by the purge.
   * State it in your privacy notice. 1–3650. @default 90
   */
  readonly retentionDays?: number;
  /**
   * How often the purge runs on its own, in ms; `0` runs it only when you call `purge()`.
   * @default 3600000 (hourly)
   */
  readonly purgeIntervalMs?: number;
  /**
   * Apply the ledger's versioned migrations at start (in one transaction, under an advisory lock,
   * so instances starting together are safe). `false` for teams that migrate themselves: run
   * `ledgerMigrationSql()` or `migrateLedger()` in your own deploy step. @default true
   */
  readonly migrations?: boolean;
  /**
   * Rows held in memory while the database is down or slow; written, in order, once it is back.
   * Past it, rows are dropped, logged with their message ids and counted. @default 100000
   */
  readonly bufferSize?: number;
  /**
   * A write that takes longer than this is treated as failed (its rows go to the buffer; the write
   * is idempotent, so one that lands late is not written twice). Also the server-side
   * statement_timeout of a pool the ledger opens. @default 2000
   */
  readonly writeTimeoutMs?: number;
  /** While the database is down, how often the buffer tries to write. @default 1000 */
  readonly retryIntervalMs?: number;
  /** Day partitions created ahead of today, so no write waits for one. @default 3 */
  readonly partitionDaysAhead?: number;
  /** Time for created-at stamps of reports, the purge cut-off and its timer. @default SystemClock */
  readonly clock?: ThaiBulkSmsClock;
}

export interface ResolvedLedgerOptions {
  readonly connection: LedgerConnection;
  readonly schema: string;
  readonly messageText: LedgerMessageText;
  readonly retentionDays: number;
  readonly purgeIntervalMs: number;
  readonly migrations: boolean;
  readonly bufferSize: number;
  readonly writeTimeoutMs: number;
  readonly retryIntervalMs: number;
  readonly partitionDaysAhead: number;
  readonly clock?: ThaiBulkSmsClock;
}

export const LEDGER_OPTION_DEFAULTS = {
  connection: { dataDir: '.data/ledger' },
  schema: 'sms_ledger',
  messageText: 'hash',
  retentionDays: 90,
  purgeIntervalMs: 3_600_000,
  migrations: true,
  bufferSize: 100_000,
  writeTimeoutMs: 2_000,
  retryIntervalMs: 1_000,
  partitionDaysAhead: 3,
} as const satisfies Omit<ResolvedLedgerOptions, 'clock'>;
