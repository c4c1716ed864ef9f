import { DynamicModule, Inject, Injectable, Logger, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { LinkNotRegisteredError } from '../errors';
import { SmsService } from '../sms/sms.service';
import { THAI_BULK_SMS_SANDBOX, ThaiBulkSmsTestingModule } from '../testing';
import { ThaiBulkSmsSandbox } from '../sandbox';
import { rejectionOf, requestCount } from '../testing/spec-helpers.test-util';
import { InMemorySuppressionList } from './in-memory-suppression-list';
import { MessageCategory } from './message-category';
import { SuppressionList } from './suppression-list';
import {
  ComplianceCheckContext,
  ComplianceCheckedFields,
  RecipientScreen,
  ThaiBulkSmsCompliancePolicy,
} from './thai-bulk-sms-compliance.policy';
import { ThaiBulkSmsComplianceModule } from './thai-bulk-sms-compliance.module';
import { ThaiBulkSmsComplianceOptions } from './thai-bulk-sms-compliance.options';
import { ThaiBulkSmsComplianceOptionsError } from '../errors/options.errors';
import { THAI_BULK_SMS_COMPLIANCE_RESOLVED_OPTIONS } from './thai-bulk-sms-compliance.tokens';

const strictLinks = { mode: 'strict', allowedLinkHosts: ['example.co.th'] } as const;

/** Compiles and inits the sandbox-backed library with `compliance` (a module or none). */
async function start(compliance?: DynamicModule) {
  const moduleRef = await Test.createTestingModule({
    imports: [ThaiBulkSmsTestingModule.forRoot(), ...(compliance ? [compliance] : [])],
  }).compile();
  await moduleRef.init();
  return moduleRef;
}

@Injectable()
class ComplianceConfig {
  createThaiBulkSmsComplianceOptions(): ThaiBulkSmsComplianceOptions {
    return strictLinks;
  }
}

@Module({ providers: [ComplianceConfig], exports: [ComplianceConfig] })
class ConfigModule {}

describe('ThaiBulkSmsComplianceModule registration', () => {
  it.each([
    ['forRoot', () => ThaiBulkSmsComplianceModule.forRoot(strictLinks)],
    [
      'forRootAsync with useFactory and inject',
      () =>
        ThaiBulkSmsComplianceModule.forRootAsync({
          imports: [ConfigModule],
          inject: [ComplianceConfig],
          useFactory: (config: ComplianceConfig) => config.createThaiBulkSmsComplianceOptions(),
        }),
    ],
    ['forRootAsync with useClass', () => ThaiBulkSmsComplianceModule.forRootAsync({ useClass: ComplianceConfig })],
    [
      'forRootAsync with useExisting',
      () => ThaiBulkSmsComplianceModule.forRootAsync({ imports: [ConfigModule], useExisting: ComplianceConfig }),
    ],
  ])('%s: every registration checks its sends with it (it is global)', async (_, compliance) => {
    const moduleRef = await start(compliance());
    try {
      const error = await rejectionOf(moduleRef.get(SmsService).send({ to: '0812345678', message: 'evil.com' }));
      expect(error).toBeInstanceOf(LinkNotRegisteredError);
      expect(moduleRef.get(SuppressionList)).toBeInstanceOf(InMemorySuppressionList);
      expect(requestCount(moduleRef.get<ThaiBulkSmsSandbox>(THAI_BULK_SMS_SANDBOX), '/sms')).toBe(0);
    } finally {
      await moduleRef.close();
    }
  });

  it('uses the store given as suppressionList', async () => {
    const store = new InMemorySuppressionList();
    const moduleRef = await start(ThaiBulkSmsComplianceModule.forRoot({ suppressionList: store }));
    try {
      expect(moduleRef.get(SuppressionList)).toBe(store);
    } finally {
      await moduleRef.close();
    }
  });

  it('takes a policy of your own (the policy extra), built by Nest with the resolved options', async () => {
    @Injectable()
    class EverythingGoes extends ThaiBulkSmsCompliancePolicy {
      readonly seen: MessageCategory[] = [];
      constructor(@Inject(THAI_BULK_SMS_COMPLIANCE_RESOLVED_OPTIONS) readonly options: { mode: string }) {
        super();
      }
      checkSend<T extends ComplianceCheckedFields>(send: T, category: MessageCategory, _: ComplianceCheckContext): T {
        this.seen.push(category);
        return { ...send, message: `${send.message} [checked]` };
      }
      recipientScreen(): RecipientScreen | undefined {
        return undefined;
      }
      messageFor(message: string): string {
        return message;
      }
    }
    const moduleRef = await start(ThaiBulkSmsComplianceModule.forRoot({ ...strictLinks, policy: EverythingGoes }));
    try {
      await moduleRef.get(SmsService).send({ to: '0812345678', message: 'evil.com', category: 'marketing' });
      const policy = moduleRef.get<ThaiBulkSmsCompliancePolicy, EverythingGoes>(ThaiBulkSmsCompliancePolicy);
      expect(policy).toBeInstanceOf(EverythingGoes);
      expect(policy.options.mode).toBe('strict');
      expect(policy.seen).toEqual(['marketing']);
      expect(moduleRef.get<ThaiBulkSmsSandbox>(THAI_BULK_SMS_SANDBOX).lastMessage()?.message).toBe(
        'evil.com [checked]',
      );
    } finally {
      await moduleRef.close();
    }
  });

  it.each([
    [{ mode: 'loose' }, 'mode', "must be 'strict', 'warn' or 'off'"],
    [{ allowedLinkHost: ['example.co.th'] }, 'allowedLinkHost', 'unknown option'],
    [{ allowedLinkHosts: 'example.co.th' }, 'allowedLinkHosts', 'must be an array'],
    [{ allowedLinkHosts: ['https://example.co.th/promo'] }, 'allowedLinkHosts', 'without scheme, path or port'],
    [{ allowedLinkHosts: ['bit.ly'] }, 'allowedLinkHosts', 'URL shortener'],
    [{ shortenerHosts: ['*.bit.ly'] }, 'shortenerHosts', 'host name'],
    [{ optOutText: '' }, 'optOutText', 'non-empty string'],
    [{ optOutText: 'Opt out at evil.com/stop' }, 'optOutText', 'not in allowedLinkHosts'],
    [{ appendOptOutText: 'yes' }, 'appendOptOutText', 'boolean'],
    [{ marketingHours: { start: '9:00' } }, 'marketingHours.start', 'HH:mm'],
    [{ marketingHours: { start: '21:00', end: '09:00' } }, 'marketingHours', 'start must be before end'],
    [{ marketingHours: { from: '09:00' } }, 'marketingHours.from', 'unknown option'],
    [{ suppressionList: new Map() }, 'suppressionList', 'must be a SuppressionList'],
  ])('refuses %j at bootstrap, naming the field', async (options, field, reason) => {
    // Alone: a failed compile must leave no sandbox server behind.
    const error = await Test.createTestingModule({
      imports: [ThaiBulkSmsComplianceModule.forRoot(options as ThaiBulkSmsComplianceOptions)],
    })
      .compile()
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ThaiBulkSmsComplianceOptionsError);
    expect(error).toMatchObject({ field });
    expect((error as Error).message).toContain(reason);
  });
});

describe('without ThaiBulkSmsComplianceModule', () => {
  it('each registration checks in warn mode with no opt-out list: logs, sends, drops nobody', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const moduleRef = await start();
    try {
      const sms = moduleRef.get(SmsService);
      const result = await sms.send({ to: '0812345678', message: 'see evil.com', category: 'marketing' });
      expect(result.accepted).toHaveLength(1);
      const lines = warn.mock.calls.map(([line]) => String(line)).filter((line) => line.includes('compliance'));
      expect(lines.some((line) => line.includes('LINK_NOT_REGISTERED'))).toBe(true);
      expect(lines.join('\n')).not.toContain('evil.com');
      expect(() => moduleRef.get(SuppressionList)).toThrow();
    } finally {
      warn.mockRestore();
      await moduleRef.close();
    }
  });
});
