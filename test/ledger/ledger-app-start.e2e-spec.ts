import {
  describeWithPostgres,
  dropSchema,
  testDatabaseUrl,
  uniqueSchema,
} from '@app/thai-bulk-sms/ledger/ledger.test-util';
import { Client } from 'pg';
import { MainProcess, startMain } from '../support/main-process';

/**
 * src/main.ts started as `npm start` starts it: the ledger's place in the start-up line, the
 * DATABASE_URL password never in any output, a bad DATABASE_URL refused before anything starts.
 */

jest.setTimeout(60_000);

const PASSWORD = 'pw-canary-7f3a9c';

async function stop(proc: MainProcess | undefined): Promise<void> {
  proc?.kill('SIGTERM');
  await proc?.exited;
}

describe('the app started with no settings', () => {
  let proc: MainProcess | undefined;
  afterAll(() => stop(proc));

  it('keeps the ledger embedded under .data/ledger and says so', async () => {
    proc = startMain({});
    await proc.waitFor(/Sample app listening/, 60_000);
    expect(proc.stdout()).toMatch(/ledger.{0,5}embedded \(\.data\/ledger\)/);
    expect(proc.stdout()).toMatch(/console.{0,5}http:\/\/localhost:\d+\/console/);
  });
});

describeWithPostgres('the app started with DATABASE_URL', () => {
  const schema = uniqueSchema('app_start');
  let proc: MainProcess | undefined;
  afterAll(async () => {
    await stop(proc);
    await dropSchema(schema);
  });

  it('migrates that server and never shows the password', async () => {
    const url = new URL(testDatabaseUrl());
    url.password = PASSWORD; // the machine's server trusts local connections: any password passes
    proc = startMain({ DATABASE_URL: url.toString(), LEDGER_SCHEMA: schema });
    await proc.waitFor(/Sample app listening/, 60_000);
    const masked = new URL(url.toString());
    masked.password = '***';
    masked.search = '';
    expect(proc.stdout()).toContain(masked.toString());
    expect(proc.stdout() + proc.stderr()).not.toContain(PASSWORD);
    const client = new Client({ connectionString: testDatabaseUrl() });
    await client.connect();
    try {
      const { rows } = await client.query<{ name: string }>(
        'select table_name as name from information_schema.tables where table_schema = $1',
        [schema],
      );
      expect(rows.map((r) => r.name)).toEqual(
        expect.arrayContaining(['message', 'request', 'otp', 'ledger_migration']),
      );
    } finally {
      await client.end();
    }
  });
});

describe('the app started with a bad DATABASE_URL', () => {
  it('refuses to start, naming the problem and not the password', async () => {
    const proc = startMain({ DATABASE_URL: `mysql://root:${PASSWORD}@db:3306/app`, LEDGER_RETENTION_DAYS: 'ninety' });
    const { code } = await proc.exited;
    expect(code).toBe(1);
    expect(proc.stderr()).toContain('DATABASE_URL must start with postgres:// or postgresql://');
    expect(proc.stderr()).toContain('LEDGER_RETENTION_DAYS must be a whole number from 1 to 3650');
    expect(proc.stdout() + proc.stderr()).not.toContain(PASSWORD);
  });
});
