/**
 * A CPU limit on a server's processes, the way a container runtime applies
 * Kubernetes' `resources.limits.cpu`: a cgroup with a CFS quota per period.
 */
import { accessSync, constants, existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { processTree } from './proc';

/** Short enough that a throttled server's latencies stay readable beside an unthrottled one's. */
const PERIOD_US = 10_000;

export interface CpuLimit {
  /** The cores' worth of CPU time the processes may use together. */
  cpus: number;
  /** Removes the limit: the processes go back to the root group and the group is deleted. */
  release(): void;
}

/**
 * Puts `pid` and its descendants (a WORKERS primary and its workers) in a new
 * cgroup allowed `cpus` cores' worth of CPU time per period. Needs write access
 * to the cgroup hierarchy (cgroup v1's cpu controller or cgroup v2 with cpu
 * delegated), as root on a host or in a privileged container has.
 */
export function limitCpu(name: string, pid: number, cpus: number): CpuLimit {
  const hierarchy = cgroupHierarchy();
  const group = join(hierarchy.root, name);
  mkdirSync(group);
  const quota = Math.round(cpus * PERIOD_US);
  if (hierarchy.version === 1) {
    writeFileSync(join(group, 'cpu.cfs_period_us'), String(PERIOD_US));
    writeFileSync(join(group, 'cpu.cfs_quota_us'), String(quota));
  } else {
    writeFileSync(join(group, 'cpu.max'), `${quota} ${PERIOD_US}`);
  }
  for (const each of processTree(pid)) writeFileSync(join(group, 'cgroup.procs'), String(each));
  return {
    cpus,
    release() {
      const left = readFileSync(join(group, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean);
      for (const each of left) {
        try {
          writeFileSync(join(hierarchy.root, 'cgroup.procs'), each);
        } catch {
          // exited meanwhile
        }
      }
      rmdirSync(group);
    },
  };
}

/** Whether this process may make cpu cgroups: root on a host or in a privileged container. */
export function canLimitCpu(): boolean {
  const found = findHierarchy();
  if (!found) return false;
  try {
    accessSync(found.root, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Where new cpu cgroups are made: cgroup v1's cpu controller, or the cgroup v2 root with cpu enabled for its children. */
function cgroupHierarchy(): { version: 1 | 2; root: string } {
  const found = findHierarchy();
  if (!found) throw new Error('no cgroup cpu controller under /sys/fs/cgroup: --cpus-per-worker needs one it may write to');
  if (found.version === 2) {
    const controllers = join(found.root, 'cgroup.subtree_control');
    if (!readFileSync(controllers, 'utf8').split(/\s+/).includes('cpu')) writeFileSync(controllers, '+cpu');
  }
  return found;
}

function findHierarchy(): { version: 1 | 2; root: string } | null {
  if (existsSync('/sys/fs/cgroup/cpu/cpu.cfs_quota_us')) return { version: 1, root: '/sys/fs/cgroup/cpu' };
  if (existsSync('/sys/fs/cgroup/cgroup.subtree_control')) return { version: 2, root: '/sys/fs/cgroup' };
  return null;
}
