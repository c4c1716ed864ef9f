import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

// The floors of docs/architecture.md, "Floors": a file runs code only from its own floor or a
// lower one. Types may be named from anywhere (`import type`, and the `*.types.ts` files): they
// are erased at build and describe the contracts a lower floor serves.
const SRC = __dirname;

/** Lowest first. A path ending in `/` is a folder; anything else is one file at the top level. */
const FLOORS: readonly (readonly string[])[] = [
  // 0, ground: what everything shares, the sandbox included
  [
    'errors/',
    'phone/',
    'message/',
    'thai-bulk-sms.constants.ts',
    'thai-bulk-sms.options.ts',
    'thai-bulk-sms.tokens.ts',
    'thai-bulk-sms.logger.ts',
  ],
  // 1, the wire: the transports and the client over them
  ['transport/', 'client/', 'thai-bulk-sms.options-validation.ts'],
  // 2, hooks around a send: instrumentation, observers, the compliance policy
  ['instrumentation/', 'observers/', 'compliance/'],
  // 3, the services
  ['sms/', 'otp/', 'health/', 'delivery/'],
  // 4, the module and the HTTP edge
  [
    'thai-bulk-sms.decorators.ts',
    'thai-bulk-sms.providers.ts',
    'thai-bulk-sms.module-definition.ts',
    'thai-bulk-sms.module.ts',
    'filters/',
    'helpers/',
    'index.ts',
  ],
];

/** Modules beside the core, each above all of it, importing none of the others. */
const BESIDE = ['queue/', 'ledger/', 'telemetry/', 'undici/'];
/** The sandbox judges the client: it shares only this much of the library (sandbox-layering.spec.ts). */
const SANDBOX_MAY_RUN = ['errors/', 'phone/', 'message/'];

const placeOf = (path: string): string | undefined => {
  const all = [...FLOORS.flat(), ...BESIDE, 'sandbox/', 'testing/'];
  return all.find((place) => (place.endsWith('/') ? path.startsWith(place) : path === place));
};
const floorOf = (place: string): number => FLOORS.findIndex((floor) => floor.includes(place));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return sources(full);
    return name.endsWith('.ts') && !/\.(spec|test-util)\.ts$|\.main\.ts$/.test(name) ? [full] : [];
  });
}

/** The library files a file runs code from: relative imports that are not type-only. */
function valueImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const match of text.matchAll(
    /^(?:import|export)\s+(?!type\b)[^;]*?from\s+'(\.[^']+)'|import\s*\(\s*'(\.[^']+)'/gm,
  )) {
    const base = resolve(dirname(file), match[1] ?? match[2]);
    const target = [`${base}.ts`, join(base, 'index.ts')].find((candidate) => existsSync(candidate));
    if (target && !target.endsWith('.types.ts')) found.push(relative(SRC, target));
  }
  return found;
}

/** Why `from` may not run code of `to`, or undefined when it may. */
function breach(from: string, to: string): string | undefined {
  const a = placeOf(from);
  const b = placeOf(to);
  if (!a || !b) return `${!a ? from : to} has no floor`;
  if (a === b) return undefined;
  if (a === 'sandbox/') return SANDBOX_MAY_RUN.includes(b) ? undefined : 'the sandbox runs only the ground floor';
  if (a === 'testing/') return BESIDE.includes(b) ? `testing/ does not run ${b}` : undefined;
  if (BESIDE.includes(a)) return BESIDE.includes(b) || b === 'testing/' ? `${a} does not run ${b}` : undefined;
  if (BESIDE.includes(b) || b === 'sandbox/' || b === 'testing/') return `the core does not run ${b}`;
  return floorOf(b) > floorOf(a) ? `floor ${floorOf(a)} (${a}) runs floor ${floorOf(b)} (${b})` : undefined;
}

describe('layering: the floors of docs/architecture.md', () => {
  const files = sources(SRC).map((file) => relative(SRC, file));

  it('gives every library file a place', () => {
    expect(files.filter((file) => placeOf(file) === undefined)).toEqual([]);
    expect(files.length).toBeGreaterThan(100);
  });

  it('runs code only from the same floor or a lower one', () => {
    const breaches = files.flatMap((file) =>
      valueImports(join(SRC, file)).flatMap((target) => {
        const why = breach(file, target);
        return why ? [`${file} -> ${target}: ${why}`] : [];
      }),
    );
    expect(breaches).toEqual([]);
  });

  it('can tell a breach', () => {
    expect(breach('client/thai-bulk-sms.client.ts', 'sms/sms.service.ts')).toBeDefined();
    expect(breach('sms/sms.service.ts', 'queue/sms-queue.service.ts')).toBeDefined();
    expect(breach('queue/sms-queue.service.ts', 'ledger/message-ledger.service.ts')).toBeDefined();
    expect(breach('sandbox/sms.handler.ts', 'client/clock.ts')).toBeDefined();
    expect(breach('sms/sms.service.ts', 'client/thai-bulk-sms.client.ts')).toBeUndefined();
  });
});
