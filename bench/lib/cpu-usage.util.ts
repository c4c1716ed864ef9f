import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time from /proc (Linux): where a run's core-seconds went, to tell a run held up by CPU
 * from one held up by waiting. Elsewhere every reading is undefined and the benches print n/a.
 */

/** Linux's USER_HZ: /proc counts CPU time in ticks of 1/100 s on every architecture Node runs on. */
const TICKS_PER_SECOND = 100;

/** Busy core-seconds of the whole machine since boot (every core: user, nice, system, irq, softirq, steal). */
export function machineBusySeconds(): number | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0];
    const [, user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).map(Number);
    return (user + nice + system + irq + softirq + (steal || 0)) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** Core-seconds used by a process (user + system), or undefined when it cannot be read. */
export function processCpuSeconds(pid: number): number | undefined {
  try {
    // The command name (field 2) may hold spaces; the fields after it are fixed.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/**
 * Core-seconds used by every process of this name (`/proc/<pid>/comm`), by pid: with a local
 * PostgreSQL, `postgres` names its server processes (every session's, not only the bench's).
 */
export function namedProcessesCpu(name: string): Map<number, number> | undefined {
  try {
    const found = new Map<number, number>();
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== name) continue;
        const cpu = processCpuSeconds(Number(entry));
        if (cpu !== undefined) found.set(Number(entry), cpu);
      } catch {
        // The process ended while the list was read.
      }
    }
    return found;
  } catch {
    return undefined;
  }
}

/** Core-seconds the processes of `after` used since `before` (a process that started meanwhile counts whole). */
function spentSince(before: Map<number, number> | undefined, after: Map<number, number> | undefined) {
  if (!before || !after) return undefined;
  let total = 0;
  for (const [pid, cpu] of after) total += cpu - (before.get(pid) ?? 0);
  return total;
}

/** CPU used during one timed section: this process, another one (by pid), a local PostgreSQL, and the machine. */
export interface CpuSpent {
  readonly self: number;
  readonly other?: number;
  /** Every `postgres` process of the machine (other users' sessions included). */
  readonly postgres?: number;
  readonly machine?: number;
}

/** Starts counting; the returned function answers what was spent since. */
export function cpuMeter(otherPid?: number): () => CpuSpent {
  const self = process.cpuUsage();
  const other = otherPid === undefined ? undefined : processCpuSeconds(otherPid);
  const postgres = namedProcessesCpu('postgres');
  const machine = machineBusySeconds();
  return () => {
    const used = process.cpuUsage(self);
    const otherNow = otherPid === undefined ? undefined : processCpuSeconds(otherPid);
    const machineNow = machineBusySeconds();
    return {
      self: (used.user + used.system) / 1e6,
      other: other === undefined || otherNow === undefined ? undefined : otherNow - other,
      postgres: spentSince(postgres, namedProcessesCpu('postgres')),
      machine: machine === undefined || machineNow === undefined ? undefined : machineNow - machine,
    };
  };
}
