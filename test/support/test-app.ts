import { INestApplication, LoggerService } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ThaiBulkSmsSandbox } from '@app/thai-bulk-sms/sandbox';
import { ThaiBulkSmsClock } from '@app/thai-bulk-sms';
import { SystemClock } from '@app/thai-bulk-sms/helpers';
import { AppModule } from '../../src/app.module';
import type { AppConfig } from '../../src/config/app-config';
import { loadConfiguration } from '../../src/config/app-config.module';
import type { Env } from '../../src/config/load-app-config';
import { DEV_API_KEY } from '../../src/config/namespaces/app.config';
import { configureApp } from '../../src/configure-app';
import { EmbeddedSandbox } from '../../src/sandbox/embedded-sandbox';
import { distinctiveCredentials, instrumentApp, RecordingLogger } from './e2e-capture';

/**
 * Real time plus an offset the test moves: throttling windows, OTP lifetimes and the sandbox all
 * read it, so a test jumps a minute ahead without sleeping, while timers and sockets keep working.
 */
export class TestClock extends SystemClock {
  private offsetMs = 0;

  override now(): number {
    return Date.now() + this.offsetMs;
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }

  /** Jumps to `epochMs` (and runs on from there). */
  set(epochMs: number): void {
    this.offsetMs = epochMs - Date.now();
  }
}

export interface TestApp {
  readonly app: INestApplication;
  /** `app.getHttpServer()`, for supertest. */
  readonly server: any;
  readonly sandbox: ThaiBulkSmsSandbox;
  readonly config: AppConfig;
  readonly clock: TestClock;
  /** The key to send as x-api-key. */
  readonly key: string;
  /** The app's base URL when started with `listen: true`. */
  readonly url?: string;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Environment on top of the test defaults (sandbox mode with distinctive credentials, sandbox on a free port). */
  readonly env?: Env;
  /** Also receives every log line (they are always recorded for the secret scan; `false` = only recorded). */
  readonly logger?: LoggerService | false;
  /** Listen on 127.0.0.1:0 (needed when the sandbox must call the app's webhook). */
  readonly listen?: boolean;
  /**
   * The library's services (SmsService: marketing hours, rate limit) read the test clock too, not
   * only the app's own parts. Off by default: most specs move the clock for the OTP limits alone.
   */
  readonly libraryClock?: boolean;
}

/**
 * Builds exactly the app main.ts runs — same module, same `configureApp` — against its own
 * embedded sandbox on a free port. Never a fixed port, never process.env.
 *
 * Every such app runs with credentials no other text contains, logs through a recording logger
 * and has its answers recorded (test/support/e2e-capture.ts), so the whole e2e suite is scanned
 * for leaked secrets once it has run (issue 6.3; test/support/e2e-global-teardown.ts).
 */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  // The ledger is off unless a spec turns it on: an embedded store costs every app a PGlite start
  // (seconds), which the ~100 apps of the specs that do not read the ledger would pay for nothing.
  const env: Env = { SANDBOX_PORT: '0', LEDGER_ENABLED: 'false', ...distinctiveCredentials(), ...options.env };
  const configuration = await loadConfiguration(env);
  const config = configuration.values;
  const clock = new TestClock();
  const builder = Test.createTestingModule({ imports: [AppModule.forRoot({ configuration, clock })] });
  if (options.libraryClock) builder.overrideProvider(ThaiBulkSmsClock).useValue(clock);
  const moduleRef = await builder.compile();
  const logger = new RecordingLogger(options.logger || undefined);
  const app = moduleRef.createNestApplication({ bodyParser: false, logger });
  instrumentApp(app, config);
  configureApp(app);
  let url: string | undefined;
  if (options.listen) {
    await app.listen(0, '127.0.0.1');
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    const { DeliveryUrlService } = await import('../../src/delivery/delivery-url.service');
    app.get(DeliveryUrlService).setListeningUrl(url);
  } else {
    await app.init();
  }
  const sandbox = app.get(EmbeddedSandbox).sandbox;
  if (!sandbox) throw new Error('createTestApp: the app did not start its sandbox (is THAIBULKSMS_SANDBOX=false?)');
  return {
    app,
    server: app.getHttpServer(),
    sandbox,
    config,
    clock,
    key: config.app.apiKeys[0] ?? DEV_API_KEY,
    url,
    close: () => app.close(),
  };
}

/** Numbers that are valid Thai mobiles, distinct per index. */
export const thaiMobile = (i: number): string => `08${String(10_000_000 + i).padStart(8, '0')}`;
