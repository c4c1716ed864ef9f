import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, normalize } from 'node:path';
import { getMetadataStorage } from 'class-validator';
import { APP_CONFIG_NAMESPACES } from './app-config';

const ROOT = join(__dirname, '../..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const unique = (names: readonly string[]) => [...new Set(names)].sort();

/** Variables the app's configuration reads: the fields of every namespace's variables class. */
function variablesReadByTheApp(): string[] {
  return unique(
    APP_CONFIG_NAMESPACES.flatMap(({ variables }) =>
      getMetadataStorage()
        .getTargetValidationMetadatas(variables, '', true, false)
        .map((m) => m.propertyName),
    ),
  );
}

/**
 * Variables the library's sandbox reader reads: every quoted NAME_LIKE_THIS in it. The embedded
 * sandbox of sandbox mode goes through the same reader (src/config/embedded-sandbox-env.ts).
 */
function variablesReadByTheSandbox(): string[] {
  const source = read('libs/thai-bulk-sms/src/sandbox/sandbox.env.ts');
  return unique([...source.matchAll(/'([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)'/g)].map((m) => m[1]));
}

function variablesInEnvExample(): string[] {
  return unique([...read('.env.example').matchAll(/^([A-Z0-9_]+)=/gm)].map((m) => m[1]));
}

/** The names in the first column of the table under "## Configuration" in README.md. */
function variablesInReadmeTable(): string[] {
  const readme = read('README.md');
  const start = readme.indexOf('\n## Configuration');
  const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
  const firstCells = [...section.matchAll(/^\| ([^|]+) \|/gm)].map((m) => m[1]);
  return unique(firstCells.flatMap((cell) => [...cell.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1])));
}

describe('Documentation of the configuration', () => {
  const variablesRead = unique([...variablesReadByTheApp(), ...variablesReadByTheSandbox()]);

  it('finds the variables (sanity)', () => {
    expect(variablesReadByTheApp()).toEqual(
      expect.arrayContaining([
        'THAIBULKSMS_API_KEY',
        'APP_API_KEYS',
        'PORT',
        'DELIVERY_WEBHOOK_TOKEN',
        'OTP_PHONE_DAILY_LIMIT',
      ]),
    );
    expect(variablesReadByTheApp().length).toBeGreaterThan(25);
    expect(variablesReadByTheSandbox()).toEqual(
      expect.arrayContaining([
        'SANDBOX_PORT',
        'SANDBOX_CREDIT_STANDARD',
        'SANDBOX_CREDIT_CORPORATE',
        'SANDBOX_SENDERS',
      ]),
    );
    expect(variablesInReadmeTable().length).toBeGreaterThan(25);
  });

  it('.env.example lists every variable read (app and sandbox), and nothing else', () => {
    const listed = variablesInEnvExample();
    expect(variablesRead.filter((v) => !listed.includes(v))).toEqual([]);
    expect(listed.filter((v) => !variablesRead.includes(v))).toEqual([]);
  });

  it('the README configuration table names every variable read (app and sandbox), and nothing else', () => {
    const documented = variablesInReadmeTable();
    expect(variablesRead.filter((v) => !documented.includes(v))).toEqual([]);
    expect(documented.filter((v) => !variablesRead.includes(v))).toEqual([]);
  });

  it('the README keeps the quick start to the two commands', () => {
    const readme = read('README.md');
    expect(readme).toContain('npm ci && npm start');
    expect(readme).toMatch(/^npm test\b/m);
    expect(readme).toContain('libs/thai-bulk-sms/README.md');
  });

  it('.ci/run is executable, installs cleanly and runs the README test command', () => {
    expect(statSync(join(ROOT, '.ci/run')).mode & 0o111).not.toBe(0);
    const ci = read('.ci/run');
    expect(ci).toContain('set -euo pipefail');
    expect(ci).toMatch(/^npm ci$/m);
    expect(ci).toMatch(/^npm test$/m);
  });
});

describe('package.json scripts (Nest conventions, issue point 10)', () => {
  const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;

  it('has build, start, start:dev, start:prod, test, test:e2e, sandbox and bench', () => {
    expect(Object.keys(scripts)).toEqual(
      expect.arrayContaining(['build', 'start', 'start:dev', 'start:prod', 'test', 'test:e2e', 'sandbox', 'bench']),
    );
    expect(scripts.build).toBe('nest build');
    expect(scripts.start).toBe('nest start');
    expect(scripts['start:dev']).toBe('nest start --watch');
    expect(scripts.test).toMatch(/\bjest\b/);
    expect(scripts['test:e2e']).toMatch(/\bjest\b.*--selectProjects e2e/);
  });

  it('start:prod runs node on the file `nest build` writes main to', () => {
    const cli = JSON.parse(read('nest-cli.json')) as {
      entryFile: string;
      sourceRoot: string;
      compilerOptions: { tsConfigPath: string };
    };
    const build = JSON.parse(read(cli.compilerOptions.tsConfigPath)) as {
      extends?: string;
      include: string[];
      compilerOptions?: { outDir?: string; rootDir?: string };
    };
    const base = build.extends
      ? (JSON.parse(read(build.extends)) as { compilerOptions: { outDir?: string; rootDir?: string } })
      : undefined;
    const outDir = build.compilerOptions?.outDir ?? base?.compilerOptions.outDir;
    // No rootDir and sources in both src/ and libs/: TypeScript keeps the paths from the
    // repository root, so src/main.ts becomes <outDir>/src/main.js (nest-cli's entryFile "src/main").
    expect(build.compilerOptions?.rootDir ?? base?.compilerOptions.rootDir).toBeUndefined();
    expect(build.include).toEqual(expect.arrayContaining(['src', 'libs/thai-bulk-sms/src']));
    expect(cli.entryFile).toBe('src/main');
    expect(existsSync(join(ROOT, `${cli.entryFile}.ts`))).toBe(true);
    const main = normalize(join(outDir!, `${cli.entryFile}.js`));
    expect(main).toBe(normalize('dist/src/main.js'));
    expect(scripts['start:prod']).toBe(`node ${main}`);
  });

  it('sandbox and bench run files that exist', () => {
    const sandboxMain = scripts.sandbox.match(/(libs\/\S+\.ts)/)?.[1];
    expect(sandboxMain).toBe('libs/thai-bulk-sms/src/sandbox/sandbox.main.ts');
    expect(existsSync(join(ROOT, sandboxMain!))).toBe(true);
    expect(scripts.bench).toBe('node bench/run-all.js');
    expect(existsSync(join(ROOT, 'bench/run-all.js'))).toBe(true);
  });
});
