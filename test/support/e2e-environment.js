'use strict';
/**
 * Test environment of the e2e project: Node's, plus two things a spec cannot do for itself.
 *
 * 1. Count unhandled rejections and uncaught exceptions on the REAL process. Inside a test file
 *    `process` is a copy (jest-util createProcessObject), so `process.on('unhandledRejection')`
 *    there never fires (jestjs/jest#5620, #11165). This file runs outside the sandbox, where
 *    `process` is the real one. jest-circus removes every listener at `run_start` and puts its own
 *    (restoring ours at its `teardown`), so ours is attached again right after it, from
 *    handleTestEvent; each promise / error is counted once however many copies are attached.
 *    Specs read the counts from `globalThis.__E2E__.faults`.
 *
 * 2. Record what the spec's apps said, for the suite-wide secret scan
 *    (test/support/e2e-global-teardown.ts): test/support/e2e-capture.ts pushes every log call and
 *    every HTTP answer of the apps it builds through `globalThis.__E2E__.record`; this file adds
 *    every raw write to stdout/stderr and every console call made by code outside test/ (the app
 *    and the library). The test's own console output is left out: it is not what the app logs.
 *    At teardown everything goes to one JSON-lines file per spec in E2E_CAPTURE_DIR.
 */
const { TestEnvironment } = require('jest-environment-node');
const { mkdirSync, writeFileSync } = require('node:fs');
const { join, relative, resolve, sep } = require('node:path');

const ROOT = resolve(__dirname, '../..');
const TEST_DIR = join(ROOT, 'test') + sep;
const NODE_MODULES = `${sep}node_modules${sep}`;

class E2eEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.testPath = context.testPath;
    this.entries = [];
    this.startedAt = new Date().toISOString();
    this.seen = new WeakSet();
    this.seenPrimitive = new Set();
    const faults = {
      unhandledRejections: [],
      uncaughtExceptions: [],
      /** Rejections a canary made on purpose and then took back (see forget). */
      forgotten: 0,
      /** Takes back a deliberate rejection/exception (a canary's), so it does not count as a fault. */
      forget: (reason) => {
        for (const list of [faults.unhandledRejections, faults.uncaughtExceptions]) {
          const i = list.findIndex((f) => f.reason === reason);
          if (i >= 0) {
            list.splice(i, 1);
            faults.forgotten++;
            return true;
          }
        }
        return false;
      },
    };
    this.faults = faults;
    this.onRejection = (reason, promise) => {
      if (this.once(promise)) faults.unhandledRejections.push({ reason, text: describe(reason), at: new Date().toISOString() });
    };
    this.onException = (error) => {
      if (this.once(error)) faults.uncaughtExceptions.push({ reason: error, text: describe(error), at: new Date().toISOString() });
    };
    this.global.__E2E__ = {
      faults,
      testPath: this.testPath,
      record: (entry) => this.entries.push(entry),
      /** What has been recorded so far (the secret-hygiene canary reads it back). */
      entries: () => this.entries,
    };
    this.testConsole = context.console;
  }

  async setup() {
    await super.setup();
    this.attach();
    this.patchStdio();
  }

  handleTestEvent(event) {
    // jest-circus has just replaced every process listener with its own: put ours back.
    if (event.name === 'run_start') this.attach();
  }

  async teardown() {
    this.restoreStdio();
    this.detach();
    this.recordConsole();
    this.writeCapture();
    await super.teardown();
  }

  once(key) {
    if (key !== null && (typeof key === 'object' || typeof key === 'function')) {
      if (this.seen.has(key)) return false;
      this.seen.add(key);
      return true;
    }
    if (this.seenPrimitive.has(key)) return false;
    this.seenPrimitive.add(key);
    return true;
  }

  attach() {
    if (!process.listeners('unhandledRejection').includes(this.onRejection)) process.on('unhandledRejection', this.onRejection);
    // The monitor sees an uncaught exception without changing what happens to it.
    if (!process.listeners('uncaughtExceptionMonitor').includes(this.onException)) process.on('uncaughtExceptionMonitor', this.onException);
  }

  detach() {
    while (process.listeners('unhandledRejection').includes(this.onRejection)) process.off('unhandledRejection', this.onRejection);
    while (process.listeners('uncaughtExceptionMonitor').includes(this.onException)) process.off('uncaughtExceptionMonitor', this.onException);
  }

  patchStdio() {
    this.stdio = [];
    for (const name of ['stdout', 'stderr']) {
      const stream = process[name];
      const original = stream.write;
      const env = this;
      const wrapper = function (chunk, ...rest) {
        // The test console's own writes (verbose mode) are read from its buffer at teardown instead.
        if (env.recordingStdio && !fromJestConsole()) {
          env.entries.push({ k: name, text: typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8') });
        }
        return original.call(this, chunk, ...rest);
      };
      stream.write = wrapper;
      this.stdio.push({ stream, original, wrapper });
    }
    this.recordingStdio = true;
  }

  restoreStdio() {
    this.recordingStdio = false;
    for (const { stream, original, wrapper } of this.stdio ?? []) {
      // Someone wrapped it after us: leave theirs in place; ours now only passes writes through.
      if (stream.write === wrapper) stream.write = original;
    }
  }

  /**
   * Console calls made by code outside test/ (the app, the library) are the app's output; the
   * test's own are not. Both Jest consoles keep every call with the stack of its caller.
   */
  recordConsole() {
    const buffer = typeof this.testConsole?.getBuffer === 'function' ? this.testConsole.getBuffer() : undefined;
    for (const { message, origin, type } of buffer ?? []) {
      const caller = firstFile(String(origin ?? ''));
      if (caller && caller.startsWith(TEST_DIR)) continue;
      this.entries.push({ k: 'console', level: type, source: caller ? relative(ROOT, caller) : 'unknown', text: String(message) });
    }
  }

  writeCapture() {
    const dir = process.env.E2E_CAPTURE_DIR || join(ROOT, 'test/out/capture/unscoped');
    const spec = relative(ROOT, this.testPath);
    const meta = {
      k: 'meta',
      spec,
      runId: process.env.E2E_RUN_ID,
      startedAt: this.startedAt,
      finishedAt: new Date().toISOString(),
      unhandledRejections: this.faults.unhandledRejections.map((f) => f.text),
      uncaughtExceptions: this.faults.uncaughtExceptions.map((f) => f.text),
      forgottenCanaries: this.faults.forgotten,
    };
    const lines = [meta, ...this.entries].map((e) => JSON.stringify(e));
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${spec.replace(/[\\/]/g, '__')}.jsonl`), lines.join('\n') + '\n');
  }
}

/** The first file in a stack that is neither Node's nor a dependency's. */
function firstFile(stack) {
  for (const line of stack.split('\n')) {
    const match = /\(?((?:\/|[A-Za-z]:\\)[^:()]+):\d+:\d+\)?\s*$/.exec(line);
    if (match && !match[1].includes(NODE_MODULES)) return match[1];
  }
  return undefined;
}

const JEST_CONSOLE = `${NODE_MODULES}@jest${sep}console${sep}`;
const fromJestConsole = () => (new Error().stack ?? '').includes(JEST_CONSOLE);

function describe(reason) {
  // Duck-typed: errors made inside the test's vm context are not instances of this realm's Error.
  if (reason && typeof reason === 'object' && typeof reason.stack === 'string') return reason.stack;
  try {
    return typeof reason === 'string' ? reason : JSON.stringify(reason) ?? String(reason);
  } catch {
    return String(reason);
  }
}

module.exports = E2eEnvironment;
module.exports.TestEnvironment = E2eEnvironment;
