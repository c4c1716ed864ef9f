import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The first ```ts block under `## Testing` in the library README. */
function readmeExample(): string {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('\n## Testing\n'));
  const match = /```ts\n([\s\S]*?)```/.exec(section);
  if (!match) throw new Error('README.md has no ```ts block under "## Testing"');
  // The block opens with the name of the file it goes in (`// orders.notifier.spec.ts`).
  return match[1].replace(/^\/\/ [\w.-]+\.ts\n/, '');
}

describe('README Testing example', () => {
  it('is exactly the code readme-example.spec.ts runs (with the published package name)', () => {
    const spec = readFileSync(join(__dirname, 'readme-example.spec.ts'), 'utf8');
    // The spec opens with a comment saying why it exists; the example starts at its first import.
    const code = spec.slice(spec.indexOf('import '));
    expect(readmeExample()).toBe(code.replace(/'@app\/thai-bulk-sms/g, "'nestjs-thaibulksms"));
  });
});

describe('README Message ledger example', () => {
  it('is exactly the code readme-ledger-example.spec.ts runs (with the published package name)', () => {
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('\n## Message ledger\n'));
    // The block opens with the name of the file it goes in (`// ledger.spec.ts`).
    const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1].replace(/^\/\/ [\w.-]+\.ts\n/, '');
    const spec = readFileSync(join(__dirname, '..', 'ledger', 'readme-ledger-example.spec.ts'), 'utf8');
    const code = spec.slice(spec.indexOf('import '));
    expect(block).toBe(code.replace(/'@app\/thai-bulk-sms/g, "'nestjs-thaibulksms"));
  });
});
