import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  isCi,
  serviceMissingMessage,
  serviceSpecMode,
  SKIPPED_SUITES_DIR_ENV,
  SkippedSuiteRecord,
} from './describe-with-service.test-util';

interface Reporter {
  onTestResult(test: unknown, result: { testFilePath: string }): void;
  onRunComplete(): void;
}
// The reporter is plain JavaScript loaded by Jest itself (jest.config.js).
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS module without types
const Reporter = require('../../../../test/support/skipped-suites.reporter.js') as new () => Reporter;

describe('describeWithService', () => {
  it.each([
    [undefined, false],
    ['', false],
    ['false', false],
    ['0', false],
    ['true', true],
    ['1', true],
  ])('CI=%p counts as CI: %p', (value, expected) => {
    expect(isCi(value === undefined ? {} : { CI: value })).toBe(expected);
  });

  it('runs with the service, fails without it in CI, skips without it elsewhere', () => {
    expect(serviceSpecMode({ up: true }, { CI: 'true' })).toBe('run');
    expect(serviceSpecMode({ up: false }, { CI: 'true' })).toBe('fail');
    expect(serviceSpecMode({ up: false }, {})).toBe('skip');
  });

  it('says what is missing, why and how to get it', () => {
    expect(
      serviceMissingMessage('PostgreSQL', {
        up: false,
        reason: 'not reachable at 127.0.0.1:5432 (ECONNREFUSED)',
        help: 'Start one.',
      }),
    ).toBe('PostgreSQL is not available: not reachable at 127.0.0.1:5432 (ECONNREFUSED). Start one.');
  });
});

describe('the skipped-suites reporter', () => {
  const written: string[] = [];
  let write: jest.SpyInstance;
  beforeEach(() => {
    written.length = 0;
    write = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
  });
  afterEach(() => write.mockRestore());

  const record = (suite: string, file: string, service = 'Redis'): SkippedSuiteRecord => ({
    service,
    suite,
    file,
    reason: `not reachable (${service})`,
    help: `Start ${service}.`,
  });

  it('names each skipped suite when its file finishes, then prints one summary grouped by service and reason', () => {
    const reporter = new Reporter();
    const dir = process.env[SKIPPED_SUITES_DIR_ENV]!;
    expect(dir).toEqual(expect.any(String));
    const lines = [
      record('queue', 'a.spec.ts'),
      record('gate', 'b.spec.ts'),
      record('ledger', 'c.spec.ts', 'PostgreSQL'),
    ];
    appendFileSync(join(dir, 'skipped.jsonl'), lines.map((l) => JSON.stringify(l) + '\n').join(''));

    reporter.onTestResult({}, { testFilePath: join(process.cwd(), 'b.spec.ts') });
    expect(written).toEqual(['SKIPPED b.spec.ts › "gate": not reachable (Redis). Start Redis.\n']);

    written.length = 0;
    reporter.onRunComplete();
    const summary = written.join('');
    expect(summary).toContain('Skipped 3 suite(s) in 3 file(s) because a service they need is missing');
    expect(summary).toContain(
      '  Redis: not reachable (Redis). Start Redis.\n    - a.spec.ts › queue\n    - b.spec.ts › gate\n',
    );
    expect(summary).toContain(
      '  PostgreSQL: not reachable (PostgreSQL). Start PostgreSQL.\n    - c.spec.ts › ledger\n',
    );
    expect(process.env[SKIPPED_SUITES_DIR_ENV]).toBeUndefined();
  });

  it('prints nothing when nothing was skipped', () => {
    const reporter = new Reporter();
    reporter.onRunComplete();
    expect(written).toEqual([]);
  });
});
