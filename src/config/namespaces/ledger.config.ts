import type { LedgerConnection, LedgerMessageText } from '@app/thai-bulk-sms/ledger';
import { configNamespace } from '../config-namespace';
import { EnvBool, EnvChecked, EnvInt, EnvMatches, EnvOneOf } from '../env.decorators';

/** Default of LEDGER_DATA_DIR: the embedded store's folder, relative to the working directory. */
export const DEFAULT_LEDGER_DATA_DIR = '.data/ledger';

export class LedgerVariables {
  /** `false`: no ledger (no /messages, /reports, /subjects, /console; nothing recorded). */
  @EnvBool() LEDGER_ENABLED = true;
  /** `postgres://user:password@host:5432/db`: the ledger on that server; unset: embedded PGlite. */
  @EnvChecked(databaseUrlProblem) DATABASE_URL?: string;
  /** Folder of the embedded store when DATABASE_URL is unset; `memory`: kept in memory only. */
  @EnvChecked(dataDirProblem) LEDGER_DATA_DIR = DEFAULT_LEDGER_DATA_DIR;
  /** PostgreSQL schema of the ledger's tables. */
  @EnvMatches(/^[a-z][a-z0-9_]{0,62}$/, '1 to 63 of a-z, 0-9 and "_", starting with a letter')
  LEDGER_SCHEMA = 'sms_ledger';
  /** Whole days a record is kept (state it in your privacy notice). */
  @EnvInt(1, 3_650) LEDGER_RETENTION_DAYS = 90;
  /** `hash`: only the text's SHA-256, length, encoding and parts; `full`: the text too. */
  @EnvOneOf(['hash', 'full']) LEDGER_MESSAGE_TEXT: LedgerMessageText = 'hash';
  /** How often the retention purge runs (`0`: never on its own). */
  @EnvInt(0, 86_400) LEDGER_PURGE_INTERVAL_SECONDS = 3_600;
  /** `false` for teams that apply `ledgerMigrationSql()` themselves. */
  @EnvBool() LEDGER_MIGRATIONS = true;
  /** Lifetime of an operator console session signed in with an API key. */
  @EnvInt(60, 604_800) CONSOLE_SESSION_SECONDS = 28_800;
}

export interface LedgerConfig {
  readonly enabled: boolean;
  readonly connection: LedgerConnection;
  /** Where the ledger lives, for logs: the URL with its password masked, or the folder. */
  readonly where: string;
  readonly schema: string;
  readonly retentionDays: number;
  readonly messageText: LedgerMessageText;
  readonly purgeIntervalMs: number;
  readonly migrations: boolean;
  readonly consoleSessionSeconds: number;
}

/** The message ledger (README, "Message ledger"). */
export const ledgerConfig = configNamespace('ledger', {
  variables: LedgerVariables,
  read: (env): LedgerConfig => ({
    enabled: env.LEDGER_ENABLED,
    connection: env.DATABASE_URL ? { url: env.DATABASE_URL } : { dataDir: env.LEDGER_DATA_DIR },
    where: env.DATABASE_URL ? maskDatabaseUrl(env.DATABASE_URL) : `embedded (${env.LEDGER_DATA_DIR})`,
    schema: env.LEDGER_SCHEMA,
    retentionDays: env.LEDGER_RETENTION_DAYS,
    messageText: env.LEDGER_MESSAGE_TEXT,
    purgeIntervalMs: env.LEDGER_PURGE_INTERVAL_SECONDS * 1000,
    migrations: env.LEDGER_MIGRATIONS,
    consoleSessionSeconds: env.CONSOLE_SESSION_SECONDS,
  }),
});

/** What is wrong with a DATABASE_URL, the URL never repeated (it may hold a password), or undefined. */
function databaseUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'DATABASE_URL must be a URL: postgres://user:password@host:5432/database.';
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:')
    return `DATABASE_URL must start with postgres:// or postgresql:// (got "${url.protocol}//").`;
  if (url.hostname === '') return 'DATABASE_URL must name a host: postgres://user:password@host:5432/database.';
  return undefined;
}

function dataDirProblem(value: string): string | undefined {
  return value.length <= 1_024 && !value.includes('\0')
    ? undefined
    : 'LEDGER_DATA_DIR must be a folder path (at most 1024 characters) or "memory".';
}

/** The URL with its password replaced by `***`: the only form of DATABASE_URL that is ever logged. */
export function maskDatabaseUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.password) url.password = '***';
    url.search = '';
    return url.toString();
  } catch {
    return '<unparseable URL>';
  }
}
