import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// The sandbox sits beside the library and shares only the ground floor with it, so it
// can never lean on the client it is meant to judge.
const GROUND_FLOOR = ['../errors', '../phone', '../message'];

function libraryImports(file: string): string[] {
  const source = readFileSync(join(__dirname, file), 'utf8');
  const specifiers = [...source.matchAll(/(?:from\s+|import\s*\(\s*|require\s*\(\s*)'([^']+)'/g)].map((m) => m[1]);
  return specifiers.filter((s) => s.startsWith('..'));
}

describe('sandbox layering', () => {
  const files = readdirSync(__dirname).filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'));

  it('finds the sandbox sources', () => {
    expect(files).toEqual(expect.arrayContaining(['thai-bulk-sms-sandbox.ts', 'sms.handler.ts', 'sandbox.state.ts']));
  });

  it.each(files)('%s imports nothing above errors/, phone/ and message/', (file) => {
    const outside = libraryImports(file).filter(
      (s) => !GROUND_FLOOR.some((floor) => s === floor || s.startsWith(`${floor}/`)),
    );
    expect(outside).toEqual([]);
  });
});
