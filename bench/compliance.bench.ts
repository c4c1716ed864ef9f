/**
 * Issue 16, opt-out list at scale: a 1,000,000-recipient marketing `sendBulk({ summaryOnly: true })`
 * against an opt-out list of 100,000 of those numbers, against the same send with an empty list.
 * Time ratio <= 1.3. Both sides run ThaiBulkSmsComplianceModule in strict mode with an opt-out
 * line appended; only the list differs. The list is the Redis store (one HMGET per chunk of 500)
 * when Redis answers at REDIS_URL, the ledger's PostgreSQL store (one indexed query per chunk) when
 * PostgreSQL answers at DATABASE_URL, and the in-memory store too; every side's run is its own child
 * process (plain JavaScript, as in bulk.bench.ts), against the sandbox in a process of its own.
 * Rounds alternate the order of the sides, and the figure per store is the median of its
 * per-round ratios.
 *
 *   node bench/run-all.js compliance
 *
 * BENCH_COMPLIANCE_RECIPIENTS (default 1000000), BENCH_COMPLIANCE_SUPPRESSED (default 100000),
 * BENCH_COMPLIANCE_ROUNDS (default 2), REDIS_URL (default redis://127.0.0.1:6379), DATABASE_URL
 * (default postgres://postgres@127.0.0.1:5432/test; a schema of its own, dropped after).
 */
import { randomBytes } from 'node:crypto';
import { INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import Redis from 'ioredis';
import { sql } from 'kysely';
import { SmsService, ThaiBulkSmsModule } from '../libs/thai-bulk-sms/src';
import {
  InMemorySuppressionList,
  RedisSuppressionList,
  SuppressionList,
  ThaiBulkSmsComplianceModule,
} from '../libs/thai-bulk-sms/src/compliance';
import { openLedgerDatabase } from '../libs/thai-bulk-sms/src/ledger/ledger.connection';
import { PostgresLedgerStore } from '../libs/thai-bulk-sms/src/ledger/postgres-ledger.store';
import { SANDBOX_DEFAULT_CREDENTIALS } from '../libs/thai-bulk-sms/src/sandbox';
import { fmt, GoalReport, log, median, runInChild, runMain, thaiNumbers } from './lib/bench.util';
import { compiledPath } from './lib/compile-js';
import { startBenchServer } from './lib/sandbox-bench.util';

const GOAL_RATIO = 1.3;
const MESSAGE = 'Flash sale: 20% off today only';
const ROLE_FLAG = '--compliance-role';
const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const DATABASE_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const STORE_NAMES = { memory: 'in-memory', redis: 'Redis', postgres: "the ledger's PostgreSQL" } as const;

type Role = 'empty' | 'memory' | 'redis' | 'postgres';

/** The ledger's store on DATABASE_URL in `schema` (migrated on first open), or undefined when nothing answers. */
async function openLedgerStore(schema: string): Promise<PostgresLedgerStore | undefined> {
  try {
    const database = await openLedgerDatabase(
      { url: DATABASE_URL },
      { connectTimeoutMs: 3000, onPoolError: () => undefined },
    );
    const store = new PostgresLedgerStore(database, { schema, migrations: true, partitionDaysAhead: 1 });
    await store.start(new Date());
    return store;
  } catch {
    return undefined;
  }
}

interface RunResult {
  readonly role: Role;
  readonly ms: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly requests: number;
}

/** Every tenth number of the send (`thaiNumbers` order), as the opt-out list holds them. */
function* suppressedNumbers(count: number, suppressed: number): Generator<string> {
  const step = Math.max(1, Math.floor(count / suppressed));
  for (let i = 0, n = 0; i < count && n < suppressed; i += step, n++) yield `08${String(i).padStart(8, '0')}`;
}

async function fill(list: SuppressionList, count: number, suppressed: number): Promise<void> {
  let batch: Promise<unknown>[] = [];
  for (const phone of suppressedNumbers(count, suppressed)) {
    batch.push(list.add(phone, { reason: 'bench' }));
    if (batch.length === 5_000) {
      await Promise.all(batch);
      batch = [];
    }
  }
  await Promise.all(batch);
}

/** The library as an app gets it, with the compliance module and `list`. */
async function createLibrary(
  baseUrl: string,
  list: SuppressionList,
): Promise<{ sms: SmsService; close(): Promise<void> }> {
  const { apiKey, apiSecret } = SANDBOX_DEFAULT_CREDENTIALS;
  @Module({
    imports: [
      ThaiBulkSmsModule.forRoot({ apiKey, apiSecret, baseUrl, otpBaseUrl: baseUrl, maxTps: 0 }),
      ThaiBulkSmsComplianceModule.forRoot({
        mode: 'strict',
        optOutText: 'STOP 4000000',
        // Open all day but the last minute: the bench measures the list, not the clock.
        marketingHours: { start: '00:00', end: '23:59' },
        suppressionList: list,
      }),
    ],
  })
  class BenchModule {}
  const context: INestApplicationContext = await NestFactory.createApplicationContext(BenchModule, {
    logger: ['error', 'warn'],
  });
  return { sms: context.get(SmsService), close: () => context.close() };
}

/** One timed run in this (child) process; reports over IPC. */
async function childRun(
  role: Role,
  baseUrl: string,
  count: number,
  suppressed: number,
  key: string,
): Promise<RunResult> {
  const redis = role === 'redis' ? new Redis(REDIS_URL) : undefined;
  const ledger = role === 'postgres' ? await openLedgerStore(ledgerSchema(key)) : undefined;
  if (role === 'postgres' && !ledger) throw new Error(`PostgreSQL stopped answering at ${DATABASE_URL}`);
  const list = redis
    ? new RedisSuppressionList(redis, { key })
    : (ledger?.suppressionList() ?? new InMemorySuppressionList());
  if (role === 'memory') await fill(list, count, suppressed);
  const library = await createLibrary(baseUrl, list);
  const send = async (recipients: AsyncIterable<string>) => {
    const result = await library.sms.sendBulk({
      to: recipients,
      message: MESSAGE,
      category: 'marketing',
      summaryOnly: true,
    });
    if (result.failedChunks.length)
      throw new Error(`${result.failedChunks.length} chunks failed: ${result.failedChunks[0].message}`);
    return result;
  };
  // Warm-up (JIT, sockets, the Redis connection) on numbers off the list, then the measured run.
  await send(thaiNumbers(20_000, 50_000_000));
  const started = performance.now();
  const result = await send(thaiNumbers(count));
  const ms = performance.now() - started;
  await library.close();
  await redis?.quit();
  await ledger?.close();
  return { role, ms, accepted: result.acceptedCount, rejected: result.rejectedCount, requests: result.chunks };
}

/** The schema the parent fills and the children read: lowercase, from the run's key. */
function ledgerSchema(key: string): string {
  return `bench_suppression_${key.replace(/[^a-z0-9]/g, '_')}`;
}

async function redisAnswers(): Promise<Redis | undefined> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  try {
    await redis.connect();
    await redis.ping();
    return redis;
  } catch {
    redis.disconnect();
    return undefined;
  }
}

export async function runComplianceBench(): Promise<GoalReport[]> {
  const count = Number(process.env.BENCH_COMPLIANCE_RECIPIENTS ?? 1_000_000);
  const suppressed = Number(process.env.BENCH_COMPLIANCE_SUPPRESSED ?? 100_000);
  const rounds = Number(process.env.BENCH_COMPLIANCE_ROUNDS ?? 2);
  const redis = await redisAnswers();
  const key = `bench:suppressions:${process.pid}-${randomBytes(4).toString('hex')}`;
  if (redis) await fill(new RedisSuppressionList(redis, { key }), count, suppressed);
  else log(`Redis does not answer at ${REDIS_URL}: only the in-memory store is measured.`);
  const ledger = await openLedgerStore(ledgerSchema(key));
  if (ledger) await fill(ledger.suppressionList(), count, suppressed);
  else log(`PostgreSQL does not answer at ${DATABASE_URL}: the ledger's store is not measured.`);
  const stores: Role[] = ['memory', ...(redis ? (['redis'] as const) : []), ...(ledger ? (['postgres'] as const) : [])];
  const server = await startBenchServer('sandbox', { maxTps: 0, credits: { standard: 1e12 } });
  const childFile = __filename.endsWith('.ts') ? compiledPath('bench/compliance.bench.ts') : __filename;
  const results: RunResult[] = [];
  try {
    for (let round = 0; round < rounds; round++) {
      const order: Role[] = round % 2 === 0 ? ['empty', ...stores] : [...stores].reverse().concat('empty');
      for (const role of order) {
        const args = [ROLE_FLAG, role, server.url, String(count), String(suppressed), key];
        const r = await runInChild<RunResult>(childFile, args);
        const expected = role === 'empty' ? count : count - suppressed;
        if (r.accepted !== expected) throw new Error(`${role} run accepted ${r.accepted} of ${expected}`);
        log(
          `${role.padEnd(6)} ${fmt(count)} recipients, ${fmt(r.rejected)} opted out, ${r.requests} chunks: ${fmt(r.ms)} ms (${fmt((count / r.ms) * 1000)} recipients/s)`,
        );
        results.push(r);
      }
    }
  } finally {
    await server.stop();
    if (redis) {
      await redis.del(key);
      await redis.quit();
    }
    if (ledger) {
      await sql`drop schema if exists ${sql.id(ledgerSchema(key))} cascade`.execute(ledger.database.db);
      await ledger.close();
    }
  }
  const empty = results.filter((r) => r.role === 'empty');
  const emptyMs = median(empty.map((r) => r.ms));
  return stores.map((store) => {
    const runs = results.filter((r) => r.role === store);
    const ratios = runs.map((r, i) => r.ms / empty[i].ms);
    const ratio = median(ratios);
    const ms = median(runs.map((r) => r.ms));
    return {
      id: `compliance-${store}`,
      goal: `opt-out list (${STORE_NAMES[store as keyof typeof STORE_NAMES]}): ${fmt(count)}-recipient marketing sendBulk against ${fmt(suppressed)} opted-out numbers / the same send with an empty list <= ${GOAL_RATIO}`,
      figure: `median ${fmt(ms)} ms (${fmt((count / ms) * 1000)} recipients/s)`,
      baseline: `empty list median ${fmt(emptyMs)} ms`,
      ratio,
      pass: ratio <= GOAL_RATIO,
      notes: [`per-round ratios: ${ratios.map((x) => x.toFixed(3)).join(', ')} (${rounds} rounds)`],
    };
  });
}

if (require.main === module) {
  if (process.argv[2] === ROLE_FLAG) {
    const [role, baseUrl, count, suppressed, key] = process.argv.slice(3);
    childRun(role as Role, baseUrl, Number(count), Number(suppressed), key).then(
      (result) => process.send?.(result, () => process.exit(0)),
      (error: unknown) => {
        process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
        process.exit(1);
      },
    );
  } else {
    runMain(runComplianceBench);
  }
}
