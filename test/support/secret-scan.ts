import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CaptureEntry } from './e2e-capture';

/**
 * The search of issue 6.3 over what the e2e apps said (test/support/e2e-capture.ts): no secret in
 * any log line, console or stdout/stderr write, or HTTP answer (status, headers, body); no
 * unmasked phone number in any log. Pure functions over entries, so the secret-hygiene spec can
 * prove on planted input that the search finds what it must.
 */

/**
 * A Thai mobile written out: 0 or (+)66, then [689] and 8 more digits, with at most one space or
 * dash between digits (081-234-5678, +66 81 234 5678), not part of a longer digit run. Masked
 * numbers (081xxxx678) do not match; nor do decimals (0.812345678): a dot is no separator.
 */
export const UNMASKED_PHONE = /(?<![\d+])(?:\+?66|0)[- ]?[689](?:[- ]?\d){8}(?!\d)/g;

export interface Needle {
  readonly name: string;
  readonly value: string;
  readonly canary: boolean;
}

export interface Finding {
  readonly spec: string;
  readonly what: string;
  readonly where: 'log' | 'response';
  readonly count: number;
  /** Planted on purpose (the entry holds a canary secret): expected, and not a leak. */
  readonly canary: boolean;
}

export interface ScanResult {
  readonly specs: number;
  readonly logLines: number;
  readonly responses: number;
  readonly secretsSearched: number;
  readonly leaks: Finding[];
  readonly unmaskedPhones: Finding[];
  /** Canary secrets registered but never found: the search (or the recording) is broken. */
  readonly canariesMissed: string[];
  readonly canariesFound: number;
  readonly unhandledRejections: number;
  readonly uncaughtExceptions: number;
  readonly processFaults: string[];
}

export interface CaptureFile {
  readonly spec: string;
  readonly entries: readonly CaptureEntry[];
}

/** Each secret as given and base64-encoded (the Basic header is registered as its own secret). */
export function needlesOf(files: readonly CaptureFile[]): Needle[] {
  const byValue = new Map<string, Needle>();
  for (const f of files) {
    for (const e of f.entries) {
      if (e.k !== 'secret' || byValue.has(e.value)) continue;
      const canary = e.canary === true;
      byValue.set(e.value, { name: e.name, value: e.value, canary });
      const b64 = Buffer.from(e.value).toString('base64');
      if (!byValue.has(b64)) byValue.set(b64, { name: `${e.name} (base64)`, value: b64, canary });
    }
  }
  return [...byValue.values()];
}

function count(text: string, needle: string): number {
  let n = 0;
  for (let i = text.indexOf(needle); needle !== '' && i >= 0; i = text.indexOf(needle, i + needle.length)) n++;
  return n;
}

function textOf(e: CaptureEntry): { where: 'log' | 'response'; text: string } | undefined {
  switch (e.k) {
    case 'log':
    case 'console':
    case 'stdout':
    case 'stderr':
      return { where: 'log', text: e.text };
    case 'response':
      return { where: 'response', text: `${e.status} ${JSON.stringify(e.headers)} ${e.body}` };
    default:
      return undefined;
  }
}

export function scan(files: readonly CaptureFile[]): ScanResult {
  const needles = needlesOf(files);
  const canaryValues = needles.filter((n) => n.canary).map((n) => n.value);
  const found = new Map<string, number>();
  const leaks: Finding[] = [];
  const unmaskedPhones: Finding[] = [];
  let logLines = 0;
  let responses = 0;
  let unhandledRejections = 0;
  let uncaughtExceptions = 0;
  const processFaults: string[] = [];
  for (const f of files) {
    const perSpec = new Map<string, Finding>();
    const add = (list: Finding[], what: string, where: 'log' | 'response', n: number, canary: boolean) => {
      const key = `${list === leaks ? 'leak' : 'phone'}|${what}|${where}|${canary}`;
      const prev = perSpec.get(key);
      const next = { spec: f.spec, what, where, count: (prev?.count ?? 0) + n, canary };
      if (prev) list.splice(list.indexOf(prev), 1, next);
      else list.push(next);
      perSpec.set(key, next);
    };
    for (const e of f.entries) {
      if (e.k === 'meta') {
        unhandledRejections += e.unhandledRejections.length;
        uncaughtExceptions += e.uncaughtExceptions.length;
        processFaults.push(...e.unhandledRejections.map((t) => `${f.spec}: unhandled rejection ${t.split('\n')[0]}`));
        processFaults.push(...e.uncaughtExceptions.map((t) => `${f.spec}: uncaught exception ${t.split('\n')[0]}`));
        continue;
      }
      const seen = textOf(e);
      if (!seen) continue;
      if (seen.where === 'log') logLines++;
      else responses++;
      const plantedHere = canaryValues.some((v) => seen.text.includes(v));
      for (const n of needles) {
        const c = count(seen.text, n.value);
        if (c === 0) continue;
        if (n.canary) found.set(n.value, (found.get(n.value) ?? 0) + c);
        add(leaks, n.name, seen.where, c, n.canary || plantedHere);
      }
      if (seen.where === 'log') {
        const phones = seen.text.match(UNMASKED_PHONE);
        if (phones) add(unmaskedPhones, [...new Set(phones)].join(', '), 'log', phones.length, plantedHere);
      }
    }
  }
  const canariesMissed = needles
    .filter((n) => n.canary && !n.name.endsWith('(base64)') && !found.has(n.value))
    .map((n) => n.name);
  return {
    specs: files.length,
    logLines,
    responses,
    secretsSearched: needles.length,
    leaks,
    unmaskedPhones,
    canariesMissed,
    canariesFound: [...found.values()].reduce((a, b) => a + b, 0),
    unhandledRejections,
    uncaughtExceptions,
    processFaults,
  };
}

/** The capture files of one run (a directory of `<spec>.jsonl`). */
export function readCaptureDir(dir: string): CaptureFile[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.jsonl'));
  } catch {
    return [];
  }
  return names.sort().map((name) => {
    const entries = readFileSync(join(dir, name), 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as CaptureEntry);
    const meta = entries.find((e): e is Extract<CaptureEntry, { k: 'meta' }> => e.k === 'meta');
    return { spec: meta?.spec ?? name, entries };
  });
}
