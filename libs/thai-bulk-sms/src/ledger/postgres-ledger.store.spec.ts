import { Client } from 'pg';
import { openLedgerDatabase } from './ledger.connection';
import { LEDGER_MIGRATION_TABLE, LEDGER_MIGRATIONS } from './ledger.migrations';
import { ledgerStoreContract } from './ledger-store.contract.test-util';
import { accepted, batchOf, freshPhone } from './ledger-store.fixtures.test-util';
import { describeWithPostgres, dropSchema, tempDataDir, testDatabaseUrl, uniqueSchema } from './ledger.test-util';
import { LedgerConnection } from './ledger.options';
import { PostgresLedgerStore } from './postgres-ledger.store';

async function openStore(connection: LedgerConnection, schema: string): Promise<PostgresLedgerStore> {
  const database = await openLedgerDatabase(connection, { connectTimeoutMs: 5000, onPoolError: () => undefined });
  const store = new PostgresLedgerStore(database, { schema, migrations: true, partitionDaysAhead: 3 });
  await store.start(new Date());
  return store;
}

describeWithPostgres('PostgresLedgerStore on PostgreSQL (a schema of its own per run)', () => {
  const schema = uniqueSchema('store');
  let store: PostgresLedgerStore | undefined;

  beforeAll(async () => {
    store = await openStore({ url: testDatabaseUrl(), poolSize: 4 }, schema);
  });
  afterAll(async () => {
    await store?.close();
    await dropSchema(schema);
  });

  ledgerStoreContract(() => store);

  it('applies the migrations once when several instances start at once (advisory lock)', async () => {
    const fresh = uniqueSchema('race');
    const stores = await Promise.all(
      Array.from({ length: 4 }, () => openStore({ url: testDatabaseUrl(), poolSize: 2 }, fresh)),
    );
    try {
      const client = new Client({ connectionString: testDatabaseUrl() });
      await client.connect();
      const { rows } = await client.query(`select name from "${fresh}"."${LEDGER_MIGRATION_TABLE}"`);
      await client.end();
      expect(rows.map((row: { name: string }) => row.name)).toEqual(
        LEDGER_MIGRATIONS.map((migration) => migration.name),
      );
      await stores[0].write({ kind: 'messages', batch: batchOf([accepted(freshPhone())]) });
    } finally {
      await Promise.all(stores.map((s) => s.close()));
      await dropSchema(fresh);
    }
  });

  it('holds a write made before start until start has migrated, then stores it', async () => {
    const fresh = uniqueSchema('early');
    const database = await openLedgerDatabase(
      { url: testDatabaseUrl(), poolSize: 2 },
      { connectTimeoutMs: 5000, onPoolError: () => undefined },
    );
    const early = new PostgresLedgerStore(database, { schema: fresh, migrations: true, partitionDaysAhead: 1 });
    try {
      const phone = freshPhone();
      // A queue worker can be observed sending before the ledger module's start has run.
      const written = early.write({ kind: 'messages', batch: batchOf([accepted(phone)]) });
      await early.start(new Date());
      await written;
      const client = new Client({ connectionString: testDatabaseUrl() });
      await client.connect();
      const { rows } = await client.query(`select phone from "${fresh}".message`).finally(() => client.end());
      expect(rows).toEqual([{ phone }]);
    } finally {
      await early.close();
      await dropSchema(fresh);
    }
  });

  it('borrows a pg Pool the app gives and leaves it open', async () => {
    const { Pool } = await import('pg');
    const pool = new Pool({ connectionString: testDatabaseUrl(), max: 2 });
    const borrowed = await openStore({ pool }, schema);
    await borrowed.close();
    const { rows } = await pool.query('select 1 as one');
    expect(rows).toEqual([{ one: 1 }]);
    await pool.end();
  });
});

describe('PostgresLedgerStore on embedded PGlite, in memory', () => {
  let store: PostgresLedgerStore | undefined;
  beforeAll(async () => {
    store = await openStore({ dataDir: 'memory' }, 'sms_ledger');
  }, 30_000);
  afterAll(() => store?.close());

  ledgerStoreContract(() => store);
});

describe('PostgresLedgerStore on embedded PGlite, in a folder', () => {
  const data = tempDataDir('store');
  let store: PostgresLedgerStore | undefined;
  beforeAll(async () => {
    store = await openStore({ dataDir: data.dir }, 'sms_ledger');
  }, 30_000);
  afterAll(async () => {
    await store?.close();
    data.remove();
  });

  ledgerStoreContract(() => store);

  it('keeps its records across a restart (closed and opened again on the same folder)', async () => {
    const phone = freshPhone();
    const batch = batchOf([accepted(phone)]);
    await store!.write({ kind: 'messages', batch });
    await store!.close();
    store = await openStore({ dataDir: data.dir }, 'sms_ledger');
    expect((await store.findMessage(batch.recipients[0].messageId!))?.phone).toBe(phone);
  }, 30_000);
});
