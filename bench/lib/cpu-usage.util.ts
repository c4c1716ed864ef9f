import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

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

/** Local ports of this process's TCP connections to `remotePort` (IPv4 and IPv6), from /proc. */
function ownConnectionPorts(remotePort: number): Set<number> {
  const inodes = new Set<string>();
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const link = readlinkSync(`/proc/self/fd/${fd}`);
      const inode = /^socket:\[(\d+)\]$/.exec(link)?.[1];
      if (inode) inodes.add(inode);
    } catch {
      // Closed meanwhile.
    }
  }
  const ports = new Set<number>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 10 || !inodes.has(fields[9])) continue;
      const local = parseInt(fields[1].split(':')[1], 16);
      const remote = parseInt(fields[2].split(':')[1], 16);
      if (remote === remotePort) ports.add(local);
    }
  }
  return ports;
}

/**
 * Core-seconds of the PostgreSQL sessions serving this process (a local server names each session
 * process `postgres: … host(port) …` after its client's port), by pid: other users' sessions of the
 * same server are left out.
 */
export function ownPostgresSessionsCpu(serverPort = 5432): Map<number, number> | undefined {
  const all = namedProcessesCpu('postgres');
  if (!all) return undefined;
  const ports = ownConnectionPorts(serverPort);
  const own = new Map<number, number>();
  for (const [pid, cpu] of all) {
    try {
      const port = /\((\d+)\)/.exec(readFileSync(`/proc/${pid}/cmdline`, 'utf8'))?.[1];
      if (port && ports.has(Number(port))) own.set(pid, cpu);
    } catch {
      // Ended meanwhile.
    }
  }
  return own;
}

/** Core-seconds the processes of `after` used since `before` (a process that started meanwhile counts whole). */
function spentSince(before: Map<number, number> | undefined, after: Map<number, number> | undefined) {
  if (!before || !after) return undefined;
  let total = 0;
  for (const [pid, cpu] of after) total += cpu - (before.get(pid) ?? 0);
  return total;
}

/** CPU used during one timed section: this process, another one (by pid), its PostgreSQL sessions, and the machine. */
export interface CpuSpent {
  readonly self: number;
  readonly other?: number;
  /** The sessions of a local PostgreSQL serving this process (see ownPostgresSessionsCpu). */
  readonly postgres?: number;
  readonly machine?: number;
}

/** Starts counting; the returned function answers what was spent since. */
export function cpuMeter(otherPid?: number, postgresPort = 5432): () => CpuSpent {
  const self = process.cpuUsage();
  const other = otherPid === undefined ? undefined : processCpuSeconds(otherPid);
  // Every session now: a session of this process opened before the start counts from here.
  const postgres = namedProcessesCpu('postgres');
  const machine = machineBusySeconds();
  return () => {
    const used = process.cpuUsage(self);
    const otherNow = otherPid === undefined ? undefined : processCpuSeconds(otherPid);
    const machineNow = machineBusySeconds();
    return {
      self: (used.user + used.system) / 1e6,
      other: other === undefined || otherNow === undefined ? undefined : otherNow - other,
      postgres: spentSince(postgres, ownPostgresSessionsCpu(postgresPort)),
      machine: machine === undefined || machineNow === undefined ? undefined : machineNow - machine,
    };
  };
}
