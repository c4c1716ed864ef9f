/**
 * Message ledger goals, on the machine's PostgreSQL (a schema of its own, dropped at the end):
 *
 * 1. ingest >= 60,000 rows/s: the ledger's write path (LedgerWriter: requests of 500 rows, 8
 *    recorded at a time, grouped into statements as they come), beside the same rows generated
 *    by the server itself (`insert … select from generate_series`: the database's own ceiling for
 *    these tables and indexes) as the same-run baseline;
 * 2. a `sendBulk` of BENCH_LEDGER_BULK_RECIPIENTS (default 1,000,000) with the ledger registered
 *    <= 1.5 x the same send without it (pairs of child processes, ABBA order, median of the
 *    per-pair ratios), peak RSS of the ledger process <= 250 MB; each run also reports where its
 *    core-seconds went (sender, sandbox, PostgreSQL), and a pair at the vendor's ceiling (120
 *    requests/s, BENCH_LEDGER_CEILING_RECIPIENTS, default 200,000; 0 skips it) shows what the
 *    ledger costs a real campaign;
 * 3. with the rows the bulk runs left (2,000,000 by default), `searchMessages({ phone })` p99
 *    <= 20 ms over BENCH_LEDGER_SEARCHES lookups, and the plan PostgreSQL chose for the store's
 *    own query (EXPLAIN).
 *
 *   node bench/run-all.js ledger
 *
 * BENCH_LEDGER_INGEST_ROWS (default 300000), BENCH_LEDGER_BULK_RECIPIENTS (1000000),
 * BENCH_LEDGER_RUNS (pairs, default 2), BENCH_LEDGER_CEILING_RECIPIENTS (200000),
 * BENCH_LEDGER_SEARCHES (default 2000), DATABASE_URL.
 */
import { randomUUID } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import { Module } from '@nestjs/common';
import { Logger } from '@nestjs/common';
import { CompiledQuery, sql } from 'kysely';
import { SmsService, ThaiBulkSmsModule } from '../libs/thai-bulk-sms/src';
import { SANDBOX_DEFAULT_CREDENTIALS } from '../libs/thai-bulk-sms/src/sandbox';
import { MessageLedger, ThaiBulkSmsLedgerModule } from '../libs/thai-bulk-sms/src/ledger';
import { PostgresLedgerStore } from '../libs/thai-bulk-sms/src/ledger/postgres-ledger.store';
import { openLedgerDatabase } from '../libs/thai-bulk-sms/src/ledger/ledger.connection';
import { searchQuery } from '../libs/thai-bulk-sms/src/ledger/ledger.search';
import { LedgerMessageBatch } from '../libs/thai-bulk-sms/src/ledger/ledger.types';
import { LedgerWriter } from '../libs/thai-bulk-sms/src/ledger/ledger.writer';
import { fmt, GoalReport, log, median, quartiles, runInChild, runMain, thaiNumbers } from './lib/bench.util';
import { compiledPath } from './lib/compile-js';
import { cpuMeter, CpuSpent } from './lib/cpu-usage.util';
import { startBenchServer } from './lib/sandbox-bench.util';

const INGEST_GOAL = 60_000;
const BULK_GOAL_RATIO = 1.5;
const RSS_GOAL_MB = 250;
const P99_GOAL_MS = 20;
const ROLE_FLAG = '--ledger-role';
const MESSAGE = 'Flash sale: 20% off today only';
/** ThaiBulkSMS's ceiling: 120 requests/s of 500 numbers. */
const VENDOR_TPS = 120;
const SENDER = 'SMS.';

const databaseUrl = () => process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

interface BulkRun {
  readonly role: 'plain' | 'ledger';
  readonly ms: number;
  readonly accepted: number;
  readonly maxRssMb: number;
  /** Core-seconds of the timed send: this process, the sandbox's, and the whole machine's. */
  readonly cpu: CpuSpent;
}

async function openStore(schema: string, poolSize: number): Promise<PostgresLedgerStore> {
  const database = await openLedgerDatabase(
    { url: databaseUrl(), poolSize },
    { connectTimeoutMs: 10_000, onPoolError: () => undefined },
  );
  const store = new PostgresLedgerStore(database, { schema, migrations: true, partitionDaysAhead: 1 });
  await store.start(new Date());
  return store;
}

function batchOf(from: number, size: number): LedgerMessageBatch {
  return {
    createdAt: new Date(),
    requestId: randomUUID(),
    registration: 'default',
    sender: SENDER,
    creditType: 'standard',
    tags: ['bench'],
    text: { sha256: 'a'.repeat(64), length: 30, encoding: 'GSM-7', parts: 1 },
    recipients: Array.from({ length: size }, (_, i) => ({
      ordinal: i,
      messageId: `bench-${from + i}-${randomUUID().slice(0, 8)}`,
      phone: `668${String((from + i) % 100_000_000).padStart(8, '0')}`,
      status: 'accepted' as const,
      creditsUsed: 1,
    })),
  };
}

/** Goal 1: the store's write path, against the server's own insert of the same rows. */
async function ingest(schema: string): Promise<{ goal: GoalReport; serverRate: number }> {
  const rows = Number(process.env.BENCH_LEDGER_INGEST_ROWS ?? 300_000);
  const store = await openStore(schema, 8);
  try {
    const writer = new LedgerWriter(
      store,
      { bufferSize: 100_000, writeTimeoutMs: 10_000, retryIntervalMs: 1_000 },
      new Logger('bench'),
    );
    const batches = Math.ceil(rows / 500);
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let b = next++; b < batches; b = next++)
          await writer.record({ kind: 'messages', batch: batchOf(b * 500, 500) });
      }),
    );
    if (!(await writer.flush()) || writer.stats().refusedWrites > 0) throw new Error('ingest rows not all written');
    const ledgerRate = (batches * 500) / ((performance.now() - started) / 1000);
    const db = store.database.db;
    const at = new Date();
    const t = performance.now();
    await sql`insert into ${sql.id(schema, 'request')} (created_at, request_id, registration, sender, credit_type, tags,
        text_sha256, text_length, text_encoding, text_parts)
      select ${at}::timestamptz, md5('server-' || r)::uuid, 'server', 'SMS.', 'standard', array['bench'], repeat('a', 64),
        30, 'GSM-7', 1
      from generate_series(0, ${batches - 1}::int) r`.execute(db);
    await sql`insert into ${sql.id(schema, 'message')} (created_at, request_id, ordinal, message_id, phone, credits_used,
        sent_status, status, status_at)
      select ${at}::timestamptz, md5('server-' || (g / 500))::uuid, g % 500, 'server-' || g,
        '669' || lpad((g % 100000000)::text, 8, '0'), 1, 'accepted', 'accepted', ${at}::timestamptz
      from generate_series(0, ${batches * 500 - 1}::int) g`.execute(db);
    const serverRate = (batches * 500) / ((performance.now() - t) / 1000);
    await sql`delete from ${sql.id(schema, 'message')} where message_id like 'server-%'`.execute(db);
    await sql`delete from ${sql.id(schema, 'request')} where registration = 'server'`.execute(db);
    log(
      `ingest: ${fmt(batches * 500)} rows, ledger ${fmt(ledgerRate)} rows/s, server-side insert ${fmt(serverRate)} rows/s`,
    );
    const goal: GoalReport = {
      id: 'ledger-ingest',
      goal: `ledger ingest into PostgreSQL >= ${fmt(INGEST_GOAL)} rows/s (ratio: share of the server's own insert rate)`,
      figure: `${fmt(ledgerRate)} rows/s (${fmt(batches * 500)} rows, requests of 500 recorded 8 at a time)`,
      baseline: `server-side insert of the same rows ${fmt(serverRate)} rows/s`,
      ratio: ledgerRate / serverRate,
      pass: ledgerRate >= INGEST_GOAL,
    };
    return { goal, serverRate };
  } finally {
    await store.close();
  }
}

/** One timed sendBulk in this (child) process, with or without the ledger. */
async function childRun(
  role: BulkRun['role'],
  baseUrl: string,
  count: number,
  schema: string,
  sandboxPid: number,
  maxTps: number,
): Promise<BulkRun> {
  const { apiKey, apiSecret } = SANDBOX_DEFAULT_CREDENTIALS;
  const imports = [ThaiBulkSmsModule.forRoot({ apiKey, apiSecret, baseUrl, maxTps })];
  if (role === 'ledger') {
    imports.push(
      ThaiBulkSmsLedgerModule.forRoot({ connection: { url: databaseUrl(), poolSize: 16 }, schema, purgeIntervalMs: 0 }),
    );
  }
  @Module({ imports })
  class BenchModule {}
  const app = await NestFactory.createApplicationContext(BenchModule, { logger: ['error', 'warn'] });
  const sms = app.get(SmsService);
  const send = async (recipients: AsyncIterable<string>) => {
    const result = await sms.sendBulk({ to: recipients, message: MESSAGE, sender: SENDER, summaryOnly: true });
    if (result.failedChunks.length) throw new Error(`${result.failedChunks.length} chunks failed`);
    return result.acceptedCount;
  };
  await send(thaiNumbers(20_000, 50_000_000));
  const started = performance.now();
  const spent = cpuMeter(sandboxPid, Number(new URL(databaseUrl()).port || 5432));
  const accepted = await send(thaiNumbers(count));
  const ms = performance.now() - started;
  const cpu = spent();
  if (role === 'ledger' && !(await app.get(MessageLedger).flush())) throw new Error('ledger rows left in the buffer');
  await app.close();
  return { role, ms, accepted, maxRssMb: process.resourceUsage().maxRSS / 1024, cpu };
}

/** `pairs` pairs of runs (ABBA order) against the sandbox, the client limited to `maxTps` (0: none). */
async function bulkPairs(
  server: { url: string; pid: number },
  schema: string,
  count: number,
  pairs: number,
  maxTps: number,
): Promise<BulkRun[]> {
  const childFile = __filename.endsWith('.ts') ? compiledPath('bench/ledger.bench.ts') : __filename;
  const results: BulkRun[] = [];
  for (let i = 0; i < pairs; i++) {
    const order: BulkRun['role'][] = i % 2 === 0 ? ['plain', 'ledger'] : ['ledger', 'plain'];
    for (const role of order) {
      const args = [ROLE_FLAG, role, server.url, String(count), schema, String(server.pid), String(maxTps)];
      const r = await runInChild<BulkRun>(childFile, args);
      if (r.accepted !== count) throw new Error(`${role} run accepted ${r.accepted} of ${count}`);
      const limit = maxTps ? ` at ${maxTps} requests/s` : '';
      log(
        `${role.padEnd(6)} ${fmt(count)} recipients${limit}: ${fmt(r.ms)} ms (${fmt((count / r.ms) * 1000)}/s), peak RSS ${fmt(r.maxRssMb)} MB, ${cpuLine(r)}`,
      );
      results.push(r);
    }
  }
  return results;
}

/** Core-seconds of the work itself: the sender, the sandbox and PostgreSQL (not other users of the machine). */
const workCpu = ({ cpu }: BulkRun) => cpu.self + (cpu.other ?? 0) + (cpu.postgres ?? 0);

/**
 * Why the ratio is what it is: with every core busy, a run takes about its core-seconds over the
 * cores, so the ledger's share of the work bounds the ratio from below, whatever overlaps.
 */
function floorNotes(withLedger: BulkRun[], plain: BulkRun[], count: number, serverRate: number): string[] {
  const work = median(withLedger.map(workCpu)) / median(plain.map(workCpu));
  const postgres = median(withLedger.map((r) => r.cpu.postgres ?? 0));
  const senderExtra = median(withLedger.map((r) => r.cpu.self)) - median(plain.map((r) => r.cpu.self));
  const busy = median(plain.map((r) => (r.cpu.machine ?? 0) / (r.ms / 1000)));
  return [
    `core-seconds of the work (sender + sandbox + PostgreSQL) with / without the ledger: ${work.toFixed(2)}; the ledger adds PostgreSQL ${postgres.toFixed(1)} s (${((postgres / count) * 1e6).toFixed(1)} µs a row) and ${senderExtra.toFixed(1)} s in the sender; the plain send keeps ${busy.toFixed(2)} cores busy`,
    `the database alone inserts ${fmt(count)} rows in ${fmt((count / serverRate) * 1000)} ms at the server-side rate measured above`,
  ];
}

function ceilingNotes(ceiling: BulkRun[]): string[] {
  const plain = ceiling.find((r) => r.role === 'plain');
  const ledger = ceiling.find((r) => r.role === 'ledger');
  if (!plain || !ledger) return [];
  return [
    `at the vendor's ceiling (${VENDOR_TPS} requests/s, ${fmt(ledger.accepted)} recipients): with ${fmt(ledger.ms)} ms / without ${fmt(plain.ms)} ms = ${(ledger.ms / plain.ms).toFixed(3)}`,
  ];
}

const seconds = (value: number | undefined) => (value === undefined ? 'n/a' : `${value.toFixed(1)} s`);

/** Where the run's core-seconds went; "rest" is what else the machine ran meanwhile (other users, PostgreSQL's own upkeep). */
function cpuLine({ cpu, ms }: BulkRun): string {
  const known = cpu.self + (cpu.other ?? 0) + (cpu.postgres ?? 0);
  const rest = cpu.machine === undefined ? undefined : cpu.machine - known;
  const cores = cpu.machine === undefined ? 'n/a' : (cpu.machine / (ms / 1000)).toFixed(2);
  return `CPU: sender ${seconds(cpu.self)}, sandbox ${seconds(cpu.other)}, postgres ${seconds(cpu.postgres)}, rest ${seconds(rest)}; machine ${seconds(cpu.machine)} (${cores} cores busy on average)`;
}

/** Goal 3: lookups by phone over what the bulk runs left, and the plan. */
async function search(schema: string, phones: number): Promise<{ goal: GoalReport; plan: string }> {
  const searches = Number(process.env.BENCH_LEDGER_SEARCHES ?? 2_000);
  const store = await openStore(schema, 4);
  try {
    const db = store.database.db;
    await sql`analyze ${sql.id(schema, 'message')}`.execute(db);
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.id(schema, 'message')}`.execute(db);
    const total = Number(rows[0].n);
    const phoneOf = (i: number) => `668${String(i % 100_000_000).padStart(8, '0')}`;
    const times: number[] = [];
    for (let i = 0; i < searches; i++) {
      const phone = phoneOf(Math.floor(Math.random() * phones));
      const t = performance.now();
      await store.searchMessages({ phone, limit: 50 });
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const p99 = times[Math.floor(times.length * 0.99)];
    const p50 = times[Math.floor(times.length * 0.5)];
    const compiled = searchQuery(db, schema, { phone: phoneOf(1234), limit: 50 }).compile();
    const { rows: plan } = await db.executeQuery<{ 'QUERY PLAN': string }>(
      CompiledQuery.raw(`explain (analyze, costs off, timing off, summary off) ${compiled.sql}`, [
        ...compiled.parameters,
      ]),
    );
    const text = plan.map((row) => row['QUERY PLAN']).join('\n');
    const usesIndex = /Index Scan.*message_p\d+_phone/i.test(text) || /Index Scan.*phone/i.test(text);
    log(`search by phone: ${fmt(total)} rows, ${searches} lookups, p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms`);
    return {
      goal: {
        id: 'ledger-search',
        goal: `search by phone over ${fmt(total)} rows: p99 <= ${P99_GOAL_MS} ms (ratio: share of the limit), index used`,
        figure: `p99 ${p99.toFixed(2)} ms, p50 ${p50.toFixed(2)} ms (${searches} lookups, limit 50)`,
        baseline: usesIndex ? 'EXPLAIN: index scan on (phone, created_at)' : 'EXPLAIN: NO index scan',
        ratio: p99 / P99_GOAL_MS,
        pass: p99 <= P99_GOAL_MS && usesIndex,
      },
      plan: text,
    };
  } finally {
    await store.close();
  }
}

export async function runLedgerBench(): Promise<GoalReport[]> {
  const schema = `bench_ledger_${process.pid}`;
  const count = Number(process.env.BENCH_LEDGER_BULK_RECIPIENTS ?? 1_000_000);
  const pairs = Number(process.env.BENCH_LEDGER_RUNS ?? 2);
  const goals: GoalReport[] = [];
  try {
    const { goal: ingestGoal, serverRate } = await ingest(schema);
    goals.push(ingestGoal);
    const server = await startBenchServer('sandbox', { maxTps: 0, credits: { standard: 1e12 } });
    let results: BulkRun[];
    let ceiling: BulkRun[] = [];
    try {
      results = await bulkPairs(server, schema, count, pairs, 0);
      const ceilingCount = Number(process.env.BENCH_LEDGER_CEILING_RECIPIENTS ?? 200_000);
      if (ceilingCount > 0) ceiling = await bulkPairs(server, schema, ceilingCount, 1, VENDOR_TPS);
    } finally {
      await server.stop();
    }
    const withLedger = results.filter((r) => r.role === 'ledger');
    const plain = results.filter((r) => r.role === 'plain');
    const ratios = withLedger.map((r, i) => r.ms / plain[i].ms);
    const ratio = median(ratios);
    const [q1, , q3] = quartiles(ratios);
    const rss = Math.max(...withLedger.map((r) => r.maxRssMb));
    goals.push(
      {
        id: 'ledger-bulk-time',
        goal: `sendBulk of ${fmt(count)} with the ledger on PostgreSQL / without <= ${BULK_GOAL_RATIO} (median of per-pair ratios)`,
        figure: `median ${fmt(median(withLedger.map((r) => r.ms)))} ms`,
        baseline: `without the ledger median ${fmt(median(plain.map((r) => r.ms)))} ms`,
        ratio,
        pass: ratio <= BULK_GOAL_RATIO,
        notes: [
          `per-pair ratios ${ratios.map((x) => x.toFixed(3)).join(', ')} (IQR ${q1.toFixed(3)}-${q3.toFixed(3)})`,
          ...floorNotes(withLedger, plain, count, serverRate),
          ...ceilingNotes(ceiling),
        ],
      },
      {
        id: 'ledger-bulk-rss',
        goal: `peak RSS of the sendBulk process with the ledger <= ${RSS_GOAL_MB} MB`,
        figure: `${fmt(rss)} MB (worst of ${withLedger.length})`,
        baseline: `without the ledger ${fmt(Math.max(...plain.map((r) => r.maxRssMb)))} MB`,
        ratio: rss / RSS_GOAL_MB,
        pass: rss <= RSS_GOAL_MB,
      },
    );
    const { goal, plan } = await search(schema, count);
    log(`EXPLAIN ANALYZE of a search by phone:\n${plan}`);
    goals.push(goal);
  } finally {
    const store = await openStore(schema, 1);
    await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(store.database.db);
    await store.close();
  }
  return goals;
}

if (require.main === module) {
  if (process.argv[2] === ROLE_FLAG) {
    const [role, baseUrl, count, schema, sandboxPid, maxTps] = process.argv.slice(3);
    childRun(role as BulkRun['role'], baseUrl, Number(count), schema, Number(sandboxPid), Number(maxTps)).then(
      (result) => process.send?.(result, () => process.exit(0)),
      (error: unknown) => {
        process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
        process.exit(1);
      },
    );
  } else {
    runMain(runLedgerBench);
  }
}
