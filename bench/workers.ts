/** --workers: the same scenarios on ironvol run with each WORKERS count. */
import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { CpuLimit, limitCpu } from './cpu-limit';
import { alternateRounds, cpuWithRange, mergeRounds, Result } from './measure';
import { Options } from './options';
import { scenarios } from './scenarios';
import { processTree } from './proc';
import { seed } from './seed';
import { emptyDatabase, SERVER_ENV, startIronvol } from './server';

/**
 * The same scenarios on ironvol run with each WORKERS count, on one seeded
 * database. The servers run side by side for the whole measurement (the one
 * not measured is idle) and the rounds alternate between them, so that every
 * round meets a server whose code the JIT has compiled already. With
 * --cpus-per-worker each server is limited to its share of CPU: on a machine
 * whose cores the load generator shares, the limit rather than the machine
 * decides what N workers may use, N times what one may.
 */
export async function workerScaling(o: Options, counts: number[]): Promise<void> {
  if (o.cpusPerWorker !== undefined && !(o.cpusPerWorker > 0)) throw new Error('--cpus-per-worker takes a number of cores above 0, e.g. 0.5');
  const databaseUrl = await emptyDatabase(o.database, 'workers');
  const servers: Array<{ workers: number; url: string; child: ChildProcess; limit?: CpuLimit }> = [];
  try {
    for (const workers of counts) {
      SERVER_ENV.WORKERS = String(workers);
      const server = await startIronvol(databaseUrl);
      const pid = server.child.pid!;
      let limit: CpuLimit | undefined;
      if (o.cpusPerWorker) {
        await allStarted(pid, workers);
        limit = limitCpu(`ironvol-bench-${pid}`, pid, workers * o.cpusPerWorker);
      }
      servers.push({ workers, ...server, limit });
    }
  } finally {
    delete SERVER_ENV.WORKERS;
  }
  const seeded = await seed(servers[0].url, o);
  const names = o.scenarios ?? ['show', 'mix-80-20'];
  const results: Result[] = [];
  for (const connections of o.connections) {
    for (const scenario of scenarios(seeded).filter((each) => names.includes(each.name))) {
      const contenders = servers.map(({ workers, url, child }) => ({ name: serverName(workers, o), url, pid: child.pid, scenario }));
      results.push(...(await alternateRounds(contenders, connections, o)));
    }
  }
  await Promise.all(
    servers.map(async ({ child, limit }) => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      limit?.release();
    }),
  );
  const merged = mergeRounds(results);
  const lines = [
    '| workers | CPU limit (cores) | scenario | conns | req/s | × one worker | p99 ms | server CPU µs/req (rounds\' range) | generator CPU µs/req | peak RSS MB |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of merged) {
    const workers = Number(/^WORKERS=(\d+)/.exec(r.server)![1]);
    const one = merged.find((b) => b.server === serverName(counts[0], o) && b.scenario === r.scenario && b.connections === r.connections)!;
    const limit = o.cpusPerWorker ? String(workers * o.cpusPerWorker) : 'none';
    lines.push(`| ${workers} | ${limit} | ${r.scenario} | ${r.connections} | ${r.rps} | ${(r.rps / one.rps).toFixed(2)} | ${r.p99} | ${cpuWithRange(r)} | ${r.generatorUsPerRequest} | ${r.peakRssMb} |`);
  }
  process.stdout.write(`\n${lines.join('\n')}\n`);
  if (o.out) writeFileSync(o.out, `${JSON.stringify({ options: o, results: merged }, null, 2)}\n`);
}

function serverName(workers: number, o: Options): string {
  return o.cpusPerWorker ? `WORKERS=${workers} (${workers * o.cpusPerWorker} cores)` : `WORKERS=${workers}`;
}

/** Waits until a WORKERS primary has started its workers (one process when WORKERS=1), so the CPU limit takes them all in. */
async function allStarted(pid: number, workers: number): Promise<void> {
  const expected = workers > 1 ? workers + 1 : 1;
  for (let i = 0; i < 300 && processTree(pid).length < expected; i++) await new Promise((r) => setTimeout(r, 100));
  if (processTree(pid).length < expected) throw new Error(`WORKERS=${workers} did not start its workers`);
}
