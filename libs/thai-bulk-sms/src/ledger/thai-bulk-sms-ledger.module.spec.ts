import { Test, TestingModule } from '@nestjs/testing';
import { sql } from 'kysely';
import { DeliveryReportReceiver } from '../delivery/delivery-report.receiver';
import { OtpCodeInvalidError, ThaiBulkSmsError } from '../errors';
import { OtpService } from '../otp/otp.service';
import { ThaiBulkSmsSandbox } from '../sandbox';
import { SmsService } from '../sms/sms.service';
import { THAI_BULK_SMS_SANDBOX, ThaiBulkSmsTestingModule } from '../testing';
import { sha256 } from './ledger.capture';
import { addDays, bangkokDay } from './ledger.days';
import { LedgerHealthIndicator } from './ledger.health';
import { LedgerConnection, ThaiBulkSmsLedgerModuleOptions } from './ledger.options';
import { LedgerStore } from './ledger.store';
import {
  describeWithPostgres,
  dropSchema,
  ManualClock,
  settle,
  testDatabaseUrl,
  uniqueSchema,
} from './ledger.test-util';
import { MessageLedger } from './message-ledger.service';
import { PostgresLedgerStore } from './postgres-ledger.store';
import { ThaiBulkSmsLedgerModule } from './thai-bulk-sms-ledger.module';

const DAY_MS = 86_400_000;

/** The module with the real SmsService and OtpService against the sandbox, on one backend. */
function ledgerModuleSpecs(connection: () => LedgerConnection, schema: string): void {
  let moduleRef: TestingModule;
  let sms: SmsService;
  let otp: OtpService;
  let sandbox: ThaiBulkSmsSandbox;
  let ledger: MessageLedger;
  let clock: ManualClock;

  async function compile(options: ThaiBulkSmsLedgerModuleOptions): Promise<TestingModule> {
    const ref = await Test.createTestingModule({
      imports: [
        ThaiBulkSmsTestingModule.forRoot({ options: { timeoutMs: 300, retry: { retries: 0 } } }),
        ThaiBulkSmsLedgerModule.forRoot(options),
      ],
    }).compile();
    await ref.init().catch(async (error: unknown) => {
      await ref.close();
      throw error;
    });
    return ref;
  }

  beforeAll(async () => {
    clock = new ManualClock(Date.now());
    moduleRef = await compile({ connection: connection(), schema, clock, purgeIntervalMs: 3_600_000 });
    sms = moduleRef.get(SmsService);
    otp = moduleRef.get(OtpService);
    sandbox = moduleRef.get(THAI_BULK_SMS_SANDBOX);
    ledger = moduleRef.get(MessageLedger);
  }, 30_000);
  afterAll(() => moduleRef?.close());
  beforeEach(() => sandbox.reset());

  it('records a send before it resolves: one row per recipient, local rejects included, text hashed', async () => {
    const result = await sms.send({
      to: ['0812345601', '+66 81 234 5602', 'not-a-phone'],
      message: 'สวัสดี ledger',
      sender: 'Demo',
      tags: ['welcome'],
      reference: 'order-42',
    });
    for (const { messageId, phone } of result.accepted) {
      const found = await ledger.findMessage(messageId);
      expect(found).toMatchObject({ messageId, phone, status: 'accepted', tags: ['welcome'], reference: 'order-42' });
      expect(found!.text).toEqual({ sha256: sha256('สวัสดี ledger'), length: 13, encoding: 'UCS-2', parts: 1 });
    }
    const page = await ledger.searchMessages({ tag: 'welcome', status: 'rejected' });
    expect(page.items).toMatchObject([{ phone: 'not-a-phone', status: 'rejected', errorName: 'ERROR_MSISDN' }]);
  });

  it('records every chunk of a bulk send, each message id once', async () => {
    const numbers = Array.from({ length: 1_200 }, (_, i) => `089${String(1_000_000 + i)}`);
    const result = await sms.sendBulk({ to: numbers, message: 'bulk', tags: ['bulk-spec'] });
    expect(result.acceptedCount).toBe(1_200);
    const ids = new Set<string>();
    let cursor: string | undefined;
    do {
      const page = await ledger.searchMessages({ tag: 'bulk-spec', limit: 200, cursor });
      for (const item of page.items) ids.add(item.messageId!);
      cursor = page.nextCursor;
    } while (cursor);
    expect(ids).toEqual(new Set(sandbox.messages().map((message) => message.messageId)));
  });

  it('has every row of a bulk send stored when sendBulk resolves, each message id exactly once', async () => {
    // Many chunks at once: their writes run beside the next requests and share statements.
    const numbers = Array.from({ length: 12 * 500 }, (_, i) => `088${String(2_000_000 + i)}`);
    const result = await sms.sendBulk({ to: numbers, message: 'bulk once', summaryOnly: true });
    expect(result.acceptedCount).toBe(numbers.length);
    const { db } = moduleRef.get<LedgerStore, PostgresLedgerStore>(LedgerStore).database;
    const issued = sandbox.messages().map((message) => message.messageId);
    const { rows } = await sql<{ message_id: string; n: number }>`
      select message_id, count(*)::int as n from ${sql.id(schema, 'message')}
      where message_id = any(${issued}::text[]) group by message_id`.execute(db);
    expect(rows).toHaveLength(issued.length);
    expect(rows.filter((row) => Number(row.n) !== 1)).toEqual([]);
    expect(ledger.stats()).toMatchObject({ state: 'up', buffered: 0 });
  });

  it('records a request that may have gone out as unknown, and one the vendor refused as rejected', async () => {
    sandbox.inject({ kind: 'hang' });
    await expect(sms.send({ to: '0812345603', message: 'hi' })).rejects.toBeInstanceOf(ThaiBulkSmsError);
    sandbox.failNext('ERROR_CREDIT_NOT_ENOUGH');
    await expect(sms.send({ to: '0812345604', message: 'hi' })).rejects.toBeInstanceOf(ThaiBulkSmsError);
    expect((await ledger.searchMessages({ phone: '0812345603' })).items).toMatchObject([
      { status: 'unknown', errorName: 'ERROR_UPSTREAM_TIMEOUT' },
    ]);
    expect((await ledger.searchMessages({ phone: '0812345604' })).items).toMatchObject([
      { status: 'rejected', errorName: 'ERROR_CREDIT_NOT_ENOUGH' },
    ]);
  });

  it('records OTP requests and their verifies by the token hash; never the token or the PIN', async () => {
    const { token, refno } = await otp.request('081-234-5605');
    const pin = sandbox.lastOtp()!.pin;
    await expect(otp.verify(token, pin === '000000' ? '111111' : '000000')).rejects.toBeInstanceOf(OtpCodeInvalidError);
    await otp.verify(token, pin);
    expect(await ledger.findOtps('0812345605')).toMatchObject([
      { phone: '66812345605', refno, status: 'verified', failedAttempts: 1 },
    ]);
    const store = moduleRef.get<LedgerStore, PostgresLedgerStore>(LedgerStore);
    const { rows } = await sql<{ row: string }>`select t::text as row from ${sql.id(schema, 'otp')} t`.execute(
      store.database.db,
    );
    expect(rows.some((row) => row.row.includes(token) || row.row.includes(pin))).toBe(false);
  });

  it('applies delivery reports out of order and twice; keeps and counts unknown ones', async () => {
    const { accepted } = await sms.send({ to: '0812345606', message: 'dlr' });
    const messageId = accepted[0].messageId;
    const receiver = moduleRef.get(DeliveryReportReceiver);
    const before = ledger.stats().unknownReports;
    await receiver.receive({ message_id: messageId, status: 'DELIVRD', time: '2030-01-01T00:00:05Z' });
    await receiver.receive({ message_id: messageId, status: 'ENROUTE', time: '2030-01-01T00:00:01Z' });
    await receiver.receive({ message_id: messageId, status: 'DELIVRD', time: '2030-01-01T00:00:05Z' });
    await receiver.receive({ message_id: 'never-sent', status: 'DELIVRD' });
    const found = await ledger.findMessage(messageId);
    expect(found!.status).toBe('delivered');
    expect(found!.events.map((event) => event.status)).toEqual(['accepted', 'other', 'delivered']);
    expect(ledger.stats().unknownReports).toBe(before + 1);
    expect(await ledger.unknownReports()).toBeGreaterThanOrEqual(1);
  });

  it('erases a number in any Thai form, and nothing of it is found afterwards', async () => {
    const { accepted } = await sms.send({ to: ['0812345607', '0812345608'], message: 'erase me' });
    await otp.request('0812345607');
    const erased = await ledger.erase('+66-81-234-5607');
    expect(erased).toMatchObject({ messages: 1, otps: 1 });
    expect((await ledger.searchMessages({ phone: '66812345607' })).items).toEqual([]);
    expect(await ledger.findOtps('0812345607')).toEqual([]);
    expect(await ledger.findMessage(accepted.find((a) => a.phone === '66812345607')!.messageId)).toBeUndefined();
    expect((await ledger.searchMessages({ phone: '0812345608' })).items).toHaveLength(1);
  });

  it('purges on its own on the injected clock once records are older than retentionDays', async () => {
    const { accepted } = await sms.send({ to: '0812345609', message: 'old' });
    expect(await ledger.findMessage(accepted[0].messageId)).toBeDefined();
    await settle(() => clock.waiting === 1); // the purge loop is asleep
    clock.advance(91 * DAY_MS);
    // Woken, it purged, and went back to sleep.
    await settle(() => clock.waiting === 1);
    expect(await ledger.findMessage(accepted[0].messageId)).toBeUndefined();
    const again = await ledger.purge();
    expect(again).toEqual({
      beforeDay: addDays(bangkokDay(clock.now()), -90),
      partitionsDropped: 0,
      unknownReports: 0,
    });
  });

  it('reports its health, and a delivery report and daily series from the rows', async () => {
    expect(await moduleRef.get(LedgerHealthIndicator).isHealthy()).toMatchObject({
      ledger: { status: 'up', state: 'up', buffered: 0, overflowed: 0 },
    });
    const series = await ledger.dailySeries(14);
    expect(series).toHaveLength(14);
    expect(series[13].day).toBe(bangkokDay(clock.now()));
    const report = await ledger.deliveryReport({
      from: new Date(clock.now() - 30 * DAY_MS),
      to: new Date(clock.now() + DAY_MS),
      groupBy: 'sender',
    });
    expect(report.groupBy).toBe('sender');
  });

  it('keeps the whole text only with messageText: full', async () => {
    const full = await compile({ connection: connection(), schema, messageText: 'full', purgeIntervalMs: 0 });
    try {
      const { accepted } = await full.get(SmsService).send({ to: '0812345610', message: 'keep me whole' });
      const found = await full.get(MessageLedger).findMessage(accepted[0].messageId);
      expect(found!.text.full).toBe('keep me whole');
    } finally {
      await full.close();
    }
  }, 30_000);
}

describeWithPostgres('ThaiBulkSmsLedgerModule on PostgreSQL, through the real services and the sandbox', () => {
  const schema = uniqueSchema('module');
  afterAll(() => dropSchema(schema));
  ledgerModuleSpecs(() => ({ url: testDatabaseUrl(), poolSize: 4 }), schema);
});

describe('ThaiBulkSmsLedgerModule on embedded PGlite, through the real services and the sandbox', () => {
  ledgerModuleSpecs(() => ({ dataDir: 'memory' }), 'sms_ledger');
});
