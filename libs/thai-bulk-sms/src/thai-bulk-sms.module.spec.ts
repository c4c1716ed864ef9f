import { Injectable, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import { ThaiBulkSmsTransport } from './transport/thai-bulk-sms.transport';
import { CreditService } from './sms/credit.service';
import { OtpService } from './otp/otp.service';
import { SmsService } from './sms/sms.service';
import { ThaiBulkSmsModule } from './thai-bulk-sms.module';
import {
  getCreditServiceToken,
  getOtpServiceToken,
  getSmsServiceToken,
  InjectOtpService,
  InjectSmsService,
} from './thai-bulk-sms.decorators';
import { ThaiBulkSmsModuleOptions } from './thai-bulk-sms.options';
import { THAI_BULK_SMS_RESOLVED_OPTIONS } from './thai-bulk-sms.tokens';

const SECRET = 'very-secret-api-secret';
const options: ThaiBulkSmsModuleOptions = { apiKey: 'key', apiSecret: SECRET, baseUrl: 'http://127.0.0.1:9' };

class OptionsFactory {
  createThaiBulkSmsOptions(): ThaiBulkSmsModuleOptions {
    return { ...options, timeoutMs: 1234 };
  }
}

@Module({ providers: [OptionsFactory], exports: [OptionsFactory] })
class OptionsModule {}

async function compile(imports: unknown[]) {
  const moduleRef = await Test.createTestingModule({ imports: imports as never[] }).compile();
  return moduleRef;
}

describe('ThaiBulkSmsModule registration', () => {
  it('forRoot provides the services by class', async () => {
    const moduleRef = await compile([ThaiBulkSmsModule.forRoot(options)]);
    expect(moduleRef.get(SmsService)).toBeInstanceOf(SmsService);
    expect(moduleRef.get(OtpService)).toBeInstanceOf(OtpService);
    expect(moduleRef.get(CreditService)).toBeInstanceOf(CreditService);
    expect(moduleRef.get(ThaiBulkSmsTransport)).toBeDefined();
    expect(moduleRef.get(THAI_BULK_SMS_RESOLVED_OPTIONS).maxTps).toBe(120);
    await moduleRef.close();
  });

  it('forRootAsync with useFactory + inject reads ConfigService', async () => {
    const moduleRef = await compile([
      ThaiBulkSmsModule.forRootAsync({
        imports: [
          ConfigModule.forRoot({
            ignoreEnvFile: true,
            load: [() => ({ THAIBULKSMS_API_KEY: 'k', THAIBULKSMS_API_SECRET: 's', THAIBULKSMS_MAX_TPS: 50 })],
          }),
        ],
        inject: [ConfigService],
        useFactory: (config: ConfigService) => ({
          apiKey: config.getOrThrow<string>('THAIBULKSMS_API_KEY'),
          apiSecret: config.getOrThrow<string>('THAIBULKSMS_API_SECRET'),
          maxTps: config.get<number>('THAIBULKSMS_MAX_TPS'),
        }),
      }),
    ]);
    expect(moduleRef.get(THAI_BULK_SMS_RESOLVED_OPTIONS)).toMatchObject({ apiKey: 'k', maxTps: 50 });
    expect(moduleRef.get(SmsService)).toBeInstanceOf(SmsService);
    await moduleRef.close();
  });

  it('forRootAsync with useClass calls createThaiBulkSmsOptions', async () => {
    const moduleRef = await compile([ThaiBulkSmsModule.forRootAsync({ useClass: OptionsFactory })]);
    expect(moduleRef.get(THAI_BULK_SMS_RESOLVED_OPTIONS).timeoutMs).toBe(1234);
    await moduleRef.close();
  });

  it('forRootAsync with useExisting reuses a provider of another module', async () => {
    const moduleRef = await compile([
      ThaiBulkSmsModule.forRootAsync({ imports: [OptionsModule], useExisting: OptionsFactory }),
    ]);
    expect(moduleRef.get(THAI_BULK_SMS_RESOLVED_OPTIONS).timeoutMs).toBe(1234);
    await moduleRef.close();
  });

  it('isGlobal (read from the top level) makes the services injectable in other modules', async () => {
    @Injectable()
    class Consumer {
      constructor(readonly sms: SmsService) {}
    }
    @Module({ providers: [Consumer] })
    class FeatureModule {}

    const moduleRef = await compile([
      ThaiBulkSmsModule.forRootAsync({ isGlobal: true, useFactory: () => options }),
      FeatureModule,
    ]);
    expect(moduleRef.get(Consumer).sms).toBeInstanceOf(SmsService);
    await moduleRef.close();

    await expect(compile([ThaiBulkSmsModule.forRoot(options), FeatureModule])).rejects.toThrow(/SmsService/);
  });

  it('refuses bad options at bootstrap, naming the field and never echoing a secret', async () => {
    await expect(compile([ThaiBulkSmsModule.forRoot({ ...options, timeoutMs: -5 })])).rejects.toThrow(/"timeoutMs"/);
    await expect(compile([ThaiBulkSmsModule.forRootAsync({ useFactory: () => ({ apiKey: 'key' }) })])).rejects.toThrow(
      /"apiSecret"/,
    );
    const failure = await compile([ThaiBulkSmsModule.forRoot({ apiSecret: SECRET })]).catch((error: Error) => error);
    expect(String((failure as Error).message)).toContain('"apiKey"');
    expect(JSON.stringify({ message: (failure as Error).message, stack: (failure as Error).stack })).not.toContain(
      SECRET,
    );
  });

  it.each([
    ['isGlobal', { isGlobal: true }],
    ['name', { name: 'marketing' }],
  ])('refuses %s returned from useFactory (it belongs at the top level), naming it', async (key, extra) => {
    const failure = await compile([
      ThaiBulkSmsModule.forRootAsync({ useFactory: () => ({ ...options, ...extra }) }),
    ]).catch((error: Error) => error);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toContain(`"${key}"`);
    expect((failure as Error).message).toMatch(/top level of forRootAsync/);
  });

  it('refuses a misspelt option instead of silently keeping the default', async () => {
    const typo = { ...options, timeoutMS: 500 } as ThaiBulkSmsModuleOptions;
    await expect(compile([ThaiBulkSmsModule.forRoot(typo)])).rejects.toThrow(/"timeoutMS".*did you mean "timeoutMs"/);
  });

  it('supports named registrations side by side, injected by decorator', async () => {
    @Injectable()
    class Notifier {
      constructor(
        readonly sms: SmsService,
        @InjectSmsService('marketing') readonly marketing: SmsService,
        @InjectOtpService('otp') readonly otp: OtpService,
      ) {}
    }
    const moduleRef = await compile([
      ThaiBulkSmsModule.forRoot({ ...options, isGlobal: true }),
      ThaiBulkSmsModule.forRoot({ apiKey: 'mk', apiSecret: 'ms', name: 'marketing', isGlobal: true, maxTps: 10 }),
      ThaiBulkSmsModule.forRootAsync({
        name: 'otp',
        isGlobal: true,
        useFactory: () => ({ otpKey: 'ok', otpSecret: 'os' }),
      }),
      { module: class NotifierModule {}, providers: [Notifier] },
    ]);
    const notifier = moduleRef.get(Notifier);
    expect(notifier.sms).toBeInstanceOf(SmsService);
    expect(notifier.marketing).toBeInstanceOf(SmsService);
    expect(notifier.marketing).not.toBe(notifier.sms);
    expect(notifier.otp).toBeInstanceOf(OtpService);
    expect(moduleRef.get(getCreditServiceToken('marketing'))).toBeInstanceOf(CreditService);
    expect(getSmsServiceToken()).toBe(SmsService);
    expect(getOtpServiceToken('otp')).toBe('ThaiBulkSms:otp:OtpService');
    await moduleRef.close();
  });

  it('lets a consumer swap the transport', async () => {
    class RecordingTransport extends ThaiBulkSmsTransport {
      calls: string[] = [];
      async postForm(request: { url: string }) {
        this.calls.push(request.url);
        return {
          status: 201,
          json: true,
          body: {
            remaining_credit: 1,
            total_use_credit: 1,
            credit_type: 'standard',
            phone_number_list: [{ number: '66812345678', message_id: 'm1', used_credit: 1 }],
            bad_phone_number_list: [],
          },
        };
      }
      async getJson() {
        return { status: 200, json: true, body: { remaining_credit: { standard: 5, corporate: 6 } } };
      }
      async postJson() {
        return { status: 200, json: true, body: { status: 'success', token: 't', refno: 'r' } };
      }
    }
    const moduleRef = await compile([ThaiBulkSmsModule.forRoot({ ...options, transport: RecordingTransport })]);
    const result = await moduleRef.get(SmsService).send({ to: '0812345678', message: 'hi' });
    expect(result.accepted[0].messageId).toBe('m1');
    expect(moduleRef.get<ThaiBulkSmsTransport, RecordingTransport>(ThaiBulkSmsTransport).calls).toEqual([
      'http://127.0.0.1:9/sms',
    ]);
    expect(await moduleRef.get(CreditService).getCredit()).toEqual({ standard: 5, corporate: 6 });
    await moduleRef.close();
  });
});
