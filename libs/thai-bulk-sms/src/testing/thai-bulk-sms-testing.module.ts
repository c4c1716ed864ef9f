import { DynamicModule, Inject, Injectable, Module, OnModuleDestroy } from '@nestjs/common';
import { ThaiBulkSmsSandbox } from '../sandbox';
import { SandboxOptions } from '../sandbox/sandbox.types';
import { ThaiBulkSmsModule } from '../thai-bulk-sms.module';
import { ThaiBulkSmsModuleOptions } from '../thai-bulk-sms.options';

/** The running sandbox of a ThaiBulkSmsTestingModule; also injectable as the ThaiBulkSmsSandbox class. */
export const THAI_BULK_SMS_SANDBOX = 'THAI_BULK_SMS_SANDBOX';
const SANDBOX_OPTIONS = 'THAI_BULK_SMS_TESTING_SANDBOX_OPTIONS';
const MODULE_OVERRIDES = 'THAI_BULK_SMS_TESTING_MODULE_OVERRIDES';

export interface ThaiBulkSmsTestingModuleOptions {
  /** Passed to ThaiBulkSmsSandbox.start; the port is always 0 (a free one). */
  readonly sandbox?: Omit<SandboxOptions, 'port'>;
  /** Overrides for the real module's options (credentials and URLs come from the sandbox). */
  readonly options?: Partial<ThaiBulkSmsModuleOptions>;
  /** @default true */
  readonly isGlobal?: boolean;
}

@Injectable()
class SandboxCloser implements OnModuleDestroy {
  constructor(@Inject(THAI_BULK_SMS_SANDBOX) private readonly sandbox: ThaiBulkSmsSandbox) {}

  onModuleDestroy(): Promise<void> {
    return this.sandbox.close();
  }
}

@Module({})
class ThaiBulkSmsSandboxHostModule {}

/**
 * The real ThaiBulkSmsModule wired to an in-process sandbox on a free port, for consumers' own
 * tests. The sandbox is injectable (`@Inject(THAI_BULK_SMS_SANDBOX)` or by its class) to look at
 * what was sent, inject faults or read the OTP PIN; it closes with the testing module. The rate
 * limit is off (`maxTps: 0`) unless `options.maxTps` says otherwise.
 */
@Module({})
export class ThaiBulkSmsTestingModule {
  static forRoot(config: ThaiBulkSmsTestingModuleOptions = {}): DynamicModule {
    // Options travel as a value, not in a closure, so two configurations never hash alike.
    const host: DynamicModule = {
      module: ThaiBulkSmsSandboxHostModule,
      providers: [
        { provide: SANDBOX_OPTIONS, useValue: config.sandbox ?? {} },
        { provide: MODULE_OVERRIDES, useValue: config.options ?? {} },
        {
          provide: THAI_BULK_SMS_SANDBOX,
          // Unref'd: when an app's start fails, Nest runs no shutdown hook, and an open sandbox would
          // keep the test runner from exiting.
          useFactory: async (sandboxOptions: SandboxOptions) =>
            (await ThaiBulkSmsSandbox.start({ ...sandboxOptions, port: 0 })).unref(),
          inject: [SANDBOX_OPTIONS],
        },
        { provide: ThaiBulkSmsSandbox, useExisting: THAI_BULK_SMS_SANDBOX },
        SandboxCloser,
      ],
      exports: [THAI_BULK_SMS_SANDBOX, ThaiBulkSmsSandbox, MODULE_OVERRIDES],
    };
    return {
      module: ThaiBulkSmsTestingModule,
      global: config.isGlobal ?? true,
      imports: [
        host,
        ThaiBulkSmsModule.forRootAsync({
          imports: [host],
          inject: [THAI_BULK_SMS_SANDBOX, MODULE_OVERRIDES],
          useFactory: (
            sandbox: ThaiBulkSmsSandbox,
            overrides: Partial<ThaiBulkSmsModuleOptions>,
          ): ThaiBulkSmsModuleOptions => ({
            ...sandbox.credentials,
            baseUrl: sandbox.url,
            otpBaseUrl: sandbox.url,
            maxTps: 0,
            ...overrides,
          }),
        }),
      ],
      exports: [host, ThaiBulkSmsModule],
    };
  }
}
