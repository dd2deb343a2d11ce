import { readdirSync, readFileSync } from 'node:fs';
import { round } from './stats.js';

/** Clock ticks per second of /proc's CPU times: 100 on Linux (USER_HZ). */
const TICKS_PER_SECOND = 100;

/** The fields of /proc/<pid>/stat after the command's closing parenthesis (state is the first). */
const statFields = (pid: number) =>
  readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];

/**
 * CPU time a process has used so far (user and system, ms), from /proc on Linux; undefined elsewhere or once
 * it has ended. Read from outside, so that no measured process does anything for the benchmark's sake.
 */
export function cpuMsOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const fields = statFields(pid);
    // utime and stime are the 12th and 13th fields after the command.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** The children of a process with their command lines, found through /proc (none where there is no /proc). */
export function childrenOf(pid: number): { pid: number; command: string }[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return [];
  }
  const children: { pid: number; command: string }[] = [];
  for (const candidate of entries.map(Number))
    try {
      if (Number(statFields(candidate)[1]) !== pid) continue;
      const command = readFileSync(`/proc/${candidate}/cmdline`, 'utf8').replaceAll('\0', ' ');
      children.push({ pid: candidate, command });
    } catch {
      // Ended meanwhile.
    }
  return children;
}

/** Busy and total CPU time of the whole machine so far (all cores, ms), from /proc/stat. */
function machineMs(): { busy: number; total: number } | undefined {
  try {
    const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0]?.trim().split(/\s+/) ?? [];
    const values = ticks.map(Number);
    const total = values.reduce((sum, value) => sum + value, 0);
    // idle and iowait are the 4th and 5th values.
    const idle = (values[3] ?? 0) + (values[4] ?? 0);
    return { busy: ((total - idle) * 1000) / TICKS_PER_SECOND, total: (total * 1000) / TICKS_PER_SECOND };
  } catch {
    return undefined;
  }
}

/**
 * Cores used over a window by each named process, and by the whole machine: what shows which part of a
 * benchmark, or the machine itself, was the limit. `start()` when the window opens, `stop()` when it ends.
 */
export function coreUse(processes: Record<string, number | undefined>) {
  const before = { at: performance.now(), machine: machineMs(), each: new Map<string, number | undefined>() };
  for (const [name, pid] of Object.entries(processes)) before.each.set(name, cpuMsOf(pid));
  return () => {
    const seconds = (performance.now() - before.at) / 1000;
    const cores: Record<string, number> = {};
    for (const [name, pid] of Object.entries(processes)) {
      const from = before.each.get(name);
      const to = cpuMsOf(pid);
      if (from !== undefined && to !== undefined) cores[name] = round((to - from) / 1000 / seconds, 2);
    }
    const machine = machineMs();
    if (before.machine && machine)
      cores.machine = round((machine.busy - before.machine.busy) / 1000 / seconds, 2);
    return cores;
  };
}
