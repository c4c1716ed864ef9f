import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

// undici is an optional peer: an app that keeps the default transport may not have it installed,
// so no other entry point may load it, directly or through a file it imports.
const SRC = join(__dirname, '..');
const OTHER_ENTRIES = [
  'index.ts',
  'sandbox/index.ts',
  'testing/index.ts',
  'queue/index.ts',
  'ledger/index.ts',
  'compliance/index.ts',
  'transport/index.ts',
];
/** Entry points that load few packages (the walk is shown to work by the files it reaches). */
const SMALL_ENTRIES = ['telemetry/index.ts', 'helpers/index.ts'];
/** Entry points that load no package at all. */
const PACKAGE_FREE_ENTRIES = ['instrumentation/index.ts'];
const PACKAGE_JSON = JSON.parse(readFileSync(join(SRC, '..', 'package.json'), 'utf8')) as { exports: object };
const VALUE_IMPORT = /^(?:import|export)\s+(?!type\b)[^;]*?from\s+'([^']+)'|import\s*\(\s*'([^']+)'\s*\)/gm;

function sourceOf(specifier: string, from: string): string | undefined {
  const base = resolve(dirname(from), specifier);
  return [`${base}.ts`, join(base, 'index.ts')].find((file) => existsSync(file));
}

/** Every bare package a file loads at run time, through the relative files it loads. */
function packagesReachedFrom(entry: string, seen = new Set<string>()): Map<string, string> {
  const packages = new Map<string, string>();
  const queue = [join(SRC, entry)];
  for (let file = queue.pop(); file; file = queue.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    for (const match of readFileSync(file, 'utf8').matchAll(VALUE_IMPORT)) {
      const specifier = match[1] ?? match[2];
      if (specifier.startsWith('.')) {
        const next = sourceOf(specifier, file);
        if (next) queue.push(next);
      } else if (!packages.has(specifier)) packages.set(specifier, file.slice(SRC.length + 1));
    }
  }
  return packages;
}

describe('undici stays optional', () => {
  it('checks every entry point of package.json', () => {
    const entries = Object.keys(PACKAGE_JSON.exports)
      .filter((key) => key !== './package.json')
      .map((key) => (key === '.' ? 'index.ts' : `${key.slice(2)}/index.ts`));
    expect([...OTHER_ENTRIES, ...SMALL_ENTRIES, ...PACKAGE_FREE_ENTRIES, 'undici/index.ts'].sort()).toEqual(
      entries.sort(),
    );
  });

  it.each(SMALL_ENTRIES)('is not loaded by %s', (entry) => {
    const files = new Set<string>();
    const packages = packagesReachedFrom(entry, files);
    expect(files.size).toBeGreaterThan(3); // the walk found the entry's imports
    expect(packages.get('undici')).toBeUndefined();
  });

  it.each(PACKAGE_FREE_ENTRIES)('is not loaded by %s, which loads no package', (entry) => {
    expect([...packagesReachedFrom(entry).keys()]).toEqual([]);
  });

  it('is loaded by the undici entry point', () => {
    expect(packagesReachedFrom('undici/index.ts').has('undici')).toBe(true);
  });

  it.each(OTHER_ENTRIES)('is not loaded by %s', (entry) => {
    const packages = packagesReachedFrom(entry);
    expect(packages.size).toBeGreaterThan(3); // the walk found the entry's imports
    expect(packages.get('undici')).toBeUndefined();
  });
});
