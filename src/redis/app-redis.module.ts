import { DynamicModule, Global, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
// ioredis comes with bullmq (its client); the app uses the same client for its own keys.
import { Redis } from 'ioredis';
import { RedisConfig, redisConfig, RedisConnection } from '../config/namespaces/redis.config';

/** The app's Redis client, or null when REDIS_URL is not set (in-memory counters then). */
export const APP_REDIS = Symbol('APP_REDIS');
export type AppRedis = Redis | null;

const CONNECT_TIMEOUT_MS = 5_000;
/** Longest a command may take before the route gives up on Redis and answers 503. */
export const REDIS_COMMAND_TIMEOUT_MS = 1_000;

/**
 * Connects at start so a wrong or unreachable REDIS_URL stops the app with a clear message
 * (the URL shown with its password masked) instead of failing the first OTP request.
 */
export async function connectAppRedis(config: RedisConnection, logger = new Logger('Redis')): Promise<Redis> {
  let started = false;
  const client = new Redis({
    ...config.options,
    lazyConnect: true,
    // No retry loop before the first connection (the start fails instead); reconnect after that.
    retryStrategy: (times) => (started ? Math.min(times * 200, 2_000) : null),
    connectTimeout: CONNECT_TIMEOUT_MS,
    // Fail fast, never queue: while the connection is down a command fails at once (no offline
    // queue), and one that gets no answer fails after REDIS_COMMAND_TIMEOUT_MS; the OTP routes then
    // answer 503 (RedisUnavailableError) instead of holding the caller through reconnects.
    enableOfflineQueue: false,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    maxRetriesPerRequest: 0,
    connectionName: `${config.prefix}-app`,
  });
  let lastLogged = '';
  let lastLoggedAt = 0;
  client.on('error', (error: Error) => {
    // ioredis' messages name host and port, never the password; still, one line per 10 s at most.
    const now = Date.now();
    if (error.message === lastLogged && now - lastLoggedAt < 10_000) return;
    lastLogged = error.message;
    lastLoggedAt = now;
    logger.error(`Redis at ${config.maskedUrl}: ${error.message}`);
  });
  try {
    await client.connect();
    await client.ping();
    started = true;
  } catch (error) {
    client.disconnect();
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `Redis is not reachable at ${config.maskedUrl} (${reason}). Start one (redis-server, or docker run -p 6379:6379 redis:7) or fix REDIS_URL.`,
      { cause: error },
    );
  }
  logger.log(`Connected to ${config.maskedUrl} (key prefix "${config.prefix}")`);
  return client;
}

@Injectable()
class AppRedisCloser implements OnApplicationShutdown {
  constructor(@Inject(APP_REDIS) private readonly redis: AppRedis) {}

  async onApplicationShutdown(): Promise<void> {
    if (!this.redis) return;
    try {
      await this.redis.quit();
    } catch {
      this.redis.disconnect();
    }
  }
}

/** Provides APP_REDIS everywhere: a connected client when REDIS_URL is set, else null. */
@Global()
@Module({})
export class AppRedisModule {
  static forRoot(): DynamicModule {
    return {
      module: AppRedisModule,
      providers: [
        {
          provide: APP_REDIS,
          inject: [redisConfig.KEY],
          useFactory: (redis: RedisConfig): Promise<AppRedis> | null =>
            redis.url !== undefined ? connectAppRedis(redis) : null,
        },
        AppRedisCloser,
      ],
      exports: [APP_REDIS],
    };
  }
}
