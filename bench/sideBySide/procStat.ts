/**
 * A process's CPU time and resident memory, read from /proc (Linux), for the server under test, and
 * the CPU time all processes spent, from which the suite tells how busy others kept the machine.
 */
import { readFileSync } from 'node:fs';

/** User plus system CPU time of the process (all its threads), in microseconds. */
export function cpuMicros(pid: number, ticksPerSecond: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  // The command name in parentheses may hold spaces; the fields after it are space-separated.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name and state.
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1e6) / ticksPerSecond;
}

/** Resident memory of the process, in bytes. */
export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'latin1');
  const kib = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  if (kib === undefined) throw new Error(`no VmRSS for process ${pid}`);
  return Number(kib) * 1024;
}

/**
 * CPU time spent by processes on all cores together (`all`) and on each (user, nice and system of
 * /proc/stat's `cpu` and `cpuN` lines, in clock ticks), in microseconds; interrupt and softirq time,
 * which loopback traffic costs, is not in it, as it is not in a process's own times either.
 */
export function busyMicros(stat: string, ticksPerSecond: number): { all: number; cores: number[] } {
  const busy = { all: 0, cores: [] as number[] };
  for (const [, core, user, nice, system] of stat.matchAll(/^cpu(\d*)\s+(\d+)\s+(\d+)\s+(\d+)/gm)) {
    const us = ((Number(user) + Number(nice) + Number(system)) * 1e6) / ticksPerSecond;
    if (core === '') busy.all = us;
    else busy.cores[Number(core)] = us;
  }
  return busy;
}

export function machineBusyMicros(ticksPerSecond: number): { all: number; cores: number[] } {
  try {
    return busyMicros(readFileSync('/proc/stat', 'latin1'), ticksPerSecond);
  } catch {
    return { all: 0, cores: [] };
  }
}

/** CPU time of this process (the generator), in microseconds. */
export function ownCpuMicros(): number {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
}
