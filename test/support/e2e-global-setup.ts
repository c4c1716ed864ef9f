import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const CAPTURE_ROOT = resolve(__dirname, '../out/capture');
/** Captures of earlier runs are kept this long, then removed (a run still going on beside this one keeps its own). */
const KEEP_MS = 60 * 60 * 1000;

/**
 * Gives this run of the e2e project its own capture directory (test/support/e2e-capture.ts): the
 * secret scan at the end (e2e-global-teardown.ts) must read this run's files only, never a file
 * left over from an earlier run. Set in the environment before Jest starts its workers, which
 * inherit it.
 */
export default function globalSetup(): void {
  const runId = `${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}`;
  const dir = join(CAPTURE_ROOT, runId);
  mkdirSync(dir, { recursive: true });
  for (const name of readdirSync(CAPTURE_ROOT)) {
    const old = join(CAPTURE_ROOT, name);
    if (old !== dir && Date.now() - statSync(old).mtimeMs > KEEP_MS) rmSync(old, { recursive: true, force: true });
  }
  process.env.E2E_RUN_ID = runId;
  process.env.E2E_CAPTURE_DIR = dir;
  process.env.E2E_RUN_STARTED_AT = new Date().toISOString();
}
