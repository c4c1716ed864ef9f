import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { PgliteRunner } from './pglite.pool';

/**
 * The worker's code, run with `eval` (so neither build needs to know its own file's path). It
 * loads @electric-sql/pglite from the app (resolved from the working directory, else from the
 * main script's folder), opens the database and answers one message per statement.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createRequire } = require('node:module');
(async () => {
  let db;
  try {
    let loaded;
    for (const base of workerData.resolveFrom) {
      try { loaded = createRequire(base)('@electric-sql/pglite'); break; } catch (error) { if (base === workerData.resolveFrom[workerData.resolveFrom.length - 1]) throw error; }
    }
    const { PGlite } = loaded;
    db = workerData.dataDir === 'memory' ? await PGlite.create() : await PGlite.create(workerData.dataDir);
  } catch (error) {
    parentPort.postMessage({ type: 'failed', code: error && error.code, message: String(error && error.message) });
    return;
  }
  parentPort.postMessage({ type: 'ready' });
  parentPort.on('message', async (message) => {
    if (message.type === 'close') {
      try { await db.close(); } finally { parentPort.postMessage({ id: message.id, rows: [] }); parentPort.close(); }
      return;
    }
    try {
      const result = await db.query(message.sql, message.parameters);
      parentPort.postMessage({ id: message.id, rows: result.rows, affectedRows: result.affectedRows });
    } catch (error) {
      const { message: text, code, detail, severity } = error || {};
      parentPort.postMessage({ id: message.id, error: { message: String(text), code, detail, severity } });
    }
  });
})();
`;

function resolveBases(): string[] {
  const bases = [join(process.cwd(), 'noop.js')];
  if (process.argv[1]) bases.push(resolve(process.argv[1]));
  return bases;
}

interface Reply {
  readonly id?: number;
  readonly type?: 'ready' | 'failed';
  readonly rows?: unknown[];
  readonly affectedRows?: number;
  readonly error?: { message: string; code?: string; detail?: string; severity?: string };
  readonly code?: string;
  readonly message?: string;
}

/**
 * Embedded PostgreSQL (PGlite) in a worker thread: its WebAssembly work never blocks the app's
 * event loop, and it loads natively wherever the app runs (a test runner's module sandbox
 * included). The worker keeps the process alive only while a statement is under way.
 */
export async function startPgliteWorker(dataDir: string): Promise<PgliteRunner> {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { dataDir: dataDir === 'memory' ? 'memory' : resolve(dataDir), resolveFrom: resolveBases() },
  });
  try {
    await ready(worker);
  } catch (error) {
    await worker.terminate();
    throw error;
  }
  return runnerOf(worker);
}

/** Resolves when the worker has opened the database; rejects with its error (its `code` kept). */
function ready(worker: Worker): Promise<void> {
  return new Promise<void>((resolveReady, failed) => {
    const onError = (error: Error) => done(error);
    const onExit = (code: number) => done(new Error(`the PGlite worker exited (${code}) before it was ready`));
    const onMessage = (reply: Reply) => {
      if (reply.type === 'ready') return done();
      const error = new Error(reply.message ?? 'PGlite failed to start') as Error & { code?: string };
      error.code = reply.code;
      done(error);
    };
    // Only these listeners go: the worker's own (they ref and unref its port) must stay.
    const done = (error?: Error) => {
      worker.off('error', onError).off('exit', onExit).off('message', onMessage);
      if (error) failed(error);
      else resolveReady();
    };
    worker.on('error', onError).on('exit', onExit).on('message', onMessage);
  });
}

/** One message per statement, answered by id; the worker is referenced only while one is pending. */
function runnerOf(worker: Worker): PgliteRunner {
  const pending = new Map<number, { resolve: (reply: Reply) => void; reject: (error: Error) => void }>();
  let next = 0;
  let exited: Error | undefined;
  const settleAll = (error: Error) => {
    exited = error;
    for (const waiter of pending.values()) waiter.reject(error);
    pending.clear();
  };
  worker.unref();
  worker.on('error', (error) => settleAll(error));
  worker.on('exit', (code) => settleAll(new Error(`the PGlite worker exited (${code})`)));
  worker.on('message', (reply: Reply) => {
    const waiter = reply.id === undefined ? undefined : pending.get(reply.id);
    if (!waiter) return;
    pending.delete(reply.id!);
    if (pending.size === 0) worker.unref();
    if (reply.error) waiter.reject(Object.assign(new Error(reply.error.message), reply.error));
    else waiter.resolve(reply);
  });
  const send = (message: Record<string, unknown>): Promise<Reply> => {
    if (exited) return Promise.reject(exited);
    const id = next++;
    worker.ref();
    return new Promise<Reply>((resolveReply, reject) => {
      pending.set(id, { resolve: resolveReply, reject });
      worker.postMessage({ ...message, id });
    });
  };
  return {
    query: async (sql, parameters) => {
      const reply = await send({ type: 'query', sql, parameters });
      return { rows: reply.rows ?? [], affectedRows: reply.affectedRows };
    },
    close: async () => {
      if (exited) return;
      await send({ type: 'close' });
      await worker.terminate();
    },
  };
}
