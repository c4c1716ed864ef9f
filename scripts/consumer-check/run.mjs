#!/usr/bin/env node
// Consumer checks for the published shape of nestjs-thaibulksms (`npm run check:consumers`).
//
// Builds the library (npm run build:lib: CommonJS into dist/, ESM into dist/esm/), packs it
// (pack.mjs), proves the loopback guard refuses what it should (guard-selfcheck.cjs), then, in a
// fresh folder under the OS temp dir, for each fixture app in ./fixtures:
//   1. copies the app (and ./shared into its src/, exports-parity.mjs into its folder) and adds
//      the tarball as a dependency (file:…tgz);
//   2. npm install from the npm registry (--no-audit --no-fund --prefer-offline);
//   3. checks there is exactly one @nestjs/common and one @nestjs/core in node_modules;
//   4. type-checks with tsc --strict (tsconfig.json emits; any other tsconfig.*.json is a
//      --noEmit variant, e.g. classic node10 resolution);
//   5. in a separate process, imports (ESM build) and requires (CommonJS build) every entry point
//      and compares their exports (exports-parity.mjs);
//   6. runs the compiled app with loopback-guard.cjs preloaded: it starts ThaiBulkSmsSandbox from
//      `nestjs-thaibulksms/sandbox` on 127.0.0.1:0, boots the Nest app whose ThaiBulkSmsModule is
//      registered with forRootAsync + ConfigService, sends an SMS and OTP requests through the
//      injected services and asserts on sandbox.messages() / sandbox.lastOtp(); then, with Redis
//      on 127.0.0.1:6379 (required when CI=true), enqueues through `nestjs-thaibulksms/queue`;
//   7. runs the app's own Jest test (shared/notification.service.spec.ts, ThaiBulkSmsTestingModule)
//      with the guard preloaded: ESM mode (--experimental-vm-modules, ts-jest useESM) for a
//      "type": "module" app, CommonJS otherwise.
// Prints PASS/FAIL per consumer and exits non-zero if any failed.
//
// Options: --skip-build (pack the existing dist), --keep (keep the temp folder),
//          --only=<fixture> (run one fixture; repeatable),
//          --tarball=<path> (check a tarball packed elsewhere; no build, no pack).
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { packLibrary, repoRoot } from './pack.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixturesDir = path.join(here, 'fixtures');
// Checks that read the same in CommonJS and ESM, copied into every fixture's src/.
const sharedDir = path.join(here, 'shared');
const guard = path.join(here, 'loopback-guard.cjs');
const guardSelfCheck = path.join(here, 'guard-selfcheck.cjs');
const exportsParity = path.join(here, 'exports-parity.mjs');

const args = process.argv.slice(2);
const skipBuild = args.includes('--skip-build');
const keep = args.includes('--keep');
const givenTarball = args.find((a) => a.startsWith('--tarball='))?.slice('--tarball='.length);
const only = args.filter((a) => a.startsWith('--only=')).map((a) => a.slice('--only='.length));
const fixtures = readdirSync(fixturesDir).filter((f) => only.length === 0 || only.includes(f)).sort();

const INSTALL_TIMEOUT_MS = 300_000;
const TSC_TIMEOUT_MS = 120_000;
const RUN_TIMEOUT_MS = 60_000;
const JEST_TIMEOUT_MS = 120_000;

const secs = (ms) => `${(ms / 1000).toFixed(1)}s`;

/** Runs a command, collecting its output; never throws. */
function run(cmd, argv, { cwd, env = process.env, timeoutMs }) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(cmd, argv, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (err) => {
      stderr += `\n${err.message}`;
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: timedOut ? 'timeout' : code ?? signal, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** Every installed copy of a package (by walking node_modules, nested ones included). */
function installedCopies(root, name) {
  const found = [];
  const walk = (nm) => {
    if (!existsSync(nm)) return;
    const here = path.join(nm, ...name.split('/'), 'package.json');
    if (existsSync(here)) found.push(path.relative(root, path.dirname(here)));
    for (const entry of readdirSync(nm, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name === '.bin') continue;
      const dirs = entry.name.startsWith('@')
        ? readdirSync(path.join(nm, entry.name), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => path.join(nm, entry.name, e.name))
        : [path.join(nm, entry.name)];
      for (const d of dirs) walk(path.join(d, 'node_modules'));
    }
  };
  walk(path.join(root, 'node_modules'));
  return found;
}

/** Environment for the consumer app: the caller's, minus anything that could point it elsewhere. */
function cleanEnv() {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(THAIBULKSMS_|SANDBOX_|APP_API_KEYS$|NODE_OPTIONS$|PORT$)/.test(k)) continue;
    env[k] = v;
  }
  return env;
}

async function checkConsumer(name, workdir, tarball) {
  const started = Date.now();
  const log = [];
  const steps = [];
  const say = (line) => log.push(line);
  const progress = (line) => console.log(`[${name}] ${line}`);
  const app = path.join(workdir, name);

  const step = async (label, fn) => {
    const t = Date.now();
    const ok = await fn();
    steps.push({ label, ms: Date.now() - t, ok });
    progress(`${label} ${ok ? 'ok' : 'FAILED'} (${secs(Date.now() - t)})`);
    return ok;
  };
  const show = (r) => {
    const out = `${r.stdout}${r.stderr}`.trim();
    if (out) say(out.replace(/^/gm, '    '));
  };

  // A fixture that differs from another only in its versions and tsconfig names that one's src/
  // in package.json ("consumerCheck": { "sourcesFrom": "<fixture>" }) instead of a copy of it.
  const fixturePkg = JSON.parse(readFileSync(path.join(fixturesDir, name, 'package.json'), 'utf8'));
  const sourcesFrom = fixturePkg.consumerCheck?.sourcesFrom;
  if (sourcesFrom) cpSync(path.join(fixturesDir, sourcesFrom, 'src'), path.join(app, 'src'), { recursive: true });
  cpSync(path.join(fixturesDir, name), app, { recursive: true });
  cpSync(sharedDir, path.join(app, 'src'), { recursive: true });
  copyFileSync(exportsParity, path.join(app, 'exports-parity.mjs'));
  const pkgPath = path.join(app, 'package.json');
  const { consumerCheck: _, ...pkg } = fixturePkg;
  const esm = pkg.type === 'module';
  pkg.dependencies = { ...pkg.dependencies, 'nestjs-thaibulksms': `file:${tarball}` };
  writeFileSync(pkgPath, `${JSON.stringify(pkg, null, 2)}\n`);

  const ok =
    (await step('npm install', async () => {
      const r = await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=warn'], {
        cwd: app,
        timeoutMs: INSTALL_TIMEOUT_MS,
      });
      // Peer-dependency trouble is what this check is for; other npm chatter is not shown.
      const peerWarnings = r.stderr.split('\n').filter((l) => /peer|ERESOLVE/i.test(l));
      say(`  npm install: ${peerWarnings.length ? 'peer warnings:' : 'no peer-dependency warnings'}`);
      for (const l of peerWarnings) say(`    ${l}`);
      if (r.code !== 0) {
        say(`  npm install exited ${r.code}`);
        show(r);
      }
      return r.code === 0;
    })) &&
    (await step('one copy of each shared package', async () => {
      let good = true;
      for (const dep of ['@nestjs/common', '@nestjs/core', '@nestjs/axios', '@nestjs/bullmq', 'bullmq', 'reflect-metadata', 'rxjs', 'nestjs-thaibulksms']) {
        const copies = installedCopies(app, dep);
        const versions = copies.map((c) => `${c}@${JSON.parse(readFileSync(path.join(app, c, 'package.json'), 'utf8')).version}`);
        say(`  ${dep}: ${versions.join(', ') || 'not installed'}`);
        if (copies.length !== 1) good = false;
      }
      return good;
    })) &&
    (await step('tsc --strict', async () => {
      const tsc = path.join(app, 'node_modules', 'typescript', 'bin', 'tsc');
      const configs = readdirSync(app).filter((f) => /^tsconfig(\..+)?\.json$/.test(f)).sort((a, b) => (a === 'tsconfig.json' ? -1 : b === 'tsconfig.json' ? 1 : a.localeCompare(b)));
      for (const config of configs) {
        const r = await run(process.execPath, [tsc, '-p', config, '--strict'], { cwd: app, timeoutMs: TSC_TIMEOUT_MS });
        say(`  tsc -p ${config} --strict: ${r.code === 0 ? 'clean' : `exit ${r.code}`} (${secs(r.ms)})`);
        if (r.code !== 0) {
          show(r);
          return false;
        }
      }
      return true;
    })) &&
    (await step('import and require: same exports', async () => {
      const r = await run(process.execPath, ['--require', guard, 'exports-parity.mjs'], { cwd: app, env: cleanEnv(), timeoutMs: RUN_TIMEOUT_MS });
      show(r);
      const blocked = /LOOPBACK-GUARD BLOCKED/.test(r.stderr);
      if (blocked) say('  non-loopback traffic attempted: YES');
      return r.code === 0 && !blocked && r.stdout.includes('EXPORTS-PARITY OK');
    })) &&
    (await step('run compiled app against the sandbox', async () => {
      const r = await run(process.execPath, ['--require', guard, path.join('dist', 'main.js')], {
        cwd: app,
        env: cleanEnv(),
        timeoutMs: RUN_TIMEOUT_MS,
      });
      show(r);
      const blocked = /LOOPBACK-GUARD BLOCKED/.test(r.stderr);
      const experimental = /ExperimentalWarning/.test(r.stderr);
      say(`  exit ${r.code}; non-loopback traffic attempted: ${blocked ? 'YES' : 'none'}; ExperimentalWarning printed: ${experimental ? 'yes' : 'no'}`);
      return r.code === 0 && !blocked && r.stdout.includes('CONSUMER-CHECK OK');
    })) &&
    (await step(`jest (${esm ? 'ESM mode' : 'CommonJS'})`, async () => {
      // What the app's `npm test` runs (package.json scripts.test), with the guard preloaded; not
      // through npm, whose own registry checks the guard would (rightly) refuse.
      const nodeArgs = ['--require', guard, ...(esm ? ['--experimental-vm-modules'] : [])];
      const r = await run(process.execPath, [...nodeArgs, path.join('node_modules', 'jest', 'bin', 'jest.js'), '--ci', '--runInBand', '--colors=false'], {
        cwd: app,
        env: { ...cleanEnv(), CONSUMER_JEST_MODULES: esm ? 'esm' : 'cjs', FORCE_COLOR: '0' },
        timeoutMs: JEST_TIMEOUT_MS,
      });
      const blocked = /LOOPBACK-GUARD BLOCKED/.test(r.stderr);
      const tests = /^Tests:\s+(.*)$/m.exec(r.stderr)?.[1] ?? 'no summary';
      if (r.code !== 0 || blocked) show(r);
      // Deprecations from Jest or ts-jest (e.g. a JSON import without an attribute) are shown, not failed.
      const warnings = [...new Set(r.stderr.split('\n').filter((l) => /^Jest: |ts-jest\[[^\]]*\] \(WARN\)/.test(l)))];
      say(`  node ${nodeArgs.slice(2).join(' ')}${nodeArgs.length > 2 ? ' ' : ''}jest: exit ${r.code}; tests: ${tests}; non-loopback traffic attempted: ${blocked ? 'YES' : 'none'}; Jest/ts-jest warnings: ${warnings.length || 'none'}`);
      for (const w of warnings) say(`    ${w}`);
      return r.code === 0 && !blocked && /\d+ passed/.test(tests) && !/failed|skipped|todo/.test(tests);
    }));

  return { name, ok, steps, log, ms: Date.now() - started };
}

async function main() {
  const t0 = Date.now();
  console.log(`consumer checks: ${fixtures.join(', ')} (node ${process.version})`);

  if (!skipBuild && !givenTarball) {
    const b = await run('npm', ['run', '--silent', 'build:lib'], { cwd: repoRoot, timeoutMs: TSC_TIMEOUT_MS });
    if (b.code !== 0) {
      console.error(`build:lib FAILED (exit ${b.code})\n${b.stdout}${b.stderr}`);
      console.log(`consumer checks: FAIL (library does not build)\n0 passed, ${fixtures.length} failed`);
      process.exit(1);
    }
    console.log(`build:lib ok (${secs(b.ms)})`);
  }

  let packed;
  try {
    packed = givenTarball
      ? { tarball: path.resolve(givenTarball), size: statSync(givenTarball).size }
      : packLibrary();
  } catch (err) {
    console.error(`pack FAILED: ${err.message}`);
    console.log(`0 passed, ${fixtures.length} failed`);
    process.exit(1);
  }

  // The guard must refuse what it promises before it is trusted with the apps.
  const g = await run(process.execPath, ['--require', guard, guardSelfCheck], { cwd: here, timeoutMs: RUN_TIMEOUT_MS });
  const guardChecks = (g.stdout.match(/^ok - /gm) ?? []).length;
  if (g.code !== 0 || !g.stdout.includes('GUARD-SELFCHECK OK')) {
    console.error(`loopback guard self-check FAILED (exit ${g.code})\n${g.stdout}${g.stderr}`);
    console.log(`0 passed, ${fixtures.length} failed`);
    process.exit(1);
  }
  console.log(`loopback guard self-check ok: ${guardChecks} checks (TCP, fetch, DNS lookup/resolve/Resolver, UDP refused outside loopback; loopback allowed) (${secs(g.ms)})`);

  const workdir = mkdtempSync(path.join(tmpdir(), 'thaibulksms-consumers-'));
  const tarball = path.join(workdir, path.basename(packed.tarball));
  copyFileSync(packed.tarball, tarball);
  console.log(`work folder: ${workdir}`);

  const results = await Promise.all(fixtures.map((f) => checkConsumer(f, workdir, tarball)));

  for (const r of results) {
    console.log(`\n=== ${r.name}: ${r.ok ? 'PASS' : 'FAIL'} (${secs(r.ms)})`);
    for (const line of r.log) console.log(line);
  }
  console.log('\nsummary:');
  for (const r of results) {
    const parts = r.steps.map((s) => `${s.label} ${secs(s.ms)}${s.ok ? '' : ' FAILED'}`).join(', ');
    console.log(`  ${r.ok ? 'PASS' : 'FAIL'}  ${r.name.padEnd(12)} ${secs(r.ms).padStart(7)}  [${parts}]`);
  }
  const failed = results.filter((r) => !r.ok).length;
  console.log(`  total ${secs(Date.now() - t0)}; tarball ${(packed.size / 1024).toFixed(1)} kB`);
  if (failed === 0 && !keep) rmSync(workdir, { recursive: true, force: true });
  else console.log(`  work folder kept: ${workdir}`);
  console.log(`${results.length - failed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
