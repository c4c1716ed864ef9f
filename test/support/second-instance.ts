import { Test } from '@nestjs/testing';
import { AppModule } from '../../src/app.module';
import { loadConfiguration } from '../../src/config/app-config.module';
import type { Env } from '../../src/config/load-app-config';
import { DEV_API_KEY } from '../../src/config/namespaces/app.config';
import { configureApp } from '../../src/configure-app';
import { EmbeddedSandbox } from '../../src/sandbox/embedded-sandbox';
import { TestApp } from './test-app';

/**
 * A second instance of the app beside `first`, as in a scaled-out deployment: the same vendor
 * (the first instance's sandbox, not one of its own) and the same clock, its own Nest app and
 * its own connections. Give both the same REDIS_URL/REDIS_PREFIX to share state through Redis.
 */
export async function createSecondInstance(first: TestApp, env: Env): Promise<TestApp> {
  const configuration = await loadConfiguration({ SANDBOX_PORT: '0', LEDGER_ENABLED: 'false', ...env });
  const config = configuration.values;
  // The first instance's sandbox: its delivery-report targets stay the first instance's business.
  const shared = {
    sandbox: first.sandbox,
    reportOnlyTo: () => undefined,
    onApplicationShutdown: async () => undefined,
  } as unknown as EmbeddedSandbox;
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.forRoot({ configuration, clock: first.clock })],
  })
    .overrideProvider(EmbeddedSandbox)
    .useValue(shared)
    .compile();
  const app = moduleRef.createNestApplication({ bodyParser: false, logger: false });
  configureApp(app);
  await app.init();
  return {
    app,
    server: app.getHttpServer(),
    sandbox: first.sandbox,
    config,
    clock: first.clock,
    key: config.app.apiKeys[0] ?? DEV_API_KEY,
    close: () => app.close(),
  };
}

/** Deletes every key under `<prefix>:` (a test run's own prefix), with SCAN so nothing else is touched. */
export async function deleteRedisKeys(url: string, prefix: string): Promise<number> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) deleted += await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    await redis.quit();
  }
  return deleted;
}
