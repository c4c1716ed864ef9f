import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import ts from 'typescript';

const SRC = resolve(__dirname, '..');

/** Every library file an entry point reaches through relative imports (types included), with its bare imports. */
function reach(entry: string): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const bare: string[] = [];
    seen.set(file, bare);
    for (const { fileName } of importedFiles) {
      if (!fileName.startsWith('.')) {
        bare.push(fileName);
        continue;
      }
      const target = resolve(dirname(file), fileName);
      const next = [`${target}.ts`, join(target, 'index.ts')].find((candidate) => existsSync(candidate));
      if (!next) throw new Error(`${file}: cannot resolve ${fileName}`);
      visit(next);
    }
  };
  visit(join(SRC, entry));
  return seen;
}

const OTHER_ENTRIES = [
  'index.ts',
  'sandbox/index.ts',
  'testing/index.ts',
  'queue/index.ts',
  'undici/index.ts',
  'ledger/index.ts',
  'compliance/index.ts',
  'transport/index.ts',
  'helpers/index.ts',
  'instrumentation/index.ts',
];

describe('@opentelemetry/api stays an optional peer', () => {
  it('checks every entry point of package.json', () => {
    const { exports } = JSON.parse(readFileSync(join(SRC, '..', 'package.json'), 'utf8')) as { exports: object };
    const entries = Object.keys(exports)
      .filter((key) => key !== './package.json')
      .map((key) => (key === '.' ? 'index.ts' : `${key.slice(2)}/index.ts`));
    expect([...OTHER_ENTRIES, 'telemetry/index.ts'].sort()).toEqual(entries.sort());
  });

  it.each(OTHER_ENTRIES)('%s reaches no @opentelemetry import (an app without the package loads it)', (entry) => {
    const files = reach(entry);
    expect(files.size).toBeGreaterThan(3);
    const offending = [...files].filter(([, bare]) => bare.some((name) => name.startsWith('@opentelemetry/')));
    expect(offending.map(([file]) => file)).toEqual([]);
  });

  it('the telemetry entry does import it (the check can fail)', () => {
    const bare = [...reach('telemetry/index.ts').values()].flat();
    expect(bare).toContain('@opentelemetry/api');
  });
});
