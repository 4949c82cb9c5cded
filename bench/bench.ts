/**
 * npm run bench -- [--url URL | --database DATABASE_URL] [--vs URL] [--nodes 50] [--connectors-per-node 10] [--targets-per-node 2]
 *                  [--duration 10] [--warmup 2] [--connections 10,50] [--scenarios show,first-page,...]
 *                  [--sizes 10000,100000,1000000] [--out results.json] [--pid PID] [--vs-pid PID] [--token TOKEN]
 *                  [--ipmi PORT,PORT,...] [--notify rabbit://guest:guest@127.0.0.1:5672/]
 * npm run bench -- --boot-storm 1000 [--connections 200] [--duration 10] [--database DATABASE_URL]
 * npm run bench -- --profile DIR [--scenarios node-view] [--connections 10] [--duration 10]
 * npm run bench -- --workers 1,2 [--scenarios show,mix-80-20] [--database DATABASE_URL]
 * npm run bench -- --ceiling [--connections 10,50] [--duration 10] [--nodes 20 --connectors-per-node 25 --targets-per-node 1]
 *
 * Seeds a server through its public API, then runs each scenario for a fixed
 * time after a warm-up with a closed-loop keep-alive load (load.ts), checks a sample of answers, and
 * reports req/s, latency percentiles, non-2xx, errors and the server's peak
 * RSS. With --vs it runs every scenario against both servers, alternating
 * A B A B, and prints the ratios. Without --url it starts ironvol itself, on
 * --database (emptied first) or a temporary SQLite file. With --sizes it seeds
 * large tables straight through the database layer and measures show, first
 * page, deep page and the node filter at each size. --token sends a Keystone
 * token (X-Auth-Token) with every request, for a server run with
 * AUTH_STRATEGY=keystone (or $OS_TOKEN, from `openstack token issue`).
 * --ipmi seeds `ipmi` nodes on BMCs at those loopback ports (fakebmc, admin /
 * password; round robin) instead of fake-hardware ones, so that every
 * guarded change pays the live check. --notify turns notifications on
 * (NOTIFICATION_LEVEL=info) in the ironvol the benchmark starts, sending to
 * that broker, so that every change also writes its events to the outbox.
 * --boot-storm N seeds N deployed nodes that boot from their volume and has
 * --connections clients (200 by default) fetch their per-MAC iPXE scripts
 * from the boot listener, against a static file served by the same HTTP
 * stack in its own process, alternating A B A B.
 * --ceiling measures show against what this machine and the web framework
 * can do at best: a bare Node http server and a bare Express server (with
 * ironvol's helmet policy) answering show's own body, alternating, and prints
 * each one's requests per server core-second (CPU from /proc) and ironvol's
 * share of them.
 * --profile DIR runs show (or the read scenario --scenarios names) under a V8 CPU profile (--cpu-prof, sampled every 250 µs)
 * and writes to DIR the profile, the main thread's cost per request
 * by layer (<scenario>-layers.md) and a flame graph (<scenario>-flame.svg), counting
 * only the samples of the measured window.
 * --workers 1,2 seeds one database and measures the scenarios (show and the
 * mix by default) on ironvol started with each WORKERS count in turn, two
 * rounds alternating, and prints each count's throughput against one worker.
 */
import { SingleBar } from 'cli-progress';
import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dropTables, seedDirect } from './seed-direct';
import { macOf, seedBootingFleet, startStaticServer, storm, StormResult } from './boot-storm';
import { CEILING_SERVERS, cpuSeconds, processTree, startCeilingServer } from './ceiling';
import { load, LoadRequest } from './load';
import { flameGraph, layerCosts } from './profile';

/** Headers of every request: the microversion, and the token given with --token. */
const VERSION: Record<string, string> = { 'X-OpenStack-Ironic-API-Version': '1.32' };
const ROOT = join(__dirname, '..');

interface Options {
  url?: string;
  /** Database of the ironvol the benchmark starts; a temporary SQLite file by default. */
  database?: string;
  vs?: string;
  nodes: number;
  connectorsPerNode: number;
  targetsPerNode: number;
  duration: number;
  warmup: number;
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
}

function parseArgs(argv: string[]): Options {
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
  };
}

async function api(base: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...VERSION, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** Runs fn over items with at most `limit` in flight. */
async function pool<T>(items: T[], limit: number, fn: (item: T) => Promise<void>, bar?: SingleBar): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        await fn(items[next++]);
        bar?.increment();
      }
    }),
  );
}

interface Seeded {
  nodes: string[];
  /**
   * The node the create scenario adds its connectors to. Kept apart from the
   * others so that what a server created (a fast one creates thousands) does
   * not grow the node filter's answers in the rounds after it.
   */
  createNode: string;
  connectors: string[];
  /** A marker deep into the connector list (90% of the way). */
  deepMarker: string;
  tag: string;
}

/** fake-hardware, or with --ipmi a BMC of the list (a fakebmc's machine starts powered off). */
function driverOf(o: Options, i: number): Record<string, unknown> {
  if (!o.ipmi) return { driver: 'fake-hardware' };
  const port = o.ipmi[i % o.ipmi.length];
  return { driver: 'ipmi', driver_info: { ipmi_address: '127.0.0.1', ipmi_port: port, ipmi_username: 'admin', ipmi_password: 'password' } };
}

/** Moves an ipmi node to manageable, which records its machine's power as the BMC reports it. */
async function manage(base: string, node: string): Promise<void> {
  await api(base, 'PUT', `/v1/nodes/${node}/states/provision`, { target: 'manage' });
  for (let i = 0; i < 300; i++) {
    const shown = await api(base, 'GET', `/v1/nodes/${node}`);
    if (shown.body.provision_state === 'manageable' && shown.body.power_state === 'power off') return;
    if (shown.body.provision_state === 'enroll') throw new Error(`node ${node}: ${shown.body.last_error}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`node ${node} did not become manageable`);
}

async function seed(base: string, o: Options): Promise<Seeded> {
  const tag = `b${Date.now().toString(36)}`;
  const total = o.nodes * (1 + o.connectorsPerNode + o.targetsPerNode) + 1;
  const bar = new SingleBar({ format: `seeding ${base} [{bar}] {value}/{total}`, hideCursor: true, noTTYOutput: true, notTTYSchedule: 2000 });
  bar.start(total, 0);
  const nodes: string[] = [];
  await pool(Array.from({ length: o.nodes }, (_, i) => i), 8, async (i) => {
    const node = await api(base, 'POST', '/v1/nodes', { ...driverOf(o, i), name: `${tag}-${i}` });
    if (node.status !== 201) throw new Error(`seeding a node: ${node.status} ${JSON.stringify(node.body)}`);
    if (o.ipmi) await manage(base, node.body.uuid);
    else await api(base, 'PUT', `/v1/nodes/${node.body.uuid}/states/power`, { target: 'power off' });
    nodes[i] = node.body.uuid;
  }, bar);
  const createNode = await api(base, 'POST', '/v1/nodes', { driver: 'fake-hardware', name: `${tag}-create` });
  if (createNode.status !== 201) throw new Error(`seeding a node: ${createNode.status} ${JSON.stringify(createNode.body)}`);
  bar.increment();
  const connectorJobs = nodes.flatMap((node, n) => Array.from({ length: o.connectorsPerNode }, (_, c) => ({ node, id: `iqn.2017-06.org.${tag}:${n}:${c}` })));
  await pool(connectorJobs, 8, async (job) => {
    const res = await api(base, 'POST', '/v1/volume/connectors', { node_uuid: job.node, type: 'iqn', connector_id: job.id });
    if (res.status !== 201) throw new Error(`seeding a connector: ${res.status} ${JSON.stringify(res.body)}`);
  }, bar);
  const targetJobs = nodes.flatMap((node) => Array.from({ length: o.targetsPerNode }, (_, t) => ({ node, t })));
  await pool(targetJobs, 8, async (job) => {
    const res = await api(base, 'POST', '/v1/volume/targets', { node_uuid: job.node, volume_type: 'iscsi', boot_index: job.t, volume_id: `${tag}-${job.t}` });
    if (res.status !== 201) throw new Error(`seeding a target: ${res.status} ${JSON.stringify(res.body)}`);
  }, bar);
  bar.stop();
  const connectors = await allConnectorUuids(base, tag);
  return { nodes, createNode: createNode.body.uuid, connectors, deepMarker: connectors[Math.floor(connectors.length * 0.9)], tag };
}

/** The seeded connectors in list order, read by following next links. */
async function allConnectorUuids(base: string, tag: string): Promise<string[]> {
  const uuids: string[] = [];
  let path: string | null = '/v1/volume/connectors?limit=1000&fields=uuid,connector_id';
  while (path) {
    const res = await api(base, 'GET', path);
    for (const c of res.body.connectors) if (String(c.connector_id).includes(tag)) uuids.push(c.uuid);
    path = res.body.next ? new URL(res.body.next).pathname + new URL(res.body.next).search : null;
  }
  return uuids;
}

interface Scenario {
  name: string;
  /** A request for the i-th call. */
  request: (i: number) => { method: string; path: string; body?: unknown };
  /** Checks one answer; throws when it is wrong. */
  check: (status: number, body: any, i: number) => void;
}

/** A scenario's request as the load generator sends it: with the microversion (and token) headers, and a JSON body. */
function wire(request: { method: string; path: string; body?: unknown }): LoadRequest {
  if (request.body === undefined) return { method: request.method, path: request.path, headers: VERSION };
  return { method: request.method, path: request.path, headers: { ...VERSION, 'Content-Type': 'application/json' }, body: JSON.stringify(request.body) };
}

function scenarios(s: Seeded): Scenario[] {
  const pick = <T>(list: T[], i: number) => list[i % list.length];
  let created = 0;
  const run = `${Date.now().toString(36)}`;
  const show: Scenario = {
    name: 'show',
    request: (i) => ({ method: 'GET', path: `/v1/volume/connectors/${pick(s.connectors, i)}` }),
    check: (status, body, i) => assert(status === 200 && body.uuid === pick(s.connectors, i), 'show answers the connector'),
  };
  const patch: Scenario = {
    name: 'patch',
    request: (i) => ({ method: 'PATCH', path: `/v1/volume/connectors/${pick(s.connectors, i)}`, body: [{ op: 'add', path: '/extra/bench', value: i }] }),
    check: (status, body, i) => assert(status === 200 && body.extra.bench === i, 'patch answers the new extra'),
  };
  return [
    show,
    {
      name: 'first-page',
      request: () => ({ method: 'GET', path: '/v1/volume/connectors?detail=True&limit=100' }),
      check: (status, body) => assert(status === 200 && body.connectors.length === 100 && 'extra' in body.connectors[0], 'a full detail page'),
    },
    {
      name: 'deep-page',
      request: () => ({ method: 'GET', path: `/v1/volume/connectors?detail=True&limit=100&marker=${s.deepMarker}` }),
      check: (status, body) => assert(status === 200 && body.connectors.length > 0 && body.connectors[0].uuid !== s.deepMarker, 'the page after the marker'),
    },
    {
      name: 'node-filter',
      request: (i) => ({ method: 'GET', path: `/v1/volume/connectors?node=${pick(s.nodes, i)}&detail=True` }),
      check: (status, body, i) => assert(status === 200 && body.connectors.length > 0 && body.connectors.every((c: any) => c.node_uuid === pick(s.nodes, i)), "only the node's connectors"),
    },
    {
      name: 'node-view',
      request: (i) => ({ method: 'GET', path: `/v1/nodes/${pick(s.nodes, i)}/volume/targets` }),
      check: (status, body, i) => assert(status === 200 && body.targets.every((t: any) => t.node_uuid === pick(s.nodes, i)), "only the node's targets"),
    },
    {
      name: 'create',
      request: (i) => ({ method: 'POST', path: '/v1/volume/connectors', body: { node_uuid: s.createNode, type: 'iqn', connector_id: `iqn.${s.tag}.${run}:${i}:${created++}` } }),
      check: (status, body) => assert(status === 201 && typeof body.uuid === 'string', 'created'),
    },
    patch,
    {
      name: 'mix-80-20',
      request: (i) => (i % 5 === 4 ? patch.request(i) : show.request(i)),
      check: (status, body, i) => (i % 5 === 4 ? patch.check(status, body, i) : show.check(status, body, i)),
    },
  ];
}

/**
 * Waits (at most 120 s) until a server is idle: three version-root requests
 * in a row answer within 50 ms and, where its pid is known, its processes
 * use less than a tenth of a core over half a second. A server can answer
 * quickly while it still works through requests whose clients have gone
 * (Ironic's workers go on with them), and that work would take the cores
 * from the next measurement.
 */
async function settle(base: string, pid?: number): Promise<void> {
  const deadline = Date.now() + 120000;
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
  let quick = 0;
  while (quick < 3 && Date.now() < deadline) {
    const started = Date.now();
    await fetch(`${base}/`).catch(() => undefined);
    quick = Date.now() - started < 50 ? quick + 1 : 0;
    if (quick < 3) await pause(200);
  }
  while (pid && Date.now() < deadline) {
    const before = cpuSeconds(pid);
    await pause(500);
    if (cpuSeconds(pid) - before < 0.05) return;
  }
}

function assert(ok: boolean, what: string): void {
  if (!ok) throw new Error(`wrong answer: expected ${what}`);
}

/** Checks a sample of answers before measuring, so a fast wrong answer does not count. */
async function verify(base: string, scenario: Scenario): Promise<void> {
  for (let i = 0; i < 5; i++) {
    const r = scenario.request(i * 7919);
    const res = await api(base, r.method, r.path, r.body);
    try {
      scenario.check(res.status, res.body, i * 7919);
    } catch (error) {
      throw new Error(`${scenario.name} on ${base}: ${(error as Error).message} (got ${res.status} ${JSON.stringify(res.body).slice(0, 200)})`);
    }
  }
}

/** Resident memory of a server: its processes (under WORKERS, the primary and its workers). */
function rssOf(pids: readonly number[]): number | null {
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

interface Result {
  server: string;
  scenario: string;
  connections: number;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
  peakRssMb: number | null;
  /** Server CPU (user + system) per answered request, for servers whose pid is known. */
  cpuUsPerRequest: number | null;
  /** The load generator's own CPU per answered request: what it took from the cores the server shares. */
  generatorUsPerRequest: number;
}

async function measure(base: string, scenario: Scenario, connections: number, o: Options, pid?: number): Promise<Result> {
  let counter = 0;
  const next = (): LoadRequest => wire(scenario.request(counter++));
  const run = (duration: number) => load(base, { connections, duration, next });
  if (o.warmup > 0) await run(o.warmup);
  const tree = pid ? processTree(pid) : [];
  let peak = rssOf(tree) ?? 0;
  const sampler = setInterval(() => (peak = Math.max(peak, rssOf(tree) ?? 0)), 100);
  const cpuBefore = pid ? cpuSeconds(pid) : 0;
  const generatorBefore = process.cpuUsage();
  const result = await run(o.duration);
  const generator = process.cpuUsage(generatorBefore);
  const cpu = pid ? cpuSeconds(pid) - cpuBefore : 0;
  clearInterval(sampler);
  return {
    server: base,
    scenario: scenario.name,
    connections,
    rps: result.rps,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    non2xx: result.non2xx,
    errors: result.errors,
    peakRssMb: pid ? Math.round(peak / 1024 / 1024) : null,
    cpuUsPerRequest: pid && result.total ? Math.round((cpu * 1e6) / result.total) : null,
    generatorUsPerRequest: result.total ? Math.round((generator.user + generator.system) / result.total) : 0,
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The Node flags `npm start` runs the service with (package.json), so the benchmark measures the same. */
function startFlags(): string[] {
  const start: string = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts.start;
  return start.split(/\s+/).filter((arg) => arg.startsWith('--'));
}

/** Extra environment of the ironvol the benchmark starts (--notify). */
const SERVER_ENV: Record<string, string> = {};

/** Starts ironvol from dist/ on a free port with the given database, as `npm start` does. */
async function startIronvol(databaseUrl: string, nodeFlags: string[] = []): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, [...startFlags(), ...nodeFlags, join(ROOT, 'dist', 'src', 'main.js')], {
    // Both hardware types, so that --ipmi can seed ipmi nodes.
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: databaseUrl, LOG_LEVEL: 'error', ENABLED_HARDWARE_TYPES: 'fake-hardware,ipmi', ...SERVER_ENV },
    stdio: 'inherit',
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${url}/readyz`)).status === 200) return { url, child };
    } catch {
      // starting
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error('ironvol did not become ready');
}

function table(results: Result[]): string {
  const head = ['server', 'scenario', 'conns', 'req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'non-2xx', 'errors', 'peak RSS MB', 'CPU µs/req', 'generator µs/req'];
  const rows = results.map((r) =>
    [r.server, r.scenario, r.connections, r.rps, r.p50, r.p90, r.p99, r.max, r.non2xx, r.errors, r.peakRssMb ?? '-', r.cpuUsPerRequest ?? '-', r.generatorUsPerRequest].map(String),
  );
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  if (o.token) VERSION['X-Auth-Token'] = o.token;
  if (o.notify) Object.assign(SERVER_ENV, { NOTIFICATION_LEVEL: 'info', NOTIFICATION_TRANSPORT_URL: o.notify });
  if (o.sizes) return sizeSweep(o);
  if (o.bootStorm) return bootStorm(o, o.bootStorm, process.argv.includes('--connections') ? o.connections[0] : 200);
  if (o.ceiling) return ceiling(o);
  if (o.profile) return profileScenario(o, o.profile);
  if (o.workers) return workerScaling(o, o.workers);
  let own: { url: string; child: ChildProcess } | null = null;
  if (!o.url) {
    own = await startIronvol(await emptyDatabase(o.database, 'bench'));
    o.url = own.url;
    o.pid = own.child.pid;
  }
  const servers = [{ url: o.url!, pid: o.pid }, ...(o.vs ? [{ url: o.vs, pid: o.vsPid }] : [])];
  const seeded = new Map<string, Seeded>();
  for (const server of servers) seeded.set(server.url, await seed(server.url, o));
  const results: Result[] = [];
  const names = scenarios(seeded.get(servers[0].url)!).map((s) => s.name).filter((n) => !o.scenarios || o.scenarios.includes(n));
  for (const connections of o.connections) {
    for (const name of names) {
      // Alternate A B A B so drift on the machine cancels out between the two.
      for (const round of [0, 1]) {
        for (const server of servers) {
          const scenario = scenarios(seeded.get(server.url)!).find((s) => s.name === name)!;
          await verify(server.url, scenario);
          const result = await measure(server.url, scenario, connections, { ...o, duration: o.duration / 2 }, server.pid);
          // A slow server keeps working through the requests still queued when the load stops;
          // wait until it is idle so it does not steal CPU from the next measurement.
          await settle(server.url, server.pid);
          results.push({ ...result, scenario: `${name}#${round + 1}` });
          process.stdout.write(`${server.url} ${name} c=${connections}: ${result.rps} req/s p99 ${result.p99} ms\n`);
        }
      }
    }
  }
  const merged = mergeRounds(results);
  process.stdout.write(`\n${table(merged)}\n`);
  if (o.vs) process.stdout.write(`\n${ratios(merged, servers[0].url, o.vs)}\n`);
  if (o.out) writeFileSync(o.out, `${JSON.stringify({ options: o, results: merged }, null, 2)}\n`);
  own?.child.kill('SIGTERM');
}

/** Averages the two rounds of each scenario (throughput summed over time, latencies the worse). */
function mergeRounds(results: Result[]): Result[] {
  const groups = new Map<string, Result[]>();
  for (const r of results) {
    const key = `${r.server} ${r.scenario.replace(/#\d$/, '')} ${r.connections}`;
    groups.set(key, [...(groups.get(key) ?? []), { ...r, scenario: r.scenario.replace(/#\d$/, '') }]);
  }
  return [...groups.values()].map((rs) => ({
    ...rs[0],
    rps: Math.round(rs.reduce((a, r) => a + r.rps, 0) / rs.length),
    p50: Math.max(...rs.map((r) => r.p50)),
    p90: Math.max(...rs.map((r) => r.p90)),
    p99: Math.max(...rs.map((r) => r.p99)),
    max: Math.max(...rs.map((r) => r.max)),
    non2xx: rs.reduce((a, r) => a + r.non2xx, 0),
    errors: rs.reduce((a, r) => a + r.errors, 0),
    peakRssMb: rs.some((r) => r.peakRssMb !== null) ? Math.max(...rs.map((r) => r.peakRssMb ?? 0)) : null,
    cpuUsPerRequest: rs.some((r) => r.cpuUsPerRequest !== null) ? Math.round(rs.reduce((a, r) => a + (r.cpuUsPerRequest ?? 0), 0) / rs.length) : null,
    generatorUsPerRequest: Math.round(rs.reduce((a, r) => a + r.generatorUsPerRequest, 0) / rs.length),
  }));
}

function ratios(results: Result[], a: string, b: string): string {
  const lines = ['| scenario | conns | req/s A/B | p99 A/B |', '|---|---|---|---|'];
  for (const ra of results.filter((r) => r.server === a)) {
    const rb = results.find((r) => r.server === b && r.scenario === ra.scenario && r.connections === ra.connections);
    if (!rb) continue;
    if (!rb.rps || !rb.p99) {
      lines.push(`| ${ra.scenario} | ${ra.connections} | B answered no request within the run | - |`);
      continue;
    }
    lines.push(`| ${ra.scenario} | ${ra.connections} | ${(ra.rps / rb.rps).toFixed(1)}× | 1/${(rb.p99 / Math.max(ra.p99, 0.01)).toFixed(1)} |`);
  }
  return lines.join('\n');
}

/** The database URL to start ironvol on, emptied: the given server database, or a new SQLite file. */
async function emptyDatabase(database: string | undefined, name: string): Promise<string> {
  if (!database || database.startsWith('sqlite:')) {
    return database ?? `sqlite:${join(mkdtempSync(join(tmpdir(), `ironvol-${name}-`)), `${name}.sqlite`)}`;
  }
  await dropTables(database);
  return database;
}

/** Per-request cost of show, first page and deep page as the connector table grows. */
async function sizeSweep(o: Options): Promise<void> {
  const results: Array<Result & { size: number }> = [];
  for (const size of o.sizes!) {
    const databaseUrl = await emptyDatabase(o.database, 'sweep');
    process.stdout.write(`seeding ${size} connectors straight into ${databaseUrl.replace(/:[^:@/]*@/, ':***@')}\n`);
    const seeded = await seedDirect(databaseUrl, size);
    const server = await startIronvol(databaseUrl);
    const all = scenarios({ ...seeded, createNode: seeded.nodes[0], tag: 'sweep' }).filter((s) => ['show', 'first-page', 'deep-page', 'node-filter'].includes(s.name));
    for (const scenario of all) {
      await verify(server.url, scenario);
      const result = await measure(server.url, scenario, o.connections[0], o, server.child.pid);
      results.push({ ...result, size });
      process.stdout.write(`${size} ${scenario.name}: ${result.rps} req/s p99 ${result.p99} ms\n`);
    }
    server.child.kill('SIGTERM');
  }
  const lines = ['| connectors | scenario | req/s | p50 ms | p99 ms | peak RSS MB |', '|---|---|---|---|---|---|'];
  for (const r of results) lines.push(`| ${r.size} | ${r.scenario} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.peakRssMb} |`);
  process.stdout.write(`\n${lines.join('\n')}\n`);
  if (o.out) writeFileSync(o.out, `${JSON.stringify({ options: o, results }, null, 2)}\n`);
}

/**
 * Show against the ceilings of bare http and bare Express answering show's own
 * body, at each connection count, two rounds alternating the three servers.
 * The share that counts is per server core (requests per CPU second): it does
 * not depend on how busy the machine's other core is.
 */
async function ceiling(o: Options): Promise<void> {
  const own = await startIronvol(await emptyDatabase(o.database, 'ceiling'));
  const seeded = await seed(own.url, o);
  const show = scenarios(seeded).find((s) => s.name === 'show')!;
  const shown = await fetch(`${own.url}/v1/volume/connectors/${seeded.connectors[0]}`, { headers: VERSION });
  const body = await shown.text();
  const fixed: Scenario = {
    name: 'show',
    request: show.request,
    check: (status, answer) => assert(status === 200 && answer.uuid === seeded.connectors[0], 'the fixed show body'),
  };
  const servers: Array<{ name: string; url: string; pid: number; scenario: Scenario; child: ChildProcess }> = [];
  for (const name of CEILING_SERVERS) {
    const port = await freePort();
    const child = await startCeilingServer(name, body, port);
    servers.push({ name, url: `http://127.0.0.1:${port}`, pid: child.pid!, scenario: fixed, child });
  }
  servers.push({ name: 'ironvol', url: own.url, pid: own.child.pid!, scenario: show, child: own.child });
  const results: Result[] = [];
  for (const connections of o.connections) {
    for (const round of [0, 1]) {
      for (const server of servers) {
        await verify(server.url, server.scenario);
        const result = await measure(server.url, server.scenario, connections, { ...o, duration: o.duration / 2 }, server.pid);
        await settle(server.url, server.pid);
        results.push({ ...result, server: server.name, scenario: `show#${round + 1}` });
        process.stdout.write(`${server.name} c=${connections}: ${result.rps} req/s p99 ${result.p99} ms, ${result.cpuUsPerRequest} µs CPU/req\n`);
      }
    }
  }
  const merged = mergeRounds(results);
  const lines = [
    '| server | conns | req/s | p99 ms | server CPU µs/req | req/s per server core | share of bare http (per core) | share of bare http (req/s) |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const r of merged) {
    const bare = merged.find((b) => b.server === 'bare http' && b.connections === r.connections)!;
    const perCore = (x: Result) => 1e6 / x.cpuUsPerRequest!;
    const share = (a: number, b: number) => `${((100 * a) / b).toFixed(1)} %`;
    lines.push(
      `| ${r.server} | ${r.connections} | ${r.rps} | ${r.p99} | ${r.cpuUsPerRequest} | ${Math.round(perCore(r))} | ${share(perCore(r), perCore(bare))} | ${share(r.rps, bare.rps)} |`,
    );
  }
  process.stdout.write(`\n${lines.join('\n')}\n`);
  if (o.out) writeFileSync(o.out, `${JSON.stringify({ options: o, results: merged }, null, 2)}\n`);
  for (const server of servers) server.child.kill('SIGTERM');
}

/** The same scenarios on ironvol run with each WORKERS count, on one seeded database. */
async function workerScaling(o: Options, counts: number[]): Promise<void> {
  const databaseUrl = await emptyDatabase(o.database, 'workers');
  const first = await startIronvol(databaseUrl);
  const seeded = await seed(first.url, o);
  first.child.kill('SIGTERM');
  await new Promise((resolve) => first.child.once('exit', resolve));
  const names = o.scenarios ?? ['show', 'mix-80-20'];
  const results: Result[] = [];
  for (const round of [0, 1]) {
    for (const workers of counts) {
      SERVER_ENV.WORKERS = String(workers);
      const server = await startIronvol(databaseUrl);
      for (const connections of o.connections) {
        for (const scenario of scenarios(seeded).filter((each) => names.includes(each.name))) {
          await verify(server.url, scenario);
          const result = await measure(server.url, scenario, connections, { ...o, duration: o.duration / 2 }, server.child.pid);
          await settle(server.url, server.child.pid);
          results.push({ ...result, server: `WORKERS=${workers}`, scenario: `${scenario.name}#${round + 1}` });
          process.stdout.write(`WORKERS=${workers} ${scenario.name} c=${connections}: ${result.rps} req/s p99 ${result.p99} ms\n`);
        }
      }
      const exited = new Promise((resolve) => server.child.once('exit', resolve));
      server.child.kill('SIGTERM');
      await exited;
    }
  }
  delete SERVER_ENV.WORKERS;
  const merged = mergeRounds(results);
  const lines = ['| workers | scenario | conns | req/s | × one worker | p99 ms | server CPU µs/req | generator CPU µs/req | peak RSS MB |', '|---|---|---|---|---|---|---|---|---|'];
  for (const r of merged) {
    const one = merged.find((b) => b.server === `WORKERS=${counts[0]}` && b.scenario === r.scenario && b.connections === r.connections)!;
    lines.push(`| ${r.server.slice('WORKERS='.length)} | ${r.scenario} | ${r.connections} | ${r.rps} | ${(r.rps / one.rps).toFixed(2)} | ${r.p99} | ${r.cpuUsPerRequest} | ${r.generatorUsPerRequest} | ${r.peakRssMb} |`);
  }
  process.stdout.write(`\n${lines.join('\n')}\n`);
  if (o.out) writeFileSync(o.out, `${JSON.stringify({ options: o, results: merged }, null, 2)}\n`);
}

/** A read scenario (show unless --scenarios names another) under a CPU profile: the cost of each layer per request, and a flame graph. */
async function profileScenario(o: Options, dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  for (const old of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) rmSync(join(dir, old));
  const own = await startIronvol(await emptyDatabase(o.database, 'profile'), ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-interval', '250']);
  const seeded = await seed(own.url, o);
  const name = o.scenarios?.[0] ?? 'show';
  const scenario = scenarios(seeded).find((s) => s.name === name && s.request(0).method === 'GET');
  if (!scenario) throw new Error(`--profile measures a read scenario: ${name} is not one`);
  await verify(own.url, scenario);
  const connections = o.connections[0];
  let counter = 0;
  const next = (): LoadRequest => wire(scenario.request(counter++));
  await load(own.url, { connections, duration: o.warmup || 1, next });
  // The profile's clock is the monotonic one process.hrtime reads.
  const from = Number(process.hrtime.bigint() / 1000n);
  const result = await load(own.url, { connections, duration: o.duration, next });
  const to = Number(process.hrtime.bigint() / 1000n);
  const exited = new Promise((resolve) => own.child.once('exit', resolve));
  own.child.kill('SIGTERM');
  await exited;
  const file = join(dir, readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))!);
  const { layers, busyUs } = layerCosts(file, from, to, result.total);
  const lines = [
    `${name}, ${connections} connections, ${o.duration} s: ${result.rps} req/s; main thread ${busyUs.toFixed(1)} µs per request`,
    '',
    '| layer | µs per request | share |',
    '|---|---|---|',
    ...layers.map((l) => `| ${l.layer} | ${l.us.toFixed(1)} | ${(100 * l.share).toFixed(1)} % |`),
  ];
  writeFileSync(join(dir, `${name}-layers.md`), `${lines.join('\n')}\n`);
  writeFileSync(join(dir, `${name}-flame.svg`), flameGraph(file, from, to, `ironvol ${name}, ${connections} connections: main thread, ${busyUs.toFixed(0)} µs per request`));
  process.stdout.write(`\n${lines.join('\n')}\n\nprofile: ${file}\nflame graph: ${join(dir, `${name}-flame.svg`)}\n`);
}

/** The boot listener under a boot storm, against a static file served by the same HTTP stack. */
async function bootStorm(o: Options, count: number, connections: number): Promise<void> {
  const databaseUrl = await emptyDatabase(o.database, 'storm');
  process.stdout.write(`seeding ${count} deployed nodes booting from their volume\n`);
  await seedBootingFleet(databaseUrl, count);
  const bootPort = await freePort();
  Object.assign(SERVER_ENV, { BOOT_HTTP_PORT: String(bootPort), BOOT_HTTP_HOST: '127.0.0.1', BOOT_HTTP_URL: 'http://10.0.2.100' });
  const server = await startIronvol(databaseUrl);
  const listener = `http://127.0.0.1:${bootPort}`;
  const sample = await fetch(`${listener}/pxelinux.cfg/${macOf(count - 1).replace(/:/g, '-')}`);
  const script = await sample.text();
  assert(sample.status === 200 && script.includes('sanhook --drive 0x80'), 'the listener serves a seeded machine its script');
  const staticPort = await freePort();
  const staticServer = startStaticServer(staticPort, script);
  await new Promise((resolve) => staticServer.once('message', resolve));
  const servers = [['boot listener', listener], ['static file', `http://127.0.0.1:${staticPort}`]];
  const results: StormResult[] = [];
  for (const [name, base] of servers) await storm(name, base, count, connections, o.warmup);
  for (const round of [0, 1]) {
    for (const [name, base] of servers) {
      const result = await storm(name, base, count, connections, o.duration / 2);
      results.push(result);
      process.stdout.write(`${name} round ${round + 1} c=${connections}: ${result.rps} req/s p99 ${result.p99} ms\n`);
    }
  }
  const lines = [`| server (${count} machines, ${connections} clients) | req/s | p50 ms | p99 ms | max ms | non-2xx | errors |`, '|---|---|---|---|---|---|---|'];
  for (const [name] of servers) {
    const rs = results.filter((r) => r.server === name);
    const rps = Math.round(rs.reduce((a, r) => a + r.rps, 0) / rs.length);
    lines.push(`| ${name} | ${rps} | ${Math.max(...rs.map((r) => r.p50))} | ${Math.max(...rs.map((r) => r.p99))} | ${Math.max(...rs.map((r) => r.max))} | ${rs.reduce((a, r) => a + r.non2xx, 0)} | ${rs.reduce((a, r) => a + r.errors, 0)} |`);
  }
  process.stdout.write(`\n${lines.join('\n')}\n`);
  if (o.out) writeFileSync(o.out, `${JSON.stringify({ options: o, results }, null, 2)}\n`);
  staticServer.kill();
  server.child.kill('SIGTERM');
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
