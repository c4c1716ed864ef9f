import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CaptureFile, readCaptureDir, scan, ScanResult } from './secret-scan';

const FRAGMENTS = resolve(__dirname, '../out/reliability');

/**
 * After every e2e spec of the run: the secret scan of issue 6.3 over everything the apps said
 * (test/support/e2e-capture.ts), and the sum of the unhandled rejections / uncaught exceptions the
 * e2e environment counted in each spec file. Fails the run on any leak, any unmasked phone in a
 * log, any process fault, or a canary the scan did not find. Writes the figures for
 * scripts/reliability-report.js.
 */
export default function globalTeardown(): void {
  const dir = process.env.E2E_CAPTURE_DIR;
  if (!dir) throw new Error('E2E_CAPTURE_DIR is not set: test/support/e2e-global-setup.ts did not run');
  selfTest();
  const files = readCaptureDir(dir);
  const result = scan(files);
  const leaks = result.leaks.filter((f) => !f.canary);
  const phones = result.unmaskedPhones.filter((f) => !f.canary);
  const problems = [
    ...(files.length === 0 ? [`no capture file in ${dir}: the e2e environment recorded nothing`] : []),
    ...leaks.map((f) => `${f.what} in a ${f.where} of ${f.spec} (x${f.count})`),
    ...phones.map((f) => `unmasked phone ${f.what} in a log of ${f.spec} (x${f.count})`),
    ...result.canariesMissed.map((name) => `canary ${name} was planted but the scan did not find it`),
    ...result.processFaults,
  ];
  const at = new Date().toISOString();
  mkdirSync(FRAGMENTS, { recursive: true });
  writeFileSync(
    join(FRAGMENTS, 'secrets.json'),
    JSON.stringify(
      {
        name: 'secrets',
        at,
        runStartedAt: process.env.E2E_RUN_STARTED_AT,
        specFiles: result.specs,
        specs: files.map((f) => f.spec),
        logLines: result.logLines,
        responses: result.responses,
        secretsSearched: result.secretsSearched,
        leaksFound: leaks.length,
        leaks,
        unmaskedPhones: phones.length,
        unmaskedPhoneFindings: phones,
        canariesFound: result.canariesFound,
        canariesMissed: result.canariesMissed,
      },
      null,
      2,
    ),
  );
  writeFileSync(
    join(FRAGMENTS, 'process.json'),
    JSON.stringify(
      {
        name: 'process',
        at,
        runStartedAt: process.env.E2E_RUN_STARTED_AT,
        specFiles: result.specs,
        unhandledRejections: result.unhandledRejections,
        uncaughtExceptions: result.uncaughtExceptions,
        faults: result.processFaults,
      },
      null,
      2,
    ),
  );
  process.stdout.write(
    `\nE2E secret scan: ${result.specs} spec files, ${result.logLines} log lines, ${result.responses} responses, ` +
      `${result.secretsSearched} secrets searched: ${leaks.length} leaks, ${phones.length} unmasked phones in logs, ` +
      `${result.canariesFound} canary hits (${result.canariesMissed.length} missed); ` +
      `${result.unhandledRejections} unhandled rejections, ${result.uncaughtExceptions} uncaught exceptions\n`,
  );
  if (problems.length > 0) throw new Error(`E2E secret scan / process faults:\n  - ${problems.join('\n  - ')}`);
}

/** The search itself on planted input, every run: a scan that cannot find anything proves nothing. */
function selfTest(): void {
  const secret = 'self-test-secret-0123456789';
  const file: CaptureFile = {
    spec: 'self-test',
    entries: [
      { k: 'secret', name: 'planted', value: secret },
      { k: 'log', level: 'warn', text: `token ${Buffer.from(secret).toString('base64')} to 0812345678` },
      { k: 'response', method: 'GET', url: '/', status: 200, headers: {}, body: `{"x":"${secret}"}` },
      { k: 'response', method: 'GET', url: '/', status: 200, headers: {}, body: '{"phone":"66812345678"}' },
      { k: 'log', level: 'log', text: 'sent to 081xxxx678 in 0.812345678 s' },
      { k: 'log', level: 'warn', text: 'odd report for +66 81-234-5679' },
    ],
  };
  const r: ScanResult = scan([file]);
  const ok =
    r.leaks.length === 2 &&
    r.leaks.some((f) => f.where === 'log' && f.what === 'planted (base64)') &&
    r.leaks.some((f) => f.where === 'response' && f.what === 'planted') &&
    r.unmaskedPhones.length === 2 &&
    r.unmaskedPhones.some((f) => f.what === '0812345678') &&
    r.unmaskedPhones.some((f) => f.what === '+66 81-234-5679');
  if (!ok) throw new Error(`secret scan self-test failed: ${JSON.stringify(r)}`);
}
