import { Test } from '@nestjs/testing';
import { sql } from 'kysely';
import { SuppressionList } from '../compliance/suppression-list';
import { suppressionListContract, TEST_ERASURE_KEY } from '../compliance/suppression-list.contract.test-util';
import { ThaiBulkSmsComplianceModule } from '../compliance/thai-bulk-sms-compliance.module';
import { SmsService } from '../sms/sms.service';
import { ThaiBulkSmsTestingModule } from '../testing';
import { openLedgerDatabase } from './ledger.connection';
import { LedgerSuppressionList } from './ledger-suppression-list';
import { describeWithPostgres, dropSchema, testDatabaseUrl, uniqueSchema } from './ledger.test-util';
import { LedgerConnection } from './ledger.options';
import { MessageLedger } from './message-ledger.service';
import { PostgresLedgerStore } from './postgres-ledger.store';
import { ThaiBulkSmsLedgerModule } from './thai-bulk-sms-ledger.module';

/** The SuppressionList contract on the ledger's database, its table emptied before each test. */
function ledgerSuppressionSpecs(connection: () => LedgerConnection, schema: string): void {
  let store: PostgresLedgerStore;

  beforeAll(async () => {
    const database = await openLedgerDatabase(connection(), { connectTimeoutMs: 5000, onPoolError: () => undefined });
    store = new PostgresLedgerStore(database, { schema, migrations: true, partitionDaysAhead: 1 });
    await store.start(new Date());
  }, 60_000);
  afterAll(() => store?.close());
  beforeEach(async () => {
    await sql`truncate ${sql.id(schema, 'suppression')}`.execute(store.database.db);
  });

  suppressionListContract(
    (options) => store.suppressionList(options),
    async () => {
      const { rows } = await sql`select * from ${sql.id(schema, 'suppression')}`.execute(store.database.db);
      return JSON.stringify(rows);
    },
  );

  it('looks up a chunk of 500 in one query, and hashes only while a hash is kept', async () => {
    const list = store.suppressionList({ erasureKey: TEST_ERASURE_KEY });
    const queries: string[] = [];
    const { db } = store.database;
    const counting = db.withPlugin({
      transformQuery: (args) => (queries.push(args.node.kind), args.node),
      transformResult: (args) => Promise.resolve(args.result),
    });
    const measured = new LedgerSuppressionList(counting, schema, Promise.resolve(), { erasureKey: TEST_ERASURE_KEY });
    const chunk = Array.from({ length: 500 }, (_, i) => `6689${String(i).padStart(7, '0')}`);
    await list.add(chunk[10]);
    expect((await measured.scopesOf(chunk))[10]).toBe('marketing');
    expect(queries).toHaveLength(1);
    await list.add(chunk[20], { keepAfterErasure: true });
    await list.eraseSubject(chunk[20]);
    queries.length = 0;
    const scopes = await measured.scopesOf(chunk);
    expect([scopes[10], scopes[20]]).toEqual(['marketing', 'marketing']);
    expect(queries).toHaveLength(2);
  });
}

describeWithPostgres('LedgerSuppressionList on PostgreSQL', () => {
  const schema = uniqueSchema('suppression');
  afterAll(() => dropSchema(schema));
  ledgerSuppressionSpecs(() => ({ url: testDatabaseUrl(), poolSize: 2 }), schema);
});

describe('LedgerSuppressionList on embedded PGlite', () => {
  ledgerSuppressionSpecs(() => ({ dataDir: 'memory' }), 'sms_ledger');
});

describe('MessageLedger.suppressionList with ThaiBulkSmsComplianceModule (PGlite)', () => {
  it('drops an opted-out number from a marketing send, from the ledger database', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        ThaiBulkSmsTestingModule.forRoot(),
        ThaiBulkSmsLedgerModule.forRoot({ connection: { dataDir: 'memory' }, purgeIntervalMs: 0, isGlobal: true }),
        ThaiBulkSmsComplianceModule.forRootAsync({
          inject: [MessageLedger],
          useFactory: (ledger: MessageLedger) => ({
            mode: 'strict',
            optOutText: 'STOP 4000000',
            marketingHours: { start: '00:00', end: '23:59' },
            suppressionList: ledger.suppressionList({ erasureKey: TEST_ERASURE_KEY }),
          }),
        }),
      ],
    }).compile();
    await moduleRef.init();
    try {
      const list = moduleRef.get(SuppressionList);
      expect(list).toBeInstanceOf(LedgerSuppressionList);
      await list.add('0812345678', { reason: 'STOP' });
      const result = await moduleRef
        .get(SmsService)
        .send({ to: ['0812345678', '0898765432'], message: 'Sale today', category: 'marketing' });
      expect(result.accepted.map((item) => item.phone)).toEqual(['66898765432']);
      expect(result.rejected).toEqual([{ phone: '66812345678', reason: 'RECIPIENT_OPTED_OUT' }]);
    } finally {
      await moduleRef.close();
    }
  }, 60_000);
});
