import { problemsOf } from '../config.test-util';
import { loadAppConfig } from '../load-app-config';
import { maskDatabaseUrl } from './ledger.config';

describe('ledger configuration', () => {
  it('defaults to the embedded store under .data/ledger, hashed text, 90 days', () => {
    expect(loadAppConfig({}).ledger).toEqual({
      enabled: true,
      connection: { dataDir: '.data/ledger' },
      where: 'embedded (.data/ledger)',
      schema: 'sms_ledger',
      retentionDays: 90,
      messageText: 'hash',
      purgeIntervalMs: 3_600_000,
      migrations: true,
      consoleSessionSeconds: 28_800,
    });
  });

  it('takes a PostgreSQL server from DATABASE_URL, and memory from LEDGER_DATA_DIR', () => {
    const url = 'postgres://app:s3cret-pw@db.internal:5432/ledger';
    const config = loadAppConfig({
      DATABASE_URL: url,
      LEDGER_MESSAGE_TEXT: 'full',
      LEDGER_RETENTION_DAYS: '30',
    }).ledger;
    expect(config).toMatchObject({ connection: { url }, messageText: 'full', retentionDays: 30 });
    expect(config.where).toBe('postgres://app:***@db.internal:5432/ledger');
    expect(loadAppConfig({ LEDGER_DATA_DIR: 'memory' }).ledger.connection).toEqual({ dataDir: 'memory' });
    expect(loadAppConfig({ LEDGER_ENABLED: 'false' }).ledger.enabled).toBe(false);
  });

  it('refuses a bad URL, scheme, number, choice or schema, never repeating the password', () => {
    const problems = problemsOf({
      DATABASE_URL: 'mysql://root:hunter2-secret@db:3306/x',
      LEDGER_RETENTION_DAYS: '0',
      LEDGER_MESSAGE_TEXT: 'plain',
      LEDGER_SCHEMA: 'Bad-Schema',
      LEDGER_PURGE_INTERVAL_SECONDS: 'hourly',
      CONSOLE_SESSION_SECONDS: '5',
      LEDGER_ENABLED: 'yes',
    });
    expect(problems).toEqual([
      'LEDGER_ENABLED must be "true" or "false".',
      'DATABASE_URL must start with postgres:// or postgresql:// (got "mysql://").',
      'LEDGER_SCHEMA must be 1 to 63 of a-z, 0-9 and "_", starting with a letter.',
      'LEDGER_RETENTION_DAYS must be a whole number from 1 to 3650 (got "0").',
      'LEDGER_MESSAGE_TEXT must be one of "hash", "full" (got "plain").',
      'LEDGER_PURGE_INTERVAL_SECONDS must be a whole number from 0 to 86400 (got "hourly").',
      'CONSOLE_SESSION_SECONDS must be a whole number from 60 to 604800 (got "5").',
    ]);
    expect(problemsOf({ DATABASE_URL: 'not a url :pw@' })).toEqual([
      'DATABASE_URL must be a URL: postgres://user:password@host:5432/database.',
    ]);
    expect(JSON.stringify(problems)).not.toContain('hunter2');
  });

  it('masks the password (and drops the query string) of a URL it logs', () => {
    expect(maskDatabaseUrl('postgresql://u:p%40ss@h/db?password=x')).toBe('postgresql://u:***@h/db');
    expect(maskDatabaseUrl('postgres://h/db')).toBe('postgres://h/db');
  });
});
