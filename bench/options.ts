/** The command line of `npm run bench` (see bench.ts), and the headers every request carries. */
import { join } from 'node:path';

/** Headers of every request: the microversion, and the token given with --token. */
export const VERSION: Record<string, string> = { 'X-OpenStack-Ironic-API-Version': '1.32' };

export const ROOT = join(__dirname, '..');

export interface Options {
  url?: string;
  /** Database of the ironvol the benchmark starts; a temporary SQLite file by default. */
  database?: string;
  vs?: string;
  nodes: number;
  connectorsPerNode: number;
  targetsPerNode: number;
  /** Seconds per scenario and server, split over the rounds. */
  duration: number;
  warmup: number;
  /** Measured rounds per scenario and server, the servers alternating in each; their medians are reported. */
  rounds: number;
  connections: number[];
  scenarios?: string[];
  sizes?: number[];
  out?: string;
  pid?: number;
  vsPid?: number;
  token?: string;
  ipmi?: number[];
  notify?: string;
  bootStorm?: number;
  ceiling: boolean;
  profile?: string;
  workers?: number[];
  /** With --workers: each server's processes limited to WORKERS × this many cores, as a CPU limit in Kubernetes does. */
  cpusPerWorker?: number;
}

export function parseArgs(argv: string[]): Options {
  const get = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const list = (value: string | undefined) => value?.split(',').map((s) => s.trim()).filter(Boolean);
  return {
    url: get('url'),
    database: get('database'),
    vs: get('vs'),
    nodes: Number(get('nodes') ?? 50),
    connectorsPerNode: Number(get('connectors-per-node') ?? 10),
    targetsPerNode: Number(get('targets-per-node') ?? 2),
    duration: Number(get('duration') ?? 10),
    warmup: Number(get('warmup') ?? 2),
    rounds: Number(get('rounds') ?? 2),
    connections: (list(get('connections')) ?? ['10', '50']).map(Number),
    scenarios: list(get('scenarios')),
    sizes: list(get('sizes'))?.map(Number),
    out: get('out'),
    pid: get('pid') ? Number(get('pid')) : undefined,
    vsPid: get('vs-pid') ? Number(get('vs-pid')) : undefined,
    token: get('token') ?? process.env.OS_TOKEN,
    ipmi: list(get('ipmi'))?.map(Number),
    notify: get('notify'),
    bootStorm: get('boot-storm') ? Number(get('boot-storm')) : undefined,
    ceiling: argv.includes('--ceiling'),
    profile: get('profile'),
    workers: list(get('workers'))?.map(Number),
    cpusPerWorker: get('cpus-per-worker') ? Number(get('cpus-per-worker')) : undefined,
  };
}
