import { ThaiBulkSmsClock } from '../client/clock';
import { ThaiBulkSmsLedgerOptionsError } from './ledger.errors';
import {
  LEDGER_OPTION_DEFAULTS,
  LedgerConnection,
  ResolvedLedgerOptions,
  ThaiBulkSmsLedgerModuleOptions,
} from './ledger.options';

// A Record over the interface's keys: adding an option without listing it here does not compile.
const KNOWN_OPTIONS = Object.keys({
  connection: true,
  schema: true,
  messageText: true,
  retentionDays: true,
  purgeIntervalMs: true,
  migrations: true,
  bufferSize: true,
  writeTimeoutMs: true,
  retryIntervalMs: true,
  partitionDaysAhead: true,
  clock: true,
} satisfies Record<keyof ThaiBulkSmsLedgerModuleOptions, true>);

const SCHEMA_NAME = /^[a-z][a-z0-9_]{0,47}$/;

/** Checks the options and fills in the defaults; throws ThaiBulkSmsLedgerOptionsError naming the field. */
export function resolveLedgerOptions(raw: ThaiBulkSmsLedgerModuleOptions | undefined): ResolvedLedgerOptions {
  const options = (raw ?? {}) as Record<string, unknown>;
  if (typeof options !== 'object') throw new ThaiBulkSmsLedgerOptionsError('(options)', 'must be an object');
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.includes(key)) {
      const hint = key === 'isGlobal' ? ': give it at the top level of forRootAsync, not from useFactory' : '';
      throw new ThaiBulkSmsLedgerOptionsError(key, `is not an option of the ledger${hint}`);
    }
  }
  const d = LEDGER_OPTION_DEFAULTS;
  const schema = options.schema ?? d.schema;
  if (typeof schema !== 'string' || !SCHEMA_NAME.test(schema)) {
    throw new ThaiBulkSmsLedgerOptionsError(
      'schema',
      `must be lowercase letters, digits and _, starting with a letter, at most 48 characters${shown(schema)}`,
    );
  }
  const messageText = options.messageText ?? d.messageText;
  if (messageText !== 'hash' && messageText !== 'full') {
    throw new ThaiBulkSmsLedgerOptionsError('messageText', `must be 'hash' or 'full'${shown(messageText)}`);
  }
  const migrations = options.migrations ?? d.migrations;
  if (typeof migrations !== 'boolean') throw new ThaiBulkSmsLedgerOptionsError('migrations', 'must be true or false');
  const clock = options.clock;
  if (clock !== undefined && !(clock instanceof ThaiBulkSmsClock)) {
    throw new ThaiBulkSmsLedgerOptionsError('clock', 'must be a ThaiBulkSmsClock (SystemClock, or your own subclass)');
  }
  return {
    connection: resolveConnection(options.connection ?? d.connection),
    schema,
    messageText,
    retentionDays: int(options, 'retentionDays', d.retentionDays, 1, 3650),
    purgeIntervalMs: int(options, 'purgeIntervalMs', d.purgeIntervalMs, 0, 7 * 86_400_000),
    migrations,
    bufferSize: int(options, 'bufferSize', d.bufferSize, 0, 10_000_000),
    writeTimeoutMs: int(options, 'writeTimeoutMs', d.writeTimeoutMs, 50, 600_000),
    retryIntervalMs: int(options, 'retryIntervalMs', d.retryIntervalMs, 10, 3_600_000),
    partitionDaysAhead: int(options, 'partitionDaysAhead', d.partitionDaysAhead, 1, 60),
    clock,
  };
}

function resolveConnection(value: unknown): LedgerConnection {
  const connection = value as Record<string, unknown>;
  if (!connection || typeof connection !== 'object') {
    throw new ThaiBulkSmsLedgerOptionsError('connection', 'must be { url }, { pool }, { dataDir } or { pglite }');
  }
  const kinds = ['url', 'pool', 'dataDir', 'pglite'].filter((key) => connection[key] !== undefined);
  if (kinds.length !== 1) {
    throw new ThaiBulkSmsLedgerOptionsError(
      'connection',
      `must have exactly one of url, pool, dataDir, pglite (got ${kinds.length ? kinds.join(', ') : 'none'})`,
    );
  }
  const [kind] = kinds;
  if (kind === 'url') {
    const url = connection.url;
    if (typeof url !== 'string' || !/^postgres(ql)?:\/\//.test(url) || !isUrl(url)) {
      // Never quoted: a database URL carries its password.
      throw new ThaiBulkSmsLedgerOptionsError('connection.url', 'must be a postgres:// or postgresql:// URL');
    }
    const poolSize = int(connection, 'poolSize', 10, 1, 100, 'connection.');
    return { url, poolSize };
  }
  if (kind === 'pool') {
    const pool = connection.pool as { query?: unknown; connect?: unknown } | null;
    if (!pool || typeof pool.query !== 'function' || typeof pool.connect !== 'function') {
      throw new ThaiBulkSmsLedgerOptionsError('connection.pool', 'must be a pg Pool');
    }
    return { pool: connection.pool as never };
  }
  if (kind === 'pglite') {
    const pglite = connection.pglite as { query?: unknown; exec?: unknown } | null;
    if (!pglite || typeof pglite.query !== 'function' || typeof pglite.exec !== 'function') {
      throw new ThaiBulkSmsLedgerOptionsError('connection.pglite', 'must be a PGlite instance');
    }
    return { pglite: connection.pglite as never };
  }
  const dataDir = connection.dataDir;
  if (typeof dataDir !== 'string' || dataDir.trim() === '' || dataDir.includes('\0')) {
    throw new ThaiBulkSmsLedgerOptionsError('connection.dataDir', `must be a folder or 'memory'${shown(dataDir)}`);
  }
  return { dataDir };
}

function int(
  options: Record<string, unknown>,
  field: string,
  fallback: number,
  min: number,
  max: number,
  prefix = '',
): number {
  const value = options[field] ?? fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ThaiBulkSmsLedgerOptionsError(prefix + field, `must be an integer from ${min} to ${max}${shown(value)}`);
  }
  return value;
}

function shown(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value.slice(0, 60)) : String(value);
  return ` (got ${text})`;
}

function isUrl(text: string): boolean {
  try {
    return new URL(text).hostname !== '' || new URL(text).pathname !== '';
  } catch {
    return false;
  }
}
