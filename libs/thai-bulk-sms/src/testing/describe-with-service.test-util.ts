import { appendFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Where test/support/skipped-suites.reporter.js (the Jest reporter that prints the end-of-run
 * summary) wants skip records: one JSON line per skipped suite. Unset when Jest runs without that
 * reporter; then a skip is only a console warning.
 */
export const SKIPPED_SUITES_DIR_ENV = 'TBS_SKIPPED_SUITES_DIR';

/** What a probe found: the service answers, or why not and how to get one running. */
export type ServiceProbe =
  | { readonly up: true }
  | {
      readonly up: false;
      /** Why it is not usable, with the address tried: `not reachable at redis://… (ECONNREFUSED)`. */
      readonly reason: string;
      /** One sentence on how to get it: `start one with … or set REDIS_URL`. */
      readonly help?: string;
    };

/** One suite that did not run because a service was missing (what the reporter reads). */
export interface SkippedSuiteRecord {
  readonly service: string;
  readonly suite: string;
  /** The spec file, relative to the working directory. */
  readonly file: string;
  readonly reason: string;
  readonly help?: string;
}

/**
 * Whether we run in CI: any non-empty CI other than "false" or "0". CI services set CI=true, but
 * some set CI=1 (and people type either); reading only "true" skipped the Redis specs there.
 */
export function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = (env.CI ?? '').trim().toLowerCase();
  return value !== '' && value !== 'false' && value !== '0';
}

/** What describeWithService does: run with the service; without it fail in CI, skip elsewhere. */
export function serviceSpecMode(probe: { up: boolean }, env: NodeJS.ProcessEnv): 'run' | 'fail' | 'skip' {
  if (probe.up) return 'run';
  return isCi(env) ? 'fail' : 'skip';
}

/** The sentence a skip or a CI failure prints. */
export function serviceMissingMessage(service: string, probe: Exclude<ServiceProbe, { up: true }>): string {
  return `${service} is not available: ${probe.reason}.${probe.help ? ` ${probe.help}` : ''}`;
}

/**
 * `describe` for specs that need a server (Redis, PostgreSQL, Chromium…). `probe` runs while Jest
 * collects the tests, so it must be synchronous (run a child process, as probeRedis does).
 *
 * - The service answers: the suite runs.
 * - It does not, in CI (see isCi): one failing test that says what is missing; CI never skips.
 * - It does not, elsewhere: the suite is skipped, with a warning and a record for the summary the
 *   reporter prints at the end of the run.
 *
 * A skipped body is still executed to collect its tests (Jest has no other way), so create
 * clients and servers in `beforeAll`, never in the describe body: there they would be opened
 * and, their `afterAll` never running, keep Jest from exiting.
 */
export function describeWithService(service: string, probe: () => ServiceProbe, name: string, body: () => void): void {
  const found = probe();
  if (found.up) {
    describe(name, body);
    return;
  }
  const message = serviceMissingMessage(service, found);
  if (serviceSpecMode(found, process.env) === 'fail') {
    describe(name, () => {
      it(`needs ${service}`, () => {
        throw new Error(`${message} CI=${process.env.CI}, so this fails instead of skipping.`);
      });
    });
    return;
  }
  recordSkip({ service, suite: name, file: specFile(), reason: found.reason, help: found.help }, message);
  describe.skip(name, body);
}

/** The record for the end-of-run summary, or (without the reporter) a warning of its own. */
function recordSkip(record: SkippedSuiteRecord, message: string): void {
  const dir = process.env[SKIPPED_SUITES_DIR_ENV];
  if (dir) {
    try {
      // One short line per append: concurrent workers' lines never interleave.
      appendFileSync(join(dir, 'skipped.jsonl'), `${JSON.stringify(record)}\n`);
      return;
    } catch {
      // The reporter's directory is gone (a run that outlived it): warn instead.
    }
  }
  console.warn(`SKIPPED "${record.suite}": ${message}`);
}

function specFile(): string {
  const path = expect.getState().testPath;
  return path ? relative(process.cwd(), path) : 'unknown spec file';
}
