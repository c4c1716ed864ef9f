import type { SandboxStats } from '@app/thai-bulk-sms/sandbox';
import type { SandboxProcess } from '../../support/sandbox-process';

export interface RateReport {
  readonly requests: number;
  /** Requests per wall-clock second, first to last (the sandbox's own clock). */
  readonly perSecond: readonly number[];
  /** Mean over the whole seconds between the first and the last (both partial, left out). */
  readonly averageTps: number;
  readonly busiestSecond: number;
  /** The wall-clock second (epoch s) of `perSecond[0]`. */
  readonly firstSecond: number;
  /** The most requests in any 1000 ms, wherever it starts (the fixed seconds above are the vendor's judge). */
  readonly busiestSlidingSecond: number;
  readonly windowsOverLimit: readonly { second: number; count: number }[];
  readonly rejectedOverLimit: number;
  /** Numbers that arrived more than once. */
  readonly duplicates: number;
  readonly distinctPhones: number;
}

/** Per-second counts of single-number sends, from arrival times the sandbox stamped. */
export function rateReportOf(
  messages: readonly { phone: string; receivedAt: number }[],
  stats: SandboxStats,
): RateReport {
  const seconds = new Map<number, number>();
  for (const m of messages) {
    const second = Math.floor(m.receivedAt / 1000);
    seconds.set(second, (seconds.get(second) ?? 0) + 1);
  }
  const keys = [...seconds.keys()].sort((a, b) => a - b);
  const perSecond = keys.length
    ? Array.from({ length: keys[keys.length - 1] - keys[0] + 1 }, (_, i) => seconds.get(keys[0] + i) ?? 0)
    : [];
  const whole = perSecond.slice(1, -1);
  const times = messages.map((m) => m.receivedAt).sort((a, b) => a - b);
  let sliding = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i] - times[j] >= 1000) j++;
    sliding = Math.max(sliding, i - j + 1);
  }
  const phones = new Set(messages.map((m) => m.phone));
  return {
    requests: stats.requests['/sms'] ?? 0,
    perSecond,
    averageTps: whole.length ? whole.reduce((a, b) => a + b, 0) / whole.length : 0,
    busiestSecond: Math.max(0, ...perSecond),
    firstSecond: keys[0] ?? 0,
    busiestSlidingSecond: sliding,
    windowsOverLimit: stats.windowsOverLimit,
    rejectedOverLimit: stats.rejectedOverLimit,
    duplicates: messages.length - phones.size,
    distinctPhones: phones.size,
  };
}

/** The report of a sandbox in its own process. */
export async function rateReport(sandbox: SandboxProcess): Promise<RateReport> {
  const [messages, stats] = await Promise.all([sandbox.messages(), sandbox.stats()]);
  return rateReportOf(messages, stats);
}

/** The lines a shared-limit proof prints. */
export function describeRate(report: RateReport, limit: number): string[] {
  return [
    `  per second: ${report.perSecond.join(' ')}`,
    `  windows over ${limit}: ${report.windowsOverLimit.length} (rejected ${report.rejectedOverLimit}) ` +
      `${JSON.stringify(report.windowsOverLimit.map((w) => ({ ...w, at: w.second - report.firstSecond })))}; busiest second ${report.busiestSecond}, ` +
      `busiest sliding 1000 ms ${report.busiestSlidingSecond}`,
    `  average over whole seconds: ${report.averageTps.toFixed(1)}/s = ${((100 * report.averageTps) / limit).toFixed(1)}% of ${limit}`,
    `  numbers arrived: ${report.distinctPhones} distinct, ${report.duplicates} more than once`,
  ];
}

/** Polls `check` every 50 ms until it holds or `timeoutMs` passes. */
export async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
