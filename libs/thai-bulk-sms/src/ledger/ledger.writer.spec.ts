import { Logger } from '@nestjs/common';
import { accepted, batchOf, freshPhone } from './ledger-store.fixtures.test-util';
import { openLedgerDatabase } from './ledger.connection';
import { LedgerWriter } from './ledger.writer';
import { PostgresLedgerStore } from './postgres-ledger.store';

describe('LedgerWriter on embedded PGlite', () => {
  let store: PostgresLedgerStore | undefined;
  const logger = new Logger('spec');
  let errors: jest.SpyInstance;

  beforeAll(async () => {
    const database = await openLedgerDatabase(
      { dataDir: 'memory' },
      { connectTimeoutMs: 5000, onPoolError: () => undefined },
    );
    store = new PostgresLedgerStore(database, { schema: 'sms_ledger', migrations: true, partitionDaysAhead: 1 });
    await store.start(new Date());
  }, 30_000);
  afterAll(() => store?.close());
  beforeEach(() => (errors = jest.spyOn(logger, 'error').mockImplementation(() => undefined)));
  afterEach(() => errors.mockRestore());

  it('drops a write the database refuses for its content, logs and counts it, and keeps writing', async () => {
    const writer = new LedgerWriter(
      store!,
      { bufferSize: 1000, writeTimeoutMs: 5000, retryIntervalMs: 60_000 },
      logger,
    );
    const phone = freshPhone();
    const poison = batchOf([accepted(phone, 'poison-1')], { requestId: 'not-a-uuid' });
    const good = batchOf([accepted(phone, 'good-1')]);
    await writer.record({ kind: 'messages', batch: poison });
    await writer.record({ kind: 'messages', batch: good });
    expect(writer.stats()).toMatchObject({ state: 'up', buffered: 0, refusedWrites: 1, failedWrites: 0 });
    expect(String(errors.mock.calls[0][0])).toContain('poison-1');
    expect(String(errors.mock.calls[0][0])).not.toContain(phone);
    expect(await store!.findMessage('good-1')).toBeDefined();
  });
});
