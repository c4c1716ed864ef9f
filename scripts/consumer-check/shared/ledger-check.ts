import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { SmsService } from 'nestjs-thaibulksms';
import { ThaiBulkSmsTestingModule } from 'nestjs-thaibulksms/testing';
import { MessageLedger, ThaiBulkSmsLedgerModule } from 'nestjs-thaibulksms/ledger';

/**
 * The `nestjs-thaibulksms/ledger` subpath, as a consumer registers it with no database server:
 * embedded PGlite in memory (in its worker thread), migrations applied at start, a send recorded
 * before it resolves and found by its message id, then erased.
 */
export async function checkLedger(check: (condition: unknown, what: string) => asserts condition): Promise<void> {
  @Module({
    imports: [
      ThaiBulkSmsTestingModule.forRoot(),
      ThaiBulkSmsLedgerModule.forRoot({ connection: { dataDir: 'memory' } }),
    ],
  })
  class LedgerAppModule {}

  const app = await NestFactory.createApplicationContext(LedgerAppModule, { logger: ['error', 'warn'] });
  try {
    const { accepted } = await app.get(SmsService).send({ to: '0812345678', message: 'recorded from the tarball' });
    const ledger = app.get(MessageLedger);
    const found = await ledger.findMessage(accepted[0].messageId);
    check(
      found?.status === 'accepted' && found.phone === '66812345678',
      `the ledger recorded the send: ${found?.status}`,
    );
    const erased = await ledger.erase('081-234-5678');
    check(erased.messages === 1, `erase removed it: ${JSON.stringify(erased)}`);
  } finally {
    await app.close();
  }
}
