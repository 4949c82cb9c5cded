/**
 * npm run bench -- [--url URL | --database DATABASE_URL] [--vs URL] [--nodes 50] [--connectors-per-node 10] [--targets-per-node 2]
 *                  [--duration 10] [--warmup 2] [--rounds 2] [--connections 10,50] [--scenarios show,first-page,...]
 *                  [--sizes 10000,100000,1000000] [--out results.json] [--pid PID] [--vs-pid PID] [--token TOKEN]
 *                  [--ipmi PORT,PORT,...] [--notify rabbit://guest:guest@127.0.0.1:5672/]
 * npm run bench -- --boot-storm 1000 [--connections 200] [--duration 10] [--database DATABASE_URL]
 * npm run bench -- --profile DIR [--scenarios node-view] [--connections 10] [--duration 10]
 * npm run bench -- --workers 1,2 [--cpus-per-worker 0.5] [--scenarios show,mix-80-20] [--database DATABASE_URL]
 * npm run bench -- --ceiling [--connections 10,50] [--duration 10] [--nodes 20 --connectors-per-node 25 --targets-per-node 1]
 *
 * Seeds a server through its public API, then runs each scenario for a fixed
 * time after a warm-up with a closed-loop keep-alive load (load.ts), checks a sample of answers, and
 * reports req/s, latency percentiles, non-2xx, errors and the server's peak
 * RSS. --duration is split over --rounds rounds, whose medians are reported.
 * With --vs it runs every scenario against both servers, alternating
 * A B, B A, ... round by round, and prints the ratios. Without --url it starts ironvol itself, on
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
 * mix by default) on ironvol started with each WORKERS count in turn, the
 * counts alternating round by round, and prints each count's throughput
 * against one worker. With --cpus-per-worker C each server's processes run
 * in a cgroup limited to WORKERS × C cores (as a container's CPU limit is),
 * so that N workers get N times one worker's CPU however much of the machine
 * the load generator takes; it needs a writable cgroup hierarchy (root).
 */
import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { bootStorm } from './boot-storm';
import { ceiling } from './ceiling';
import { alternateRounds, mergeRounds, ratios, Result, table } from './measure';
import { Options, parseArgs, VERSION } from './options';
import { profileScenario } from './profile';
import { scenarios } from './scenarios';
import { seed, Seeded } from './seed';
import { emptyDatabase, SERVER_ENV, startIronvol } from './server';
import { sizeSweep } from './sizes';
import { workerScaling } from './workers';

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  if (o.token) VERSION['X-Auth-Token'] = o.token;
  if (o.notify) Object.assign(SERVER_ENV, { NOTIFICATION_LEVEL: 'info', NOTIFICATION_TRANSPORT_URL: o.notify });
  if (o.sizes) return sizeSweep(o);
  if (o.bootStorm) return bootStorm(o, o.bootStorm, process.argv.includes('--connections') ? o.connections[0] : 200);
  if (o.ceiling) return ceiling(o);
  if (o.profile) return profileScenario(o, o.profile);
  if (o.workers) return workerScaling(o, o.workers);
  return sideBySide(o);
}

/** The scenarios on ironvol (started here unless --url names one) and, with --vs, on a second server, alternating. */
async function sideBySide(o: Options): Promise<void> {
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
      const contenders = servers.map((server) => ({ ...server, name: server.url, scenario: scenarios(seeded.get(server.url)!).find((s) => s.name === name)! }));
      results.push(...(await alternateRounds(contenders, connections, o)));
    }
  }
  const merged = mergeRounds(results);
  process.stdout.write(`\n${table(merged)}\n`);
  if (o.vs) process.stdout.write(`\n${ratios(merged, servers[0].url, o.vs)}\n`);
  if (o.out) writeFileSync(o.out, `${JSON.stringify({ options: o, results: merged }, null, 2)}\n`);
  own?.child.kill('SIGTERM');
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
