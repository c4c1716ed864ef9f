import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { accepted, batchOf, freshId, freshPhone } from './ledger-store.fixtures.test-util';
import { openLedgerDatabase } from './ledger.connection';
import { addDays, bangkokDay, dayStart } from './ledger.days';
import { applyLedgerMigrations } from './ledger.migrations';
import { LedgerConnection } from './ledger.options';
import { partitionName } from './ledger.partitions';
import { describeWithPostgres, dropSchema, testDatabaseUrl, uniqueSchema } from './ledger.test-util';
import { PostgresLedgerStore } from './postgres-ledger.store';

/**
 * A ledger that ran the first schema (every request's fields on each message row) and holds rows
 * is moved to the request table by migration 0002: nothing is lost, and the store reads and
 * writes it as a fresh one.
 */
function upgradeSpec(connection: () => LedgerConnection, schemaOf: () => string): void {
  it('moves rows written under 0001 to the request table and keeps them readable and writable', async () => {
    const schema = schemaOf();
    const database = await openLedgerDatabase(connection(), { connectTimeoutMs: 5000, onPoolError: () => undefined });
    const { db } = database;
    try {
      await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
      await applyLedgerMigrations(db as never, schema, '0001_initial');
      const day = bangkokDay(new Date());
      await sql`create table ${sql.id(schema, partitionName('message', day))} partition of ${sql.id(schema, 'message')}
        for values from (${sql.lit(dayStart(day).toISOString())}) to (${sql.lit(dayStart(addDays(day, 1)).toISOString())})`.execute(
        db,
      );
      const phone = freshPhone();
      const [first, second, third] = [freshId('old'), freshId('old'), freshId('old')];
      const at = new Date();
      const requestId = randomUUID();
      const other = randomUUID();
      // As 0001 wrote them: two recipients of one request, one of another, every field on each row.
      await sql`insert into ${sql.id(schema, 'message')} (created_at, request_id, ordinal, registration, message_id, phone,
          sender, credit_type, credits_used, tags, reference, sent_status, status, status_at, text_sha256, text_length,
          text_encoding, text_parts, text)
        values (${at}, ${requestId}, 0, 'default', ${first}, ${phone}, 'Old', 'standard', 1, array['a'], 'ref-1',
            'accepted', 'delivered', ${at}, ${'a'.repeat(64)}, 5, 'GSM-7', 1, 'hello'),
          (${at}, ${requestId}, 1, 'default', ${second}, ${phone}, 'Old', 'standard', 1, array['a'], 'ref-1',
            'accepted', 'accepted', ${at}, ${'a'.repeat(64)}, 5, 'GSM-7', 1, 'hello'),
          (${at}, ${other}, 0, 'default', ${third}, ${phone}, 'Other', 'corporate', 2, array[]::text[], null,
            'accepted', 'accepted', ${at}, ${'b'.repeat(64)}, 7, 'UCS-2', 1, null)`.execute(db);

      const store = new PostgresLedgerStore(database, { schema, migrations: true, partitionDaysAhead: 1 });
      await store.start(new Date());
      expect(await store.findMessage(first)).toMatchObject({
        phone,
        sender: 'Old',
        status: 'delivered',
        tags: ['a'],
        reference: 'ref-1',
        creditType: 'standard',
        text: { sha256: 'a'.repeat(64), length: 5, full: 'hello' },
        events: [{ status: 'accepted', source: 'send' }],
      });
      expect(await store.findMessage(third)).toMatchObject({
        sender: 'Other',
        creditType: 'corporate',
        creditsUsed: 2,
      });
      const page = await store.searchMessages({ phone, limit: 10 });
      expect(page.items.map((item) => item.messageId).sort()).toEqual([first, second, third].sort());
      expect((await store.searchMessages({ phone, tag: 'a', limit: 10 })).items).toHaveLength(2);
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.id(schema, 'request')}`.execute(
        db,
      );
      expect(Number(rows[0].n)).toBe(2);

      const fresh = batchOf([accepted(phone)], { sender: 'New' });
      await store.write({ kind: 'messages', batch: fresh });
      expect(await store.findMessage(fresh.recipients[0].messageId!)).toMatchObject({ sender: 'New', phone });
      expect(await store.erase(phone)).toMatchObject({ messages: 4 });
      const left = await sql<{ n: number }>`select count(*)::int as n from ${sql.id(schema, 'request')}`.execute(db);
      expect(Number(left.rows[0].n)).toBe(0);
    } finally {
      await database.close();
    }
  }, 60_000);
}

describeWithPostgres('ledger migrations on PostgreSQL: 0001 with rows, then 0002', () => {
  const schema = uniqueSchema('upgrade');
  afterAll(() => dropSchema(schema));
  upgradeSpec(
    () => ({ url: testDatabaseUrl(), poolSize: 2 }),
    () => schema,
  );
});

describe('ledger migrations on embedded PGlite: 0001 with rows, then 0002', () => {
  upgradeSpec(
    () => ({ dataDir: 'memory' }),
    () => 'sms_ledger',
  );
});
