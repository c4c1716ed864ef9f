import { ThaiBulkSmsClock } from '../client/clock';
import { OptionsReader, OptionsReaderSettings } from '../errors/options-reader';
import { ThaiBulkSmsLedgerOptionsError } from '../errors/options.errors';
import {
  LEDGER_OPTION_DEFAULTS,
  LedgerConnection,
  LedgerMessageText,
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

const SETTINGS: OptionsReaderSettings = {
  error: ThaiBulkSmsLedgerOptionsError,
  // A database URL carries its password.
  secrets: ['connection.url'],
  extras: ['isGlobal'],
  factoryMethod: 'createThaiBulkSmsLedgerOptions',
};

const SCHEMA_NAME = /^[a-z][a-z0-9_]{0,47}$/;

/** Checks the options and fills in the defaults; throws ThaiBulkSmsLedgerOptionsError naming the field. */
export function resolveLedgerOptions(raw: ThaiBulkSmsLedgerModuleOptions | undefined): ResolvedLedgerOptions {
  const options: OptionsReader = OptionsReader.of(raw, SETTINGS).known(KNOWN_OPTIONS);
  const d = LEDGER_OPTION_DEFAULTS;
  const schema = options.value('schema') ?? d.schema;
  if (typeof schema !== 'string' || !SCHEMA_NAME.test(schema)) {
    options.fail(
      'schema',
      `must be lowercase letters, digits and _, starting with a letter, at most 48 characters${options.got('schema', schema)}`,
    );
  }
  const messageText = options.oneOf<LedgerMessageText>('messageText', d.messageText, ['hash', 'full']);
  const migrations = options.bool('migrations', d.migrations);
  const clock = options.value('clock');
  if (clock !== undefined && !(clock instanceof ThaiBulkSmsClock))
    options.fail('clock', 'must be a ThaiBulkSmsClock (SystemClock, or your own subclass)');
  return {
    connection: connectionOf(options),
    schema,
    messageText,
    retentionDays: options.int('retentionDays', d.retentionDays, 1, 3650),
    purgeIntervalMs: options.int('purgeIntervalMs', d.purgeIntervalMs, 0, 7 * 86_400_000),
    migrations,
    bufferSize: options.int('bufferSize', d.bufferSize, 0, 10_000_000),
    writeTimeoutMs: options.int('writeTimeoutMs', d.writeTimeoutMs, 50, 600_000),
    retryIntervalMs: options.int('retryIntervalMs', d.retryIntervalMs, 10, 3_600_000),
    partitionDaysAhead: options.int('partitionDaysAhead', d.partitionDaysAhead, 1, 60),
    clock,
  };
}

function connectionOf(options: OptionsReader): LedgerConnection {
  const shape = '{ url }, { pool }, { dataDir } or { pglite }';
  const connection: OptionsReader = options.object('connection', shape, LEDGER_OPTION_DEFAULTS.connection);
  const kinds = ['url', 'pool', 'dataDir', 'pglite'].filter((key) => connection.value(key) !== undefined);
  if (kinds.length !== 1) {
    options.fail(
      'connection',
      `must have exactly one of url, pool, dataDir, pglite (got ${kinds.length ? kinds.join(', ') : 'none'})`,
    );
  }
  switch (kinds[0]) {
    case 'url':
      return urlConnectionOf(connection);
    case 'pool': {
      const pool = connection.value('pool') as { query?: unknown; connect?: unknown } | null;
      if (!pool || typeof pool.query !== 'function' || typeof pool.connect !== 'function')
        connection.fail('pool', 'must be a pg Pool');
      return { pool: pool as never };
    }
    case 'pglite': {
      const pglite = connection.value('pglite') as { query?: unknown; exec?: unknown } | null;
      if (!pglite || typeof pglite.query !== 'function' || typeof pglite.exec !== 'function')
        connection.fail('pglite', 'must be a PGlite instance');
      return { pglite: pglite as never };
    }
    default: {
      const dataDir = connection.value('dataDir');
      if (typeof dataDir !== 'string' || dataDir.trim() === '' || dataDir.includes('\0'))
        connection.fail('dataDir', `must be a folder or 'memory'${connection.got('dataDir', dataDir)}`);
      return { dataDir };
    }
  }
}

function urlConnectionOf(connection: OptionsReader): LedgerConnection {
  const url = connection.value('url');
  // Never quoted: a database URL carries its password.
  if (typeof url !== 'string' || !/^postgres(ql)?:\/\//.test(url) || !isUrl(url))
    connection.fail('url', 'must be a postgres:// or postgresql:// URL');
  return { url, poolSize: connection.int('poolSize', 10, 1, 100) };
}

function isUrl(text: string): boolean {
  try {
    return new URL(text).hostname !== '' || new URL(text).pathname !== '';
  } catch {
    return false;
  }
}
