import { INestApplication, ModuleMetadata } from '@nestjs/common';
import { Test, TestingModule, TestingModuleBuilder } from '@nestjs/testing';
import { TerminusModule } from '@nestjs/terminus';
import { readFileSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import request from 'supertest';
import {
  CreditService,
  OtpService,
  SendSmsResult,
  SmsEstimate,
  SmsService,
  ThaiBulkSmsClock,
} from '@app/thai-bulk-sms';
import { DEFAULT_HEALTH_CACHE_TTL_MS } from '@app/thai-bulk-sms/health/thai-bulk-sms.health';
import { SuppressionList } from '@app/thai-bulk-sms/compliance';
import { ThaiBulkSmsInstrumentation } from '@app/thai-bulk-sms/instrumentation';
import { ThaiBulkSmsTransport } from '@app/thai-bulk-sms/transport';
import { FakeClock } from '@app/thai-bulk-sms/client/fake-clock.test-util';
import { UndiciThaiBulkSmsTransport } from '@app/thai-bulk-sms/undici';
import {
  SANDBOX_DEFAULT_CREDENTIALS,
  SANDBOX_DEFAULT_PORT,
  SandboxOptions,
  ThaiBulkSmsSandbox,
} from '@app/thai-bulk-sms/sandbox';
import { SmsQueue } from '@app/thai-bulk-sms/queue';
import { describeWithRedis, obliterateQueue, testRedisUrl } from '@app/thai-bulk-sms/queue/redis.test-util';
import { THAI_BULK_SMS_SANDBOX, ThaiBulkSmsTestingModule } from '@app/thai-bulk-sms/testing';
import {
  dotenv,
  READMES,
  ReadmeBlock,
  readmeBlocks,
  ROOT,
  tsFileName,
  typeErrors,
  writeTsBlocks,
} from './support/readme-blocks';
import { README_BLOCKS } from './support/readme-registry';

/**
 * Every code block of both READMEs is accounted for (test/support/readme-registry.ts), every
 * TypeScript block type-checks as pasted, and the library README's TypeScript blocks run against
 * the sandbox, each checked against what the README says it does. The root README's shell blocks
 * run in test/readme-app.e2e-spec.ts.
 */

jest.setTimeout(60_000);

const blocks = readmeBlocks();
const written = writeTsBlocks(blocks);
afterAll(() => rmSync(written.dir, { recursive: true, force: true }));

const block = (readme: 'root' | 'lib', section: string, firstLine: string): ReadmeBlock => {
  const found = blocks.find((b) => b.readme === readme && b.section === section && b.code.startsWith(firstLine));
  if (!found) throw new Error(`no block of ${READMES[readme]} under "## ${section}" starting with ${firstLine}`);
  return found;
};
/** Imports a library README TypeScript block from the file it was written to. */
const load = async <T>(section: string, file: string): Promise<T> => {
  const found = blocks.find(
    (b) => b.readme === 'lib' && b.section === section && b.lang === 'ts' && tsFileName(b) === file,
  );
  if (!found) throw new Error(`no ts block ${file} under "## ${section}" of the library README`);
  return (await import(written.files.get(found.key)!)) as T;
};
const packageJson = (path: string) => JSON.parse(readFileSync(join(ROOT, path), 'utf8'));
const fixture = (name: string) => packageJson(`scripts/consumer-check/fixtures/${name}/package.json`);
const major = (range: string | undefined) => /\d+/.exec(range ?? '')?.[0];

/** Sets variables for one runner; the returned function puts the environment back. */
function setEnv(values: Record<string, string>): () => void {
  const before = Object.fromEntries(Object.keys(values).map((k) => [k, process.env[k]]));
  Object.assign(process.env, values);
  return () => {
    for (const [k, v] of Object.entries(before)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}

/** Runs `body` with a sandbox of its own whose URL and credentials are in THAIBULKSMS_* meanwhile. */
async function withSandboxEnv(body: (sandbox: ThaiBulkSmsSandbox) => Promise<void>): Promise<void> {
  const sandbox = await ThaiBulkSmsSandbox.start({ port: 0, maxTps: 0 });
  const restore = setEnv({
    THAIBULKSMS_API_KEY: sandbox.credentials.apiKey,
    THAIBULKSMS_API_SECRET: sandbox.credentials.apiSecret,
    THAIBULKSMS_BASE_URL: sandbox.url,
  });
  try {
    await body(sandbox);
  } finally {
    restore();
    await sandbox.close();
  }
}

/** Compiles and initialises the module, runs `body` with it, and closes it whatever happens. */
async function withModule(builder: TestingModuleBuilder, body: (moduleRef: TestingModule) => Promise<void>) {
  const moduleRef = await builder.compile();
  await moduleRef.init();
  try {
    await body(moduleRef);
  } finally {
    await moduleRef.close();
  }
}

/** A Nest app of `metadata` plus ThaiBulkSmsTestingModule (global), on its own sandbox. */
async function appWithSandbox(
  metadata: ModuleMetadata,
  sandbox: SandboxOptions = {},
  listen = false,
  clock?: ThaiBulkSmsClock,
): Promise<{ app: INestApplication; moduleRef: TestingModule; sandbox: ThaiBulkSmsSandbox; url?: string }> {
  const builder = Test.createTestingModule({
    ...metadata,
    imports: [ThaiBulkSmsTestingModule.forRoot({ isGlobal: true, sandbox }), ...(metadata.imports ?? [])],
  });
  if (clock) builder.overrideProvider(ThaiBulkSmsClock).useValue(clock);
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication({ logger: false });
  if (listen) await app.listen(0, '127.0.0.1');
  else await app.init();
  const url = listen ? (await app.getUrl()).replace('[::1]', '127.0.0.1') : undefined;
  return { app, moduleRef, sandbox: moduleRef.get<ThaiBulkSmsSandbox>(THAI_BULK_SMS_SANDBOX), url };
}

describe('README code blocks', () => {
  it('are each run, checked or excused with a reason, and every entry of the registry is a block', () => {
    const keys = blocks.map((b) => b.key);
    expect(keys.filter((k) => !(k in README_BLOCKS))).toEqual([]);
    expect(Object.keys(README_BLOCKS).filter((k) => !keys.includes(k))).toEqual([]);
    expect(new Set(keys).size).toBe(keys.length);
    // Only shell blocks are run by the app spec, only TypeScript blocks by this one.
    for (const b of blocks) {
      const fate = README_BLOCKS[b.key];
      if ('run' in fate && fate.run === 'library')
        expect({ key: b.key, lang: b.lang }).toEqual({ key: b.key, lang: 'ts' });
      if ('run' in fate && fate.run.startsWith('app'))
        expect({ key: b.key, lang: b.lang }).toEqual({ key: b.key, lang: 'bash' });
    }
    // Every TypeScript block runs somewhere.
    expect(blocks.filter((b) => b.lang === 'ts' && !('run' in README_BLOCKS[b.key])).map((b) => b.key)).toEqual([]);
  });

  it('type-check as pasted, each in the file its first line names, against the library as published', () => {
    expect(typeErrors([...written.files.values()])).toEqual([]);
  });

  it('name, for each runner of this spec, a block it runs', () => {
    const named = new Set(
      Object.values(README_BLOCKS).flatMap((fate) => ('run' in fate && fate.run === 'library' ? [fate.by] : [])),
    );
    expect([...named].sort()).toEqual([...Object.keys(LIBRARY_RUNNERS), 'queue'].sort());
  });
});

describe('library README blocks that are not programs, checked against what runs', () => {
  it('Install: the tarball is the one npm run pack:lib writes', () => {
    const { name, version } = packageJson('libs/thai-bulk-sms/package.json');
    const tarball = `.tmp/pack/${name}-${version}.tgz`;
    expect(block('lib', 'Install', 'git clone').code).toContain(`tarball: ${tarball}`);
    expect(packageJson('package.json').scripts['pack:lib']).toContain('scripts/consumer-check/pack.mjs');
    const pack = readFileSync(join(ROOT, 'scripts/consumer-check/pack.mjs'), 'utf8');
    expect(pack).toContain("path.join(repoRoot, '.tmp', 'pack')");
    expect(pack).toContain('`${pkg.name}-${pkg.version}.tgz`');
    expect(pack).toContain('log(`tarball: ${path.relative(repoRoot, tarball)}`)');
  });

  it('Install: each NestJS major gets the peers its consumer-check app installs, and the tarball', () => {
    const { name, version } = packageJson('libs/thai-bulk-sms/package.json');
    const lines = block('lib', 'Install', '# NestJS 11').code.split('\n');
    const apps: Record<string, string> = { '10': 'nest10-cjs', '11': 'nest11-cjs', '12': 'nest12-esm' };
    const seen: string[] = [];
    lines.forEach((line, i) => {
      const nest = /^# NestJS (\d+)/.exec(line)?.[1];
      if (!nest) return;
      const install = lines[i + 1];
      const deps = fixture(apps[nest]).dependencies as Record<string, string>;
      const pinned = (pkg: string) => new RegExp(`${pkg}@\\^(\\d+)`).exec(install)?.[1];
      expect({ nest, axios: pinned('@nestjs/axios'), config: pinned('@nestjs/config') }).toEqual({
        nest,
        axios: major(deps['@nestjs/axios']),
        config: major(deps['@nestjs/config']),
      });
      expect(install).toContain(`/.tmp/pack/${name}-${version}.tgz`);
      for (const pkg of [' axios ', ' class-validator ', ' class-transformer ']) expect(install).toContain(pkg);
      seen.push(nest);
    });
    expect(seen.sort()).toEqual(['10', '11', '12']);
  });

  it('Testing: the test packages are at the majors the Nest 11 consumer-check app and this repository use', () => {
    const code = block('lib', 'Testing', '# NestJS 11').code;
    const dev = fixture('nest11-cjs').devDependencies as Record<string, string>;
    const ours = packageJson('package.json').devDependencies as Record<string, string>;
    const install = code.split('\n').find((l) => l.startsWith('npm install'))!;
    const at = (pkg: string) => new RegExp(`(?:^|\\s)${pkg.replace('/', '\\/')}@\\^(\\d+)`).exec(install)?.[1];
    expect({
      testing: at('@nestjs/testing'),
      jest: at('jest'),
      tsJest: at('ts-jest'),
      typesJest: at('@types/jest'),
    }).toEqual({
      testing: major(dev['@nestjs/testing']),
      jest: major(dev.jest),
      tsJest: major(dev['ts-jest']),
      typesJest: major(ours['@types/jest']),
    });
  });

  it('Testing: the Jest setup for NestJS 12 is the one the Nest 12 consumer-check app runs its tests with', () => {
    const shown = JSON.parse(block('lib', 'Testing', '{').code);
    const app = fixture('nest12-esm');
    expect(shown).toEqual({ type: app.type, scripts: { test: app.scripts.test }, jest: app.jest });
  });

  it('Message ledger: the packages it installs are optional peers of the library', () => {
    const line = block('lib', 'Message ledger', 'npm install kysely pg').code;
    const lib = packageJson('libs/thai-bulk-sms/package.json');
    for (const name of ['kysely', 'pg', '@electric-sql/pglite']) {
      expect(line).toContain(name);
      expect(lib.peerDependencies[name]).toBeDefined();
      expect(lib.peerDependenciesMeta[name]).toEqual({ optional: true });
    }
  });

  it("Choosing a transport: undici at this repository's major, inside the library's peer range", () => {
    const pinned = /undici@\^(\d+)/.exec(block('lib', 'Choosing a transport', 'npm install undici').code)?.[1];
    const ours = packageJson('package.json');
    expect(pinned).toBe(major({ ...ours.dependencies, ...ours.devDependencies }.undici));
    expect(packageJson('libs/thai-bulk-sms/package.json').peerDependencies.undici).toContain(`^${pinned}.`);
  });

  it(".env: the sandbox's default address and published credentials", () => {
    expect(dotenv(block('lib', 'Quick start', '# .env'))).toEqual({
      THAIBULKSMS_BASE_URL: `http://127.0.0.1:${SANDBOX_DEFAULT_PORT}`,
      THAIBULKSMS_OTP_BASE_URL: `http://127.0.0.1:${SANDBOX_DEFAULT_PORT}`,
      THAIBULKSMS_API_KEY: SANDBOX_DEFAULT_CREDENTIALS.apiKey,
      THAIBULKSMS_API_SECRET: SANDBOX_DEFAULT_CREDENTIALS.apiSecret,
      THAIBULKSMS_OTP_KEY: SANDBOX_DEFAULT_CREDENTIALS.otpKey,
      THAIBULKSMS_OTP_SECRET: SANDBOX_DEFAULT_CREDENTIALS.otpSecret,
    });
  });
});

const DAY_MS = 86_400_000;

/** One runner per group of library README blocks (the `by` of the registry). */
const LIBRARY_RUNNERS: Record<string, () => Promise<void>> = {
  /** The telemetry module on a sandbox, without an SDK: the hook is provided, sends go on as before. */
  telemetry: () =>
    withSandboxEnv(async () => {
      const { TelemetryAppModule } = await load<{ TelemetryAppModule: new () => object }>(
        'Telemetry',
        'telemetry.module.ts',
      );
      await withModule(Test.createTestingModule({ imports: [TelemetryAppModule] }), async (moduleRef) => {
        expect(moduleRef.get(ThaiBulkSmsInstrumentation, { strict: false })).toBeDefined();
        const result = await moduleRef.get(SmsService).send({ to: '0812345678', message: 'hi' });
        expect(result.accepted).toHaveLength(1);
      });
    }),

  /** The Compliance module on a sandbox, at 10:00 in Bangkok (marketing hours): opt-out and opt-out line. */
  compliance: () =>
    withSandboxEnv(async (sandbox) => {
      const { ComplianceAppModule } = await load<{ ComplianceAppModule: new () => object }>(
        'Compliance',
        'compliance.module.ts',
      );
      const { promote } = await load<{
        promote: (sms: SmsService, list: SuppressionList) => Promise<{ estimate: SmsEstimate; result: SendSmsResult }>;
      }>('Compliance', 'promotion.ts');
      const builder = Test.createTestingModule({ imports: [ComplianceAppModule] })
        .overrideProvider(ThaiBulkSmsClock)
        .useValue(new FakeClock(Date.parse('2026-12-08T10:00:00+07:00')));
      await withModule(builder, async (moduleRef) => {
        const { estimate, result } = await promote(moduleRef.get(SmsService), moduleRef.get(SuppressionList));
        expect(result.accepted.map((a) => a.phone)).toEqual(['66898765432']);
        expect(result.rejected).toEqual([{ phone: '66812345678', reason: 'RECIPIENT_OPTED_OUT' }]);
        expect(sandbox.lastMessage()!.message).toBe('Sale today at example.co.th/sale\nไม่รับข่าวสาร ส่ง STOP ไปที่ 4000000');
        expect(estimate).toMatchObject({ encoding: 'UCS-2', recipients: 2 });
      });
    }),

  /** The Quick start as a newcomer runs it: the dev sandbox, the .env, the module, the filter. */
  'quick start': async () => {
    const restorePort = setEnv({ SANDBOX_PORT: '0' }); // 4010 may be taken on a shared machine
    const { devSandbox } = await load<{ devSandbox: Promise<ThaiBulkSmsSandbox> }>('Quick start', 'dev-sandbox.ts');
    const sandbox = await devSandbox;
    restorePort();
    const env = dotenv(block('lib', 'Quick start', '# .env'));
    const restore = setEnv(
      Object.fromEntries(
        Object.entries(env).map(([k, v]) => [
          k,
          v.replace(`:${SANDBOX_DEFAULT_PORT}`, `:${new URL(sandbox.url).port}`),
        ]),
      ),
    );
    let app: INestApplication | undefined;
    try {
      const { AppModule } = await load<{ AppModule: new () => object }>('Quick start', 'app.module.ts');
      const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
      app = moduleRef.createNestApplication({ logger: false });
      await app.init();
      const sent = await request(app.getHttpServer()).post('/orders/1042/shipped').send({ phone: '0812345678' });
      expect(sent.status).toBe(201);
      expect(sent.body).toEqual({ order: '1042', messageId: sandbox.lastMessage()!.messageId });
      expect(sandbox.lastMessage()).toMatchObject({
        phone: '66812345678',
        sender: 'SMS.',
        message: 'Your order has shipped.',
      });

      const refused = await request(app.getHttpServer()).post('/orders/1042/shipped').send({ phone: '12345' });
      // Exactly what the Quick start says, and nothing sent.
      const readme = readFileSync(join(ROOT, READMES.lib), 'utf8');
      expect(readme).toContain(`\`${refused.status} ${JSON.stringify(refused.body)}\``);
      expect(refused.body).toMatchObject({ statusCode: 400, error: 'ERROR_MSISDN' });
      expect(sandbox.messages()).toHaveLength(1);
    } finally {
      await app?.close();
      await sandbox.close();
      restore();
    }
  },

  send: async () => {
    const { moduleRef, sandbox, app } = await appWithSandbox({}, { deliveryDelayMs: DAY_MS });
    try {
      const { sendOrderUpdate } = await load<{ sendOrderUpdate: (sms: SmsService) => Promise<unknown> }>(
        'Usage',
        'send.ts',
      );
      const result = await sendOrderUpdate(moduleRef.get(SmsService));
      expect(result).toMatchObject({
        accepted: [
          { phone: '66812345678', credits: 1 },
          { phone: '66898765432', credits: 1 },
        ],
        rejected: [{ phone: '0123', reason: 'Phone number is invalid.' }],
        creditType: 'corporate',
        creditsUsed: 2,
        creditsRemaining: 9998,
      });
      expect(sandbox.lastMessage()).toMatchObject({
        status: 'scheduled',
        sender: 'MySMS',
        tags: ['orders'],
        shortenUrl: true,
      });
    } finally {
      await app.close();
    }
    // Closed before the (day-long) delivery delay: the sandbox never called example.com.
    expect(sandbox.deliveryReports()).toEqual([]);
  },

  bulk: async () => {
    const { moduleRef, app } = await appWithSandbox({});
    try {
      const { flashSale } = await load<{ flashSale: (sms: SmsService) => Promise<unknown> }>('Usage', 'flash-sale.ts');
      expect(await flashSale(moduleRef.get(SmsService))).toMatchObject({
        acceptedCount: 1200,
        rejectedCount: 0,
        chunks: 3,
        creditsUsed: 1200,
        failedChunks: [],
      });
    } finally {
      await app.close();
    }
  },

  estimate: async () => {
    const { moduleRef, app } = await appWithSandbox({});
    try {
      const { estimates } = await load<{ estimates: (sms: SmsService) => unknown }>('Usage', 'estimate.ts');
      expect(estimates(moduleRef.get(SmsService))).toMatchObject({
        thai: { encoding: 'UCS-2', length: 6, parts: 1, creditsPerRecipient: 1, recipients: 3, totalCredits: 3 },
        list: { recipients: 1, totalCredits: 1 },
      });
    } finally {
      await app.close();
    }
  },

  otp: async () => {
    const { moduleRef, sandbox, app } = await appWithSandbox({});
    try {
      const { sendCode, checkCode } = await load<{
        sendCode: (otp: OtpService, phone: string) => Promise<{ token: string; refno: string }>;
        checkCode: (otp: OtpService, token: string, pin: string) => Promise<string>;
      }>('Usage', 'otp.ts');
      const otp = moduleRef.get(OtpService);
      const { token, refno } = await sendCode(otp, '0812345678');
      expect(sandbox.lastOtp()).toMatchObject({ token, refno });
      const pin = sandbox.lastOtp()!.pin;
      expect(await checkCode(otp, token, pin === '000000' ? '111111' : '000000')).toBe('wrong code, try again');
      expect(await checkCode(otp, token, 'abc')).toBe('enter the digits of the code');
      expect(await checkCode(otp, token, pin)).toBe('verified');
      expect(await checkCode(otp, token, pin)).toBe('expired, request a new code');
    } finally {
      await app.close();
    }
  },

  credit: async () => {
    const { moduleRef, sandbox, app } = await appWithSandbox({}, { credits: { standard: 6093, corporate: 4498 } });
    try {
      const { balances } = await load<{ balances: (credit: CreditService) => Promise<unknown> }>('Usage', 'credit.ts');
      expect(await balances(moduleRef.get(CreditService))).toEqual({ standard: 6093, corporate: 4498 });
      expect(sandbox.credits()).toEqual({ standard: 6093, corporate: 4498 });
    } finally {
      await app.close();
    }
  },

  /** The sandbox calls the example's webhook as the vendor would, and records what it answered. */
  'delivery reports': async () => {
    const secret = `whsec-${randomBytes(8).toString('hex')}`;
    const restore = setEnv({ DELIVERY_WEBHOOK_SECRET: secret });
    const { DeliveryController } = await load<{ DeliveryController: new () => object }>(
      'Usage',
      'delivery.controller.ts',
    );
    const { moduleRef, sandbox, app, url } = await appWithSandbox({ controllers: [DeliveryController] }, {}, true);
    try {
      const sms = moduleRef.get(SmsService);
      await sms.send({ to: '0812345678', message: 'Hi', callbackUrl: `${url}/webhooks/thaibulksms/${secret}` });
      await sms.send({ to: '0812345678', message: 'Hi', callbackUrl: `${url}/webhooks/thaibulksms/wrong-secret` });
      await sandbox.flushDeliveryReports();
      expect(sandbox.deliveryReports().map((r) => [r.responseStatus, r.responseBody])).toEqual(
        expect.arrayContaining([
          [200, '{"received":true,"status":"delivered"}'],
          [404, expect.stringContaining('Not Found')],
        ]),
      );
    } finally {
      await app.close();
      restore();
    }
  },

  health: async () => {
    const { HealthController } = await load<{ HealthController: new () => object }>('Usage', 'health.controller.ts');
    const clock = new FakeClock(Date.now());
    const { sandbox, app } = await appWithSandbox(
      { imports: [TerminusModule], controllers: [HealthController] },
      {},
      false,
      clock,
    );
    try {
      const up = await request(app.getHttpServer()).get('/health');
      expect(up.status).toBe(200);
      expect(up.body).toMatchObject({ status: 'ok', details: { thaibulksms: { status: 'up' } } });
      sandbox.setCredits({ standard: 99 });
      // One check answers for the cache's lifetime; the next one sees the new balance.
      clock.advance(DEFAULT_HEALTH_CACHE_TTL_MS + 1);
      const down = await request(app.getHttpServer()).get('/health');
      expect(down.status).toBe(503);
      expect(down.body).toMatchObject({ status: 'error', details: { thaibulksms: { status: 'down' } } });
    } finally {
      await app.close();
    }
  },

  'named registrations': async () => {
    const sandbox = await ThaiBulkSmsSandbox.start({ port: 0 });
    const { apiKey, apiSecret, otpKey, otpSecret } = sandbox.credentials;
    // Read when the module is loaded: its forRoot calls take process.env as it is then.
    const restore = setEnv({
      THAIBULKSMS_API_KEY: apiKey,
      THAIBULKSMS_API_SECRET: apiSecret,
      MARKETING_API_KEY: apiKey,
      MARKETING_API_SECRET: apiSecret,
      THAIBULKSMS_OTP_KEY: otpKey,
      THAIBULKSMS_OTP_SECRET: otpSecret,
      THAIBULKSMS_BASE_URL: sandbox.url,
      THAIBULKSMS_OTP_BASE_URL: sandbox.url,
    });
    let moduleRef: TestingModule | undefined;
    try {
      const { NotificationsModule, Notifications } = await load<{
        NotificationsModule: new () => object;
        Notifications: new (...args: never[]) => {
          receipt(p: string): Promise<unknown>;
          promote(p: string): Promise<unknown>;
          code(p: string): Promise<{ token: string }>;
        };
      }>('Usage', 'notifications.module.ts');
      moduleRef = await Test.createTestingModule({ imports: [NotificationsModule] }).compile();
      await moduleRef.init();
      const notifications = moduleRef.get(Notifications);
      await notifications.receipt('0812345678');
      await notifications.promote('0898765432');
      const { token } = await notifications.code('0812345678');
      expect(sandbox.messages().map((m) => [m.phone, m.message])).toEqual([
        ['66812345678', 'Thank you for your order.'],
        ['66898765432', 'New arrivals this week!'],
      ]);
      expect(sandbox.lastOtp()?.token).toBe(token);
    } finally {
      await moduleRef?.close();
      await sandbox.close();
      restore();
    }
  },

  /** The undici transport, aimed at the sandbox as the Quick start is. */
  transport: async () => {
    const sandbox = await ThaiBulkSmsSandbox.start({ port: 0 });
    const restore = setEnv({
      THAIBULKSMS_API_KEY: sandbox.credentials.apiKey,
      THAIBULKSMS_API_SECRET: sandbox.credentials.apiSecret,
      THAIBULKSMS_BASE_URL: sandbox.url,
    });
    let moduleRef: TestingModule | undefined;
    try {
      const { AppModule } = await load<{ AppModule: new () => object }>('Choosing a transport', 'app.module.ts');
      moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
      await moduleRef.init();
      expect(moduleRef.get(ThaiBulkSmsTransport)).toBeInstanceOf(UndiciThaiBulkSmsTransport);
      await moduleRef.get(SmsService).send({ to: '0812345678', message: 'Sent over undici' });
      expect(sandbox.lastMessage()).toMatchObject({ phone: '66812345678', message: 'Sent over undici' });
    } finally {
      await moduleRef?.close();
      await sandbox.close();
      restore();
    }
  },

  'validation pipe': async () => {
    const { SmsModule } = await load<{ SmsModule: new () => object }>('Errors', 'sms.module.ts');
    const { app } = await appWithSandbox({ imports: [SmsModule] });
    try {
      const post = (body: object) => request(app.getHttpServer()).post('/sms').send(body);
      const refused = async (body: object) => {
        const res = await post(body);
        return [res.status, res.body.error];
      };
      expect(await refused({ to: '12345', message: 'Hi' })).toEqual([400, 'ERROR_MSISDN']);
      expect(await refused({ to: '0812345678', message: '' })).toEqual([400, 'ERROR_MESSAGE']);
      expect(await refused({ to: '0812345678', message: 'Hi', sender: 'far-too-long-sender' })).toEqual([
        400,
        'ERROR_SENDER',
      ]);
      expect(await refused({ to: '0812345678', message: 'Hi', colour: 'blue' })).toEqual([400, 'ERROR_FORM']);
      const sent = await post({ to: '0812345678', message: 'Hi' });
      expect(sent.status).toBe(201);
      expect(sent.body.accepted).toEqual([expect.objectContaining({ phone: '66812345678' })]);
    } finally {
      await app.close();
    }
  },
};

describe('library README TypeScript blocks, run against the sandbox', () => {
  for (const [name, run] of Object.entries(LIBRARY_RUNNERS)) it(name, run);
});

describeWithRedis('library README queue blocks (Scaling out), run against the sandbox and a real Redis', () => {
  const prefix = `t-readme-${process.pid}-${randomBytes(4).toString('hex')}`;
  let sandbox: ThaiBulkSmsSandbox;
  let app: INestApplication | undefined;
  let restore = () => {};
  beforeAll(async () => {
    sandbox = await ThaiBulkSmsSandbox.start({ port: 0 });
    restore = setEnv({
      THAIBULKSMS_API_KEY: sandbox.credentials.apiKey,
      THAIBULKSMS_API_SECRET: sandbox.credentials.apiSecret,
      THAIBULKSMS_BASE_URL: sandbox.url,
      REDIS_URL: testRedisUrl(),
      QUEUE_PREFIX: prefix,
    });
  });
  afterAll(async () => {
    await app?.close();
    await sandbox?.close();
    restore();
    await obliterateQueue('thaibulksms', testRedisUrl(), prefix);
  });

  it('queue', async () => {
    const { AppModule } = await load<{ AppModule: new () => object }>('Scaling out', 'app.module.ts');
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    const queue = app.get(SmsQueue);
    const sent = new Promise((resolve) => queue.on('completed', resolve));
    const alert = { to: ['0812345678', '0898765432', '0123'], message: 'Storm warning', incidentId: 'storm-1' };
    const first = await request(app.getHttpServer()).post('/alerts').send(alert);
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ id: 'key-storm-1', chunks: 1, duplicate: false, rejected: [{ phone: '0123' }] });
    const again = await request(app.getHttpServer()).post('/alerts').send(alert);
    expect(again.body).toMatchObject({ id: 'key-storm-1', duplicate: true });
    await sent;
    const status = await request(app.getHttpServer()).get('/alerts/key-storm-1');
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ id: 'key-storm-1', recipients: 2 });
    expect(
      sandbox
        .messages()
        .map((m) => m.phone)
        .sort(),
    ).toEqual(['66812345678', '66898765432']);
    expect((await request(app.getHttpServer()).get('/alerts/key-nothing')).status).toBe(404);
  });
});
