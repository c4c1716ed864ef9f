'use strict';
/**
 * Jest reporter: says which suites were skipped because a service they need (Redis, PostgreSQL,
 * Chromium…) is missing, and why — one line per suite as its file finishes, and one summary at the
 * end of the run, after Jest's own. Serves every project (lib, app, e2e) of jest.config.js.
 *
 * Jest's default reporter prints nothing of a file whose tests were all skipped, console output
 * included, so a warning printed by the spec itself is lost exactly when it matters. Instead the
 * specs' `describeWithService` (libs/thai-bulk-sms/src/testing/describe-with-service.test-util.ts)
 * appends a JSON line to `skipped.jsonl` in the directory this reporter names in
 * TBS_SKIPPED_SUITES_DIR; the worker processes Jest forks afterwards inherit the variable.
 */
const { mkdtempSync, readFileSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join, relative } = require('node:path');

const DIR_ENV = 'TBS_SKIPPED_SUITES_DIR';

class SkippedSuitesReporter {
  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'tbs-skipped-'));
    process.env[DIR_ENV] = this.dir;
  }

  onTestResult(_test, testResult) {
    const file = relative(process.cwd(), testResult.testFilePath);
    for (const record of this.records().filter((r) => r.file === file)) {
      process.stderr.write(`SKIPPED ${record.file} › "${record.suite}": ${message(record)}\n`);
    }
  }

  onRunComplete() {
    const records = this.records();
    rmSync(this.dir, { recursive: true, force: true });
    if (process.env[DIR_ENV] === this.dir) delete process.env[DIR_ENV];
    if (records.length === 0) return;
    const groups = new Map();
    for (const record of records) {
      const key = `${record.service}\n${message(record)}`;
      if (!groups.has(key)) groups.set(key, { record, suites: [] });
      groups.get(key).suites.push(`${record.file} › ${record.suite}`);
    }
    const files = new Set(records.map((r) => r.file)).size;
    const lines = [
      '',
      `Skipped ${records.length} suite(s) in ${files} file(s) because a service they need is missing ` +
        '(CI is not set; with CI set these suites fail instead):',
    ];
    for (const { record, suites } of groups.values()) {
      lines.push(`  ${record.service}: ${message(record)}`);
      for (const suite of suites.sort()) lines.push(`    - ${suite}`);
    }
    process.stderr.write(`${lines.join('\n')}\n\n`);
  }

  /** The records written so far (a line being written by a worker at this moment is left for later). */
  records() {
    let text;
    try {
      text = readFileSync(join(this.dir, 'skipped.jsonl'), 'utf8');
    } catch {
      return [];
    }
    const out = [];
    for (const line of text.split('\n')) {
      if (!line) continue;
      try {
        out.push(JSON.parse(line));
      } catch {
        // An incomplete last line: read again at the next file, and complete by the end of the run.
      }
    }
    return out;
  }

  getLastError() {
    return undefined;
  }
}

function message(record) {
  return `${record.reason}.${record.help ? ` ${record.help}` : ''}`;
}

module.exports = SkippedSuitesReporter;
