// Test instrumentation preloaded into the app by the load proof (never by the app itself). Counts
// the app process's unhandled rejections and uncaught exceptions: each is written to stderr as a
// `[process-fault]` line, which the spec counts (a listener in the spec would only hear its own
// process). With RELIABILITY_FAULT_CANARY=1 it makes one deliberate unhandled rejection at start,
// marked as the canary, so the spec can prove the count works: exactly one canary, no other.
//
// Note: with an 'unhandledRejection' listener Node no longer exits on one; the spec fails on the
// count instead. 'uncaughtExceptionMonitor' only watches: an uncaught exception still ends the app.
'use strict';
// Preloads run in worker threads too (the embedded ledger's PGlite has one): count the app's own thread only.
if (!require('node:worker_threads').isMainThread) return;
const CANARY = 'reliability canary: one deliberate unhandled rejection';
const line = (kind, reason) => {
  const text = reason && typeof reason === 'object' && typeof reason.stack === 'string' ? reason.stack.split('\n')[0] : String(reason);
  process.stderr.write(`[process-fault] ${kind}${text.includes(CANARY) ? ' (canary)' : ''}: ${text}\n`);
};
process.on('unhandledRejection', (reason) => line('unhandledRejection', reason));
process.on('uncaughtExceptionMonitor', (error) => line('uncaughtException', error));
if (process.env.RELIABILITY_FAULT_CANARY === '1') {
  setImmediate(() => {
    void Promise.reject(new Error(CANARY));
  });
}
