import { Logger } from '@nestjs/common';
import { sql } from 'kysely';
import { accepted, batchOf, freshPhone } from './ledger-store.fixtures.test-util';
import { openLedgerDatabase } from './ledger.connection';
import { PackedMessageBatch, packBatch } from './ledger.packed-batch';
import { LedgerMessageBatch } from './ledger.types';
import { GROUP_LANES, GROUP_ROWS } from './ledger.write-queue';
import { LedgerWriter } from './ledger.writer';
import { PostgresLedgerStore } from './postgres-ledger.store';

/** The real store, with a gate on its message writes and a record of what each statement held. */
class GatedStore extends PostgresLedgerStore {
  readonly statements: string[][] = [];
  private gate?: Promise<void>;
  private openGate?: () => void;
  failing = false;

  hold(): void {
    this.gate = new Promise((resolve) => (this.openGate = resolve));
  }

  release(): void {
    this.openGate?.();
    this.gate = undefined;
  }

  override async writeMessages(batches: readonly LedgerMessageBatch[]) {
    this.statements.push(batches.map((batch) => batch.requestId));
    await this.gate;
    if (this.failing) throw Object.assign(new Error('connection lost'), { code: 'ECONNRESET' });
    return super.writeMessages(batches);
  }
}

async function countRows(store: PostgresLedgerStore, phone: string): Promise<number> {
  const { rows } = await sql<{
    n: number;
  }>`select count(*)::int as n from sms_ledger.message where phone = ${phone}`.execute(store.database.db);
  return Number(rows[0].n);
}

/** Lets the writer's callbacks that are due run (event-loop turns, no timer). */
async function turns(count = 10): Promise<void> {
  for (let i = 0; i < count; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe('LedgerWriter on embedded PGlite', () => {
  let store: GatedStore | undefined;
  const logger = new Logger('spec');
  let errors: jest.SpyInstance;
  let warnings: jest.SpyInstance;
  const writer = (bufferSize = 100_000) =>
    new LedgerWriter(store!, { bufferSize, writeTimeoutMs: 10_000, retryIntervalMs: 600_000 }, logger);

  beforeAll(async () => {
    const database = await openLedgerDatabase(
      { dataDir: 'memory' },
      { connectTimeoutMs: 5000, onPoolError: () => undefined },
    );
    store = new GatedStore(database, { schema: 'sms_ledger', migrations: true, partitionDaysAhead: 1 });
    await store.start(new Date());
  }, 30_000);
  afterAll(() => store?.close());
  beforeEach(() => {
    errors = jest.spyOn(logger, 'error').mockImplementation(() => undefined);
    warnings = jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
    store!.statements.length = 0;
    store!.failing = false;
  });
  afterEach(() => {
    store!.release();
    errors.mockRestore();
    warnings.mockRestore();
  });

  it('drops a write the database refuses for its content, logs and counts it, and keeps writing', async () => {
    const ledger = writer(1000);
    const phone = freshPhone();
    const poison = batchOf([accepted(phone, 'poison-1')], { requestId: 'not-a-uuid' });
    const good = batchOf([accepted(phone, 'good-1')]);
    await ledger.record({ kind: 'messages', batch: poison });
    await ledger.record({ kind: 'messages', batch: good });
    expect(ledger.stats()).toMatchObject({ state: 'up', buffered: 0, refusedWrites: 1, failedWrites: 0 });
    expect(String(errors.mock.calls[0][0])).toContain('poison-1');
    expect(String(errors.mock.calls[0][0])).not.toContain(phone);
    expect(await store!.findMessage('good-1')).toBeDefined();
  });

  it('writes the requests that came while the lanes were busy in one statement; each resolves once written', async () => {
    const ledger = writer();
    const phone = freshPhone();
    store!.hold();
    const first = Array.from({ length: GROUP_LANES }, () => batchOf([accepted(phone)]));
    const waiting = Array.from({ length: 6 }, () => batchOf([accepted(phone), accepted(phone)]));
    const resolved = new Set<string>();
    const record = (batch: LedgerMessageBatch) =>
      ledger.record({ kind: 'messages', batch }).then(() => resolved.add(batch.requestId));
    // A write finding a lane free goes at once, alone; the rest wait for a lane.
    const all = [...first, ...waiting].map(record);
    await turns();
    expect(store!.statements).toEqual(first.map((batch) => [batch.requestId]));
    expect(resolved.size).toBe(0);
    store!.release();
    await Promise.all(all);
    // The first lane to come free takes every write waiting: one statement.
    expect(store!.statements.slice(GROUP_LANES)).toHaveLength(1);
    expect(store!.statements[GROUP_LANES].sort()).toEqual(waiting.map((b) => b.requestId).sort());
    expect(await countRows(store!, phone)).toBe(GROUP_LANES + 12);
    expect(ledger.stats()).toMatchObject({ state: 'up', buffered: 0, failedWrites: 0 });
  });

  it('puts at most GROUP_ROWS rows in one statement', async () => {
    const ledger = writer();
    const phone = freshPhone();
    store!.hold();
    const busy = Array.from({ length: GROUP_LANES }, () => batchOf([accepted(phone)]));
    const perBatch = 500;
    const big = Array.from({ length: Math.ceil((GROUP_ROWS * 2) / perBatch) + 1 }, () =>
      batchOf(Array.from({ length: perBatch }, () => accepted(phone))),
    );
    const all = [...busy, ...big].map((batch) => ledger.record({ kind: 'messages', batch }));
    await turns();
    store!.release();
    await Promise.all(all);
    const sizes = store!.statements.map((ids) => ids.length);
    expect(Math.max(...sizes) * perBatch).toBeLessThanOrEqual(GROUP_ROWS);
    expect(await countRows(store!, phone)).toBe(GROUP_LANES + big.length * perBatch);
  });

  it('a refused request in a statement costs only its own rows: the others are written, once', async () => {
    const ledger = writer();
    const phone = freshPhone();
    store!.hold();
    const busy = Array.from({ length: GROUP_LANES }, () => batchOf([accepted(phone)]));
    const poison = batchOf([accepted(phone, 'poison-2')], { requestId: 'not-a-uuid' });
    const good = [batchOf([accepted(phone)]), batchOf([accepted(phone)])];
    const all = [...busy, good[0], poison, good[1]].map((batch) => ledger.record({ kind: 'messages', batch }));
    await turns();
    store!.release();
    await Promise.all(all);
    expect(ledger.stats()).toMatchObject({ state: 'up', buffered: 0, refusedWrites: 1 });
    expect(await countRows(store!, phone)).toBe(GROUP_LANES + 2);
    expect(String(errors.mock.calls[0][0])).toContain('poison-2');
  });

  it('when a statement fails, its requests and those waiting go to the buffer; flush writes each once', async () => {
    const ledger = writer();
    const phone = freshPhone();
    store!.hold();
    store!.failing = true;
    const batches = Array.from({ length: GROUP_LANES + 4 }, () => batchOf([accepted(phone), accepted(phone)]));
    const all = batches.map((batch) => ledger.record({ kind: 'messages', batch }));
    await turns();
    store!.release();
    await Promise.all(all);
    expect(ledger.stats()).toMatchObject({ state: 'buffering', buffered: batches.length * 2 });
    expect(await countRows(store!, phone)).toBe(0);
    store!.failing = false;
    expect(await ledger.flush()).toBe(true);
    // Written again in a later flush (a write that landed late): still once.
    await store!.writeMessages(batches);
    expect(await countRows(store!, phone)).toBe(batches.length * 2);
    expect(ledger.stats()).toMatchObject({ state: 'up', buffered: 0 });
  });

  it('an erasure drops the rows of its number from writes still waiting for a lane', async () => {
    const ledger = writer();
    const [erased, kept] = [freshPhone(), freshPhone()];
    store!.hold();
    const busy = Array.from({ length: GROUP_LANES }, () => batchOf([accepted(kept)]));
    const mixed = batchOf([accepted(erased), accepted(kept)]);
    const only = batchOf([accepted(erased)]);
    // As captured from a send: in columns.
    const { recipients, ...fields } = batchOf([accepted(kept), accepted(erased), accepted(kept)]);
    const packed = packBatch(fields, {
      messageId: recipients.map((row) => row.messageId),
      phone: recipients.map((row) => row.phone),
      status: recipients.map((row) => row.status),
      creditsUsed: recipients.map((row) => row.creditsUsed),
      errorName: recipients.map(() => undefined),
      errorSource: recipients.map(() => undefined),
    });
    expect(packed).toBeInstanceOf(PackedMessageBatch);
    const all = [...busy, mixed, only, packed].map((batch) => ledger.record({ kind: 'messages', batch }));
    await turns();
    expect(ledger.forget(erased)).toEqual({ messages: 3, otps: 0 });
    store!.release();
    await Promise.all(all);
    expect(await countRows(store!, erased)).toBe(0);
    expect(await countRows(store!, kept)).toBe(GROUP_LANES + 3);
    const written = await store!.searchMessages({ phone: kept, limit: 10 });
    expect(written.items.map((item) => item.messageId)).toEqual(
      expect.arrayContaining([recipients[0].messageId, recipients[2].messageId]),
    );
  });
});
