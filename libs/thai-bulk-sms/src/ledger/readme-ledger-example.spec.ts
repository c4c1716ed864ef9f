// The "Message ledger" example of the library README, run as written (readme-example-sync checks
// the README block is exactly this code from its first import, with the published package name).
import { Module } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { SmsService } from '@app/thai-bulk-sms';
import { ThaiBulkSmsTestingModule } from '@app/thai-bulk-sms/testing';
import { MessageLedger, ThaiBulkSmsLedgerModule } from '@app/thai-bulk-sms/ledger';

@Module({
  imports: [
    ThaiBulkSmsTestingModule.forRoot(), // or ThaiBulkSmsModule.forRoot({ apiKey, apiSecret, ... })
    ThaiBulkSmsLedgerModule.forRoot({
      // A PostgreSQL server when DATABASE_URL is set; else embedded PGlite ('memory', or a folder).
      connection: process.env.DATABASE_URL ? { url: process.env.DATABASE_URL } : { dataDir: 'memory' },
      schema: 'readme_example',
      retentionDays: 90, // state it in your privacy notice
    }),
  ],
})
class AppModule {}

let app: TestingModule | undefined;
afterAll(() => app?.close()); // also when a start failed half-way (the database unreachable, say)

it('records a send, finds it, reports on it and erases the number', async () => {
  app = await Test.createTestingModule({ imports: [AppModule] }).compile();
  await app.init();
  const sms = app.get(SmsService);
  const ledger = app.get(MessageLedger);

  const { accepted } = await sms.send({ to: '081-234-5678', message: 'Your parcel is on its way', tags: ['parcel'] });
  const message = await ledger.findMessage(accepted[0].messageId); // written before send resolved
  expect(message).toMatchObject({ phone: '66812345678', status: 'accepted', tags: ['parcel'] });

  const page = await ledger.searchMessages({ phone: '0812345678', limit: 20 });
  expect(page.items[0].messageId).toBe(accepted[0].messageId);
  const series = await ledger.dailySeries(14); // sent / delivered / failed per day, for a chart
  expect(series).toHaveLength(14);

  expect(await ledger.erase('+66 81 234 5678')).toMatchObject({ messages: 1, otps: 0 });
}, 30_000);
