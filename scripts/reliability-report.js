#!/usr/bin/env node
// Reads the figures the reliability specs and the e2e teardown wrote (test/out/reliability/*.json)
// and prints ONE summary table. `npm run test:reliability` runs it twice:
//   --start   before Jest: empties test/out/reliability/ and records when the run started;
//   (none)    after Jest: the table. A figures file older than the run start is refused (stale),
//             a missing one shows "not run"; either makes its rows fail.
const { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { join, resolve } = require('node:path');

const dir = resolve(__dirname, '../test/out/reliability');
const RUN = join(dir, 'run.json');

if (process.argv.includes('--start')) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(RUN, JSON.stringify({ startedAt: new Date().toISOString() }, null, 2));
  process.exit(0);
}

const run = existsSync(RUN) ? JSON.parse(readFileSync(RUN, 'utf8')) : undefined;
const startedAt = run ? Date.parse(run.startedAt) : undefined;
const refused = [];
const read = (name) => {
  const file = join(dir, `${name}.json`);
  if (!existsSync(file)) return undefined;
  const data = JSON.parse(readFileSync(file, 'utf8'));
  if (startedAt !== undefined && !(Date.parse(data.at) >= startedAt)) {
    refused.push(`${name}.json (written ${data.at}, before this run started ${run.startedAt})`);
    return { stale: true, at: data.at };
  }
  return data;
};

const f = read('faults');
const z = read('fuzz');
const s = read('secrets');
const p = read('process');
const l = read('limiter');
const m = read('load');
const fresh = (x) => x && !x.stale;
const na = (x) => (x && x.stale ? `stale (${x.at})` : 'not run');
const num = (x) => (typeof x === 'number' ? x : NaN);

// Unhandled rejections / uncaught exceptions: counted on the real process in every e2e spec file
// (process.json, by the e2e teardown), and in the app process of the load test; canaries prove
// the counters count (one deliberate rejection each, taken back).
const unhandledParts = [
  ['all e2e specs', p, p && num(p.unhandledRejections) + num(p.uncaughtExceptions), undefined],
  ['fault matrix', f, f && num(f.unhandledRejections) + num(f.uncaughtExceptions), f && f.unhandledCanarySeen],
  ['fuzz', z, z && num(z.unhandledRejections) + num(z.uncaughtExceptions), z && z.unhandledCanarySeen],
  ['app process under load', m, m && num(m.unhandledRejections) + num(m.uncaughtExceptions), m && m.unhandledCanarySeen],
];
const unhandledFigure = unhandledParts
  .map(([label, src, n, canary]) => `${label} ${fresh(src) ? n : na(src)}${canary !== undefined && fresh(src) ? ` (canary ${canary})` : ''}`)
  .join(', ');
const unhandledOk = unhandledParts.every(([, src, n, canary]) => fresh(src) && n === 0 && (canary === undefined || canary === 1));

const duplicates = fresh(f) && fresh(m) ? num(f.duplicates) + num(m.sendsDuplicated) : NaN;

// The adversarial review's defects (issue 12): each one's regression test writes defect-D<n>.json
// once it has passed; every one must be there and fresh.
const defectIds = Array.from({ length: 17 }, (_, i) => `D${i + 1}`);
const defects = defectIds.map((id) => ({ id, data: read(`defect-${id}`) }));
const proven = defects.filter((d) => fresh(d.data) && d.data.id === d.id);
const unproven = (which) => defects.filter((d) => which(d.data)).map((d) => d.id);
const missingDefects = unproven((d) => !d);
const staleDefects = unproven((d) => d && d.stale);
const defectsFigure =
  `${proven.length} / ${defectIds.length}` +
  (missingDefects.length ? `; not run: ${missingDefects.join(' ')}` : '') +
  (staleDefects.length ? `; stale: ${staleDefects.join(' ')}` : '');

const rows = [
  [
    'faults tried / survived',
    fresh(f) ? `${f.faultsTried} / ${f.faultsSurvived} (${f.faultKinds} kinds, incl. ${f.vendor500Names} vendor 500 names)` : na(f),
    'all survived',
    fresh(f) && f.faultsTried === f.faultsSurvived && f.vendor500Names > 0,
  ],
  ['unhandled rejections + uncaught exceptions', unhandledFigure, '0 (canaries 1)', unhandledOk],
  [
    'duplicate sends',
    fresh(f) && fresh(m) ? `${duplicates} (fault matrix ${f.duplicates}, load ${m.sendsDuplicated})` : `fault matrix ${fresh(f) ? f.duplicates : na(f)}, load ${fresh(m) ? m.sendsDuplicated : na(m)}`,
    '0',
    duplicates === 0,
  ],
  ['bad inputs tried', fresh(z) ? `${z.badInputsTried} (+${z.toleratedRequests ?? 0} ignorable junk)` : na(z), '>= 10000', fresh(z) && z.badInputsTried >= 10000],
  ['5xx to bad input', fresh(z) ? `${z.fiveXx} (${z.problems} other problems)` : na(z), '0', fresh(z) && z.fiveXx === 0 && z.problems === 0],
  ['sandbox requests from bad input', fresh(z) ? z.sandboxRequests : na(z), '0', fresh(z) && z.sandboxRequests === 0],
  [
    'leaks found',
    fresh(s)
      ? `${s.leaksFound} (${s.specFiles} spec files, ${s.logLines} log lines, ${s.responses} responses, ${s.secretsSearched} secrets; canary hits ${s.canariesFound})`
      : na(s),
    '0 (canaries found)',
    fresh(s) && s.leaksFound === 0 && s.canariesMissed.length === 0 && s.canariesFound > 0,
  ],
  ['unmasked phones in logs', fresh(s) ? s.unmaskedPhones : na(s), '0', fresh(s) && s.unmaskedPhones === 0],
  ['adversarial-review defects proven', defectsFigure, `${defectIds.length} / ${defectIds.length}`, proven.length === defectIds.length],
  [
    'windows over the limit',
    fresh(l) && l.windowsOverLimit !== undefined ? `${l.windowsOverLimit} (${l.sends} sends, ${l.rejectedOverLimit} refused)` : na(l),
    '0',
    fresh(l) && l.windowsOverLimit === 0 && l.rejectedOverLimit === 0,
  ],
  // Information only: on a busy machine the rate measures the CPU; its goal is bench/cap.bench.ts's.
  [
    'average TPS at maxTps 120',
    fresh(l) && l.averageTps !== undefined ? l.averageTps.toFixed(1) : na(l),
    'information (goal: bench/cap.bench.ts)',
    fresh(l) && l.averageTps !== undefined && 'info',
  ],
  [
    'load: valid-request errors',
    fresh(m) ? `${m.validErrors} of ${m.validRequests} (${m.seconds} s; ${m.invalidNot4xx} invalid not 4xx)` : na(m),
    '0',
    fresh(m) && m.validErrors === 0 && m.invalidNot4xx === 0,
  ],
  [
    'load: sends vs 2xx answers',
    fresh(m) ? `${m.sandboxSmsRequests} sends for ${m.valid2xx} 2xx (+${m.validUnansweredAtEnd} cut off at the end); ${m.sendsLost} lost` : na(m),
    'none lost, none twice',
    fresh(m) && m.sendsLost === 0 && m.sendsDuplicated === 0,
  ],
  [
    'load: memory after warm-up',
    fresh(m)
      ? `RSS ${m.rssGrowthPct}% (after GC ${m.rssAfterWarmupMb} -> ${m.rssAtEndMb} MB); retained spread ${m.retainedSpreadPct}%; ` +
        `RSS trend ${m.afterGcProjectedGrowthPct}% after GC, ${m.rawProjectedGrowthPct}% raw${m.rssTrendsJudged ? '' : ' (window too short to judge)'}`
      : na(m),
    '< 10% each',
    fresh(m) && m.rssGrowthPct < 10 && m.retainedSpreadPct < 10 && (!m.rssTrendsJudged || (m.afterGcProjectedGrowthPct < 10 && m.rawProjectedGrowthPct < 10)),
  ],
];
const cells = [['check', 'figure', 'goal', 'ok'], ...rows.map(([a, b, c, ok]) => [a, String(b), c, ok === 'info' ? 'info' : ok ? 'yes' : 'NO'])];
const widths = cells[0].map((_, i) => Math.max(...cells.map((r) => r[i].length)));
const line = (r) => r.map((c, i) => c.padEnd(widths[i])).join(' | ');
console.log('\nReliability proof — summary');
console.log(line(cells[0]));
console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
for (const r of cells.slice(1)) console.log(line(r));
const files = existsSync(dir) ? readdirSync(dir).filter((x) => x.endsWith('.json') && x !== 'run.json') : [];
console.log(
  `(from ${files.length} figures file(s) in test/out/reliability${run ? `, run started ${run.startedAt}` : '; no run start recorded, so nothing is refused as stale: run `npm run test:reliability`'})`,
);
for (const r of refused) console.log(`refused as stale: ${r}`);
process.exitCode = rows.every((r) => r[3]) ? 0 : 1;
