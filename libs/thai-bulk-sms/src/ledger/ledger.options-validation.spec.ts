import { Test } from '@nestjs/testing';
import { SystemClock } from '../client/clock';
import { ThaiBulkSmsLedgerOptionsError } from '../errors/options.errors';
import { ledgerMigrationSql } from './ledger.migrations';
import { LEDGER_OPTION_DEFAULTS } from './ledger.options';
import { resolveLedgerOptions } from './ledger.options-validation';
import { ThaiBulkSmsLedgerModule } from './thai-bulk-sms-ledger.module';

describe('resolveLedgerOptions', () => {
  it('fills in the documented defaults', () => {
    expect(resolveLedgerOptions({})).toEqual({ ...LEDGER_OPTION_DEFAULTS, clock: undefined });
    expect(LEDGER_OPTION_DEFAULTS).toMatchObject({
      connection: { dataDir: '.data/ledger' },
      messageText: 'hash',
      retentionDays: 90,
      migrations: true,
    });
  });

  it.each([
    [{ messageText: 'plain' }, 'messageText'],
    [{ retentionDays: 0 }, 'retentionDays'],
    [{ retentionDays: 1.5 }, 'retentionDays'],
    [{ bufferSize: -1 }, 'bufferSize'],
    [{ writeTimeoutMs: 10 }, 'writeTimeoutMs'],
    [{ schema: 'Bad-Name' }, 'schema'],
    [{ schema: 'x; drop table y' }, 'schema'],
    [{ migrations: 'yes' }, 'migrations'],
    [{ clock: { now: () => 0 } }, 'clock'],
    [{ connection: {} }, 'connection'],
    [{ connection: { url: 'postgres://a', dataDir: 'x' } }, 'connection'],
    [{ connection: { url: 'mysql://u:p@h/db' } }, 'connection.url'],
    [{ connection: { url: 'postgres://u:p@h/db', poolSize: 0 } }, 'connection.poolSize'],
    [{ connection: { pool: {} } }, 'connection.pool'],
    [{ connection: { dataDir: '' } }, 'connection.dataDir'],
    [{ isGlobal: true }, 'isGlobal'],
    [{ retention: 30 }, 'retention'],
  ])('refuses %j naming %s', (options, field) => {
    let thrown: unknown;
    try {
      resolveLedgerOptions(options as never);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ThaiBulkSmsLedgerOptionsError);
    expect((thrown as ThaiBulkSmsLedgerOptionsError).field).toBe(field);
  });

  it('never quotes a database URL back (it carries the password)', () => {
    expect(() => resolveLedgerOptions({ connection: { url: 'mysql://user:s3cret@db/x' } })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('s3cret') as string }),
    );
  });

  it('takes a clock', () => {
    const clock = new SystemClock();
    expect(resolveLedgerOptions({ clock }).clock).toBe(clock);
  });

  it('fails the module at start, before any connection opens', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [ThaiBulkSmsLedgerModule.forRoot({ retentionDays: -3 })],
    })
      .compile()
      .catch((error: unknown) => error);
    expect(moduleRef).toBeInstanceOf(ThaiBulkSmsLedgerOptionsError);
  });

  it("checks what forRootAsync's factory returns the same way", async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [ThaiBulkSmsLedgerModule.forRootAsync({ useFactory: () => ({ messageText: 'plain' as never }) })],
    })
      .compile()
      .catch((error: unknown) => error);
    expect(moduleRef).toMatchObject({ field: 'messageText' });
  });
});

describe('ledgerMigrationSql', () => {
  it('is the whole schema as a script for teams that migrate themselves', () => {
    const script = ledgerMigrationSql('audit');
    expect(script).toContain('create schema if not exists "audit";');
    expect(script).toContain('create table "audit".message (');
    expect(script).toContain('partition by range (created_at);');
  });
});
