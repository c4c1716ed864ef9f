#!/usr/bin/env node
// Summarises a V8 .cpuprofile (node --cpu-prof): self time by function and by file, the top N.
//   node bench/lib/cpuprofile-summary.js bench/out/service.cpuprofile [N] [filter-substring]
'use strict';
const { readFileSync } = require('node:fs');

const [file, topArg, filter] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: cpuprofile-summary.js <file.cpuprofile> [top=25] [only samples under frames whose url contains this]\n');
  process.exit(2);
}
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

// Time of each sample: the delta that follows it.
const selfUs = new Map();
const { samples, timeDeltas } = profile;
for (let i = 0; i < samples.length; i++) {
  const dt = timeDeltas[i + 1] ?? 0;
  selfUs.set(samples[i], (selfUs.get(samples[i]) ?? 0) + dt);
}

const under = (id) => {
  if (!filter) return true;
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) if ((byId.get(cur).callFrame.url ?? '').includes(filter)) return true;
  return false;
};

const fn = new Map();
const files = new Map();
let total = 0;
for (const [id, us] of selfUs) {
  total += us;
  if (!under(id)) continue;
  const { functionName, url, lineNumber } = byId.get(id).callFrame;
  const short = (url || '(native)').replace(/^.*node_modules\//, 'nm/').replace(/^.*\/work\/main\//, '');
  const key = `${functionName || '(anonymous)'}  ${short}:${lineNumber + 1}`;
  fn.set(key, (fn.get(key) ?? 0) + us);
  files.set(short, (files.get(short) ?? 0) + us);
}
const print = (title, map) => {
  process.stdout.write(`\n${title}\n`);
  for (const [k, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    process.stdout.write(`${(us / 1000).toFixed(0).padStart(8)} ms ${((us / total) * 100).toFixed(1).padStart(5)}%  ${k}\n`);
  }
};
process.stdout.write(`total sampled: ${(total / 1000).toFixed(0)} ms\n`);
print('self time by file', files);
print('self time by function', fn);
