import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { describeWithRedis, testRedisUrl } from '@app/thai-bulk-sms/queue/redis.test-util';
import { MainProcess, startMain } from './support/main-process';
import { ReadmeBlock, readmeBlocks, ROOT } from './support/readme-blocks';
import { README_BLOCKS } from './support/readme-registry';
import { deleteRedisKeys } from './support/second-instance';
import { createTestApp, TestApp } from './support/test-app';

/**
 * The root README's "Try it" shell blocks, pasted in order into one bash, against src/main.ts
 * started as `npm start` starts it (sandbox mode, no settings). The one change: where the app
 * printed other addresses than the README's defaults (ports 3000 and 4010 may be taken on this
 * machine), the `APP=`, `SANDBOX=` and `HOOK=` lines take the printed ones, as the README tells a
 * reader to. Every curl must answer the status of the `# →` line under it, and the error name
 * when that line shows one. Also: the start-up output shown in the Quick start, the file tree of
 * "How the sample app is built", and the OTP cooldown as "Try it" states it.
 */

jest.setTimeout(60_000);

const blocks = readmeBlocks();
const tryIt = (run: 'app' | 'app-queue') =>
  blocks.filter((b) => {
    const fate = README_BLOCKS[b.key];
    return fate !== undefined && 'run' in fate && fate.run === run;
  });

interface Expected {
  readonly status: number;
  readonly error?: string;
  readonly line: string;
}

/** The curl calls of a block, in order, each with the `# →` line that follows it. */
function expectations(block: ReadmeBlock): Expected[] {
  const calls: (Expected | undefined)[] = [];
  let continued = false;
  for (const line of block.code.split('\n')) {
    const starts = !continued && /(^|\$\()curl /.test(line.trim());
    continued = line.trimEnd().endsWith('\\');
    if (starts) calls.push(undefined);
    const arrow = /^#\s+→\s+(\d{3})/.exec(line.trim());
    if (arrow) {
      const at = calls.lastIndexOf(undefined);
      if (at < 0) throw new Error(`${block.key}: "${line}" follows no curl`);
      const error = Number(arrow[1]) >= 400 ? /"error":"([A-Z_]+)"/.exec(line)?.[1] : undefined;
      calls[at] = { status: Number(arrow[1]), ...(error && { error }), line: line.trim() };
    }
  }
  const missing = calls.findIndex((c) => c === undefined);
  if (missing >= 0) throw new Error(`${block.key}: curl #${missing + 1} has no "# → <status>" line`);
  return calls as Expected[];
}

/** Each curl's status and body on stderr (its stdout unchanged, for pipes and $(…)), then the block. */
const CURL_RECORDER = `
curl() {
  local out; out=$(mktemp)
  command curl --write-out '%{stderr}__STATUS__ %{http_code}\\n' "$@" > "$out" || { local rc=$?; rm -f "$out"; return $rc; }
  cat "$out" >&2; printf '\\n__END__\\n' >&2
  cat "$out"; rm -f "$out"
}
`;

/** The addresses the app printed at start, in place of the README's defaults. */
function withPrinted(code: string, printed: { app: string; sandbox: string; hook: string }, used: Set<string>): string {
  return code
    .replace(/^APP=http:\/\/localhost:3000$/m, () => (used.add('APP'), `APP=${printed.app}`))
    .replace(/^SANDBOX=http:\/\/127\.0\.0\.1:4010(?=\s|$)/m, () => (used.add('SANDBOX'), `SANDBOX=${printed.sandbox}`))
    .replace(
      /^HOOK='http:\/\/localhost:3000\/webhooks\/thaibulksms\/<token printed at start>'$/m,
      () => (used.add('HOOK'), `HOOK='${printed.hook}'`),
    );
}

interface Answer {
  readonly status: number;
  readonly body: string;
}

async function runBash(script: string): Promise<{ answers: Answer[]; stdout: string; stderr: string }> {
  const cwd = mkdtempSync(join(tmpdir(), 'readme-try-it-'));
  try {
    const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) =>
      execFile(
        'bash',
        ['-e', '-c', script],
        { cwd, env: { PATH: process.env.PATH ?? '', HOME: cwd }, maxBuffer: 16 * 1024 * 1024, timeout: 60_000 },
        (error, out, err) =>
          error
            ? reject(new Error(`${error.message}\nstdout:\n${out}\nstderr:\n${err}`))
            : resolve({ stdout: out, stderr: err }),
      ),
    );
    const answers = [...stderr.matchAll(/__STATUS__ (\d{3})\n([\s\S]*?)\n__END__\n/g)].map((m) => ({
      status: Number(m[1]),
      body: m[2],
    }));
    return { answers, stdout, stderr };
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}

function judge(expected: Expected[], answers: Answer[]): void {
  const outcome = answers.map((a, i) => {
    const error = expected[i]?.error;
    return `${a.status}${error ? ` ${/"error":"([A-Z_]+)"/.exec(a.body)?.[1]}` : ''}  ${expected[i]?.line ?? '(no # → line)'}`;
  });
  expect(outcome).toEqual(expected.map((e) => `${e.status}${e.error ? ` ${e.error}` : ''}  ${e.line}`));
}

async function printedAddresses(proc: MainProcess) {
  const [, app] = await proc.waitFor(/Swagger UI:\s+(http:\/\/\S+)\/docs/);
  const [, inbox] = await proc.waitFor(/Sandbox inbox:\s+(http:\/\/\S+)\//);
  const [, hook] = await proc.waitFor(/Webhook URL:\s+(http:\/\/\S+)/);
  return { app, sandbox: inbox, hook };
}

describe('README "Try it", pasted into a shell against the app as npm start runs it', () => {
  let proc: MainProcess | undefined;
  let printed: Awaited<ReturnType<typeof printedAddresses>>;
  beforeAll(async () => {
    proc = startMain({});
    printed = await printedAddresses(proc);
  });
  afterAll(async () => {
    proc?.kill('SIGTERM');
    await proc?.exited;
  });

  it('answers every curl as the README says', async () => {
    const run = tryIt('app');
    expect(run.length).toBeGreaterThanOrEqual(4);
    const used = new Set<string>();
    const script = CURL_RECORDER + run.map((b) => withPrinted(b.code, printed, used)).join('\n');
    expect([...used].sort()).toEqual(['APP', 'HOOK', 'SANDBOX']);
    const { answers } = await runBash(script);
    judge(
      run.flatMap((b) => expectations(b)),
      answers,
    );
  });

  it('starts with the output the Quick start shows (addresses, ports and token aside)', async () => {
    const shown = blocks.find((b) => b.readme === 'root' && b.section === 'Quick start' && b.lang === 'text')!;
    const normalise = (line: string) =>
      line
        .replace(/https?:\/\/(localhost|127\.0\.0\.1):\d+/g, 'http://HOST')
        .replace(/(thaibulksms\/)\S+/, '$1TOKEN')
        .replace(/\s+/g, ' ')
        .trim();
    const printed = proc!.stdout().split('\n').map(normalise);
    const lines = shown.code.split('\n').filter((l) => l.trim() !== '');
    expect(lines.length).toBeGreaterThanOrEqual(5);
    expect(lines.map(normalise).filter((l) => !printed.includes(l))).toEqual([]);
  });
});

describeWithRedis('README "Try it" with QUEUE_ENABLED=true, against the app as npm start runs it', () => {
  const prefix = `t-readme-app-${process.pid}-${randomBytes(4).toString('hex')}`;
  let proc: MainProcess | undefined;
  afterAll(async () => {
    proc?.kill('SIGTERM');
    await proc?.exited;
    await deleteRedisKeys(testRedisUrl(), prefix);
  });

  it('queues, deduplicates and reports as the README says', async () => {
    proc = startMain({ QUEUE_ENABLED: 'true', REDIS_URL: testRedisUrl(), REDIS_PREFIX: prefix });
    const printed = await printedAddresses(proc);
    // The reader's shell still holds KEY and APP from the first block.
    const first = tryIt('app')[0]
      .code.split('\n')
      .filter((l) => /^(KEY|APP)=/.test(l));
    const used = new Set<string>();
    const queue = tryIt('app-queue');
    expect(queue).toHaveLength(1);
    const script = CURL_RECORDER + withPrinted([...first, '', queue[0].code].join('\n'), printed, used);
    expect([...used]).toEqual(['APP']);
    const { answers } = await runBash(script);
    judge(expectations(queue[0]), answers);
    expect(answers[0].body).toMatch(/^Location: \/alerts\/key-storm-2030-12-17\r?$/im);
  });
});

describe('README "How the sample app is built"', () => {
  it('names only files and folders that exist', () => {
    const tree = blocks.find((b) => b.readme === 'root' && b.section === 'How the sample app is built')!;
    const missing: string[] = [];
    let parent = '';
    for (const line of tree.code.split('\n')) {
      const names = /^(\s*)((?:[\w.-]+\/?\s)+?)\s{2,}|^(\s*)([\w.-]+\/?)\s*$/.exec(line);
      if (!names) continue;
      const indent = (names[1] ?? names[3]).length;
      for (const name of (names[2] ?? names[4]).trim().split(/\s+/)) {
        const path = indent === 0 ? name : join(parent, name);
        if (!existsSync(join(ROOT, path))) missing.push(path);
        if (indent === 0 && name.endsWith('/')) parent = name;
      }
    }
    expect(missing).toEqual([]);
  });
});

describe('README "Try it": the OTP cooldown, exactly as stated', () => {
  let t: TestApp;
  beforeEach(async () => (t = await createTestApp()));
  afterEach(() => t.close());
  const ask = () => request(t.server).post('/otp/request').set('x-api-key', t.key).send({ phone: '0812345678' });
  const SECOND = 1000;

  it('not asking again: the next OTP 60 s after the first', async () => {
    await ask().expect(201);
    t.clock.advance(60 * SECOND);
    await ask().expect(201);
    expect(t.sandbox.otps()).toHaveLength(2);
  });

  it('asking again meanwhile: refused with the same Retry-After, and the next OTP still 60 s after the first', async () => {
    await ask().expect(201);
    t.clock.advance(30 * SECOND);
    const refused = await ask().expect(429);
    expect(refused.headers['retry-after']).toBe('60');
    t.clock.advance(29 * SECOND); // 59 s after the OTP: still inside the window
    const again = await ask().expect(429);
    expect(again.headers['retry-after']).toBe('60'); // the same answer, whatever is left
    t.clock.advance(2 * SECOND); // 61 s: the refusals did not lengthen anything
    await ask().expect(201);
    expect(t.sandbox.otps()).toHaveLength(2);
  });
});
