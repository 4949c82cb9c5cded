/** --workers: the same scenarios on ironvol run with each WORKERS count. */
import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { alternateRounds, cpuWithRange, mergeRounds, Result } from './measure';
import { Options } from './options';
import { scenarios } from './scenarios';
import { seed } from './seed';
import { emptyDatabase, SERVER_ENV, startIronvol } from './server';

/**
 * The same scenarios on ironvol run with each WORKERS count, on one seeded
 * database. The servers run side by side for the whole measurement (the one
 * not measured is idle) and the rounds alternate between them, so that every
 * round meets a server whose code the JIT has compiled already.
 */
export async function workerScaling(o: Options, counts: number[]): Promise<void> {
  const databaseUrl = await emptyDatabase(o.database, 'workers');
  const servers: Array<{ workers: number; url: string; child: ChildProcess }> = [];
  for (const workers of counts) {
    SERVER_ENV.WORKERS = String(workers);
    servers.push({ workers, ...(await startIronvol(databaseUrl)) });
  }
  delete SERVER_ENV.WORKERS;
  const seeded = await seed(servers[0].url, o);
  const names = o.scenarios ?? ['show', 'mix-80-20'];
  const results: Result[] = [];
  for (const connections of o.connections) {
    for (const scenario of scenarios(seeded).filter((each) => names.includes(each.name))) {
      const contenders = servers.map(({ workers, url, child }) => ({ name: `WORKERS=${workers}`, url, pid: child.pid, scenario }));
      results.push(...(await alternateRounds(contenders, connections, o)));
    }
  }
  await Promise.all(
    servers.map(({ child }) => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      return exited;
    }),
  );
  const merged = mergeRounds(results);
  const lines = [
    '| workers | scenario | conns | req/s | × one worker | p99 ms | server CPU µs/req (rounds\' range) | generator CPU µs/req | peak RSS MB |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of merged) {
    const one = merged.find((b) => b.server === `WORKERS=${counts[0]}` && b.scenario === r.scenario && b.connections === r.connections)!;
    lines.push(`| ${r.server.slice('WORKERS='.length)} | ${r.scenario} | ${r.connections} | ${r.rps} | ${(r.rps / one.rps).toFixed(2)} | ${r.p99} | ${cpuWithRange(r)} | ${r.generatorUsPerRequest} | ${r.peakRssMb} |`);
  }
  process.stdout.write(`\n${lines.join('\n')}\n`);
  if (o.out) writeFileSync(o.out, `${JSON.stringify({ options: o, results: merged }, null, 2)}\n`);
}
