/** What /proc tells of a server's processes: CPU time and resident memory. */
import { readdirSync, readFileSync } from 'node:fs';

/**
 * Server CPU time (user + system, seconds) a process has used so far, from
 * /proc/<pid>/stat. Dividing the CPU a run cost by the requests it answered
 * gives a per-request cost that holds on a busy machine, where req/s alone
 * drifts with whatever else the cores are doing.
 */
export function cpuSeconds(pid: number): number {
  const ticksPerSecond = 100;
  return processTree(pid).reduce((sum, each) => {
    const fields = statOf(each);
    return fields ? sum + (Number(fields[11]) + Number(fields[12])) / ticksPerSecond : sum;
  }, 0);
}

/** The fields of /proc/<pid>/stat after the command name (which may hold spaces and parentheses), or null once it is gone. */
function statOf(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** A process and its descendants (a WORKERS primary and its workers), from the parent pids in /proc. */
export function processTree(pid: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statOf(Number(entry));
    if (!fields) continue;
    const parent = Number(fields[1]);
    parents.set(parent, [...(parents.get(parent) ?? []), Number(entry)]);
  }
  const tree: number[] = [];
  const walk = (p: number) => {
    tree.push(p);
    for (const child of parents.get(p) ?? []) walk(child);
  };
  walk(pid);
  return tree;
}

/** Resident memory of a server: its processes (under WORKERS, the primary and its workers). */
export function rssOf(pids: readonly number[]): number | null {
  if (!pids.length) return null;
  let total = 0;
  for (const each of pids) {
    try {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${each}/status`, 'utf8'));
      total += match ? Number(match[1]) * 1024 : 0;
    } catch {
      // gone meanwhile
    }
  }
  return total || null;
}
