#!/usr/bin/env node
// Runs the goal benches (issues 7, 15, 16, 17 and 18) one after another, each in its own process,
// and prints one summary table with PASS/MISS per goal, then the peer table when `peer` ran.
// `node bench/run-all.js [name ...]` runs only those (cap, overhead, bulk, app, sandbox, peer,
// compliance, telemetry, ledger); `npm run bench -- peer` does the same.
'use strict';
const { spawnSync } = require('node:child_process');
const { mkdirSync, readFileSync, rmSync, existsSync } = require('node:fs');
const { join } = require('node:path');
const os = require('node:os');

const ROOT = join(__dirname, '..');
const BENCHES = {
  cap: 'bench/cap.bench.ts',
  overhead: 'bench/overhead.bench.ts',
  bulk: 'bench/bulk.bench.ts',
  app: 'bench/app.bench.ts',
  sandbox: 'bench/sandbox.bench.ts',
  peer: 'bench/peer.bench.ts',
  compliance: 'bench/compliance.bench.ts',
  telemetry: 'bench/telemetry.bench.ts',
  ledger: 'bench/ledger.bench.ts',
};

const asked = process.argv.slice(2);
const unknown = asked.filter((name) => !BENCHES[name]);
if (unknown.length) {
  process.stderr.write(`unknown bench: ${unknown.join(', ')}; choose from ${Object.keys(BENCHES).join(', ')}\n`);
  process.exit(2);
}
const names = asked.length ? asked : Object.keys(BENCHES);
const outDir = join(ROOT, 'bench', 'out');
mkdirSync(outDir, { recursive: true });

const started = Date.now();
const rows = [];
const peerTableFile = join(outDir, 'peer.table.md');
rmSync(peerTableFile, { force: true });
let failed = false;
for (const name of names) {
  const resultFile = join(outDir, `${name}.result.json`);
  rmSync(resultFile, { force: true });
  process.stdout.write(`\n=== ${name} (${BENCHES[name]}) ===\n`);
  const t = Date.now();
  const run = spawnSync(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', BENCHES[name]],
    { cwd: ROOT, stdio: 'inherit', env: { ...process.env, BENCH_RESULT_FILE: resultFile } },
  );
  const seconds = ((Date.now() - t) / 1000).toFixed(0);
  if (run.status !== 0 || !existsSync(resultFile)) {
    failed = true;
    rows.push({ name, seconds, goal: '(bench failed)', figure: `exit ${run.status ?? run.signal}`, baseline: '', ratio: '', verdict: 'ERROR' });
    continue;
  }
  for (const g of JSON.parse(readFileSync(resultFile, 'utf8'))) {
    if (!g.pass) failed = true;
    rows.push({ name, seconds, goal: g.goal, figure: g.figure, baseline: g.baseline, ratio: g.ratio === undefined ? '' : g.ratio.toFixed(3), verdict: g.pass ? 'PASS' : 'MISS' });
  }
}

const total = ((Date.now() - started) / 1000).toFixed(0);
const cell = (s) => String(s).replace(/\|/g, '\\|');
const lines = [
  '',
  `## Summary (${new Date().toISOString()}, ${os.cpus().length} cores ${os.cpus()[0]?.model ?? ''}, Node ${process.version}, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')})`,
  '',
  '| bench | goal | figure | baseline (same run) | ratio | result |',
  '|---|---|---|---|---|---|',
  ...rows.map((r) => `| ${r.name} (${r.seconds} s) | ${cell(r.goal)} | ${cell(r.figure)} | ${cell(r.baseline)} | ${r.ratio} | ${r.verdict} |`),
  '',
  `Total: ${total} s. Command: node bench/run-all.js ${asked.join(' ')}`.trimEnd(),
  '',
];
if (existsSync(peerTableFile)) lines.push('## Against the peer (thaibulksms-api 1.0.7)', '', readFileSync(peerTableFile, 'utf8'));
process.stdout.write(lines.join('\n'));
process.exit(failed ? 1 : 0);
