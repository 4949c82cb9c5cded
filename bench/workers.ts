/** --workers: the same scenarios on ironvol run with each WORKERS count. */
import { writeFileSync } from 'node:fs';
import { cpuWithRange, measure, mergeRounds, Result, roundOrder } from './measure';
import { Options } from './options';
import { scenarios, verify } from './scenarios';
import { seed } from './seed';
import { emptyDatabase, SERVER_ENV, settle, startIronvol } from './server';

/** The same scenarios on ironvol run with each WORKERS count, on one seeded database. */
export async function workerScaling(o: Options, counts: number[]): Promise<void> {
  const databaseUrl = await emptyDatabase(o.database, 'workers');
  const first = await startIronvol(databaseUrl);
  const seeded = await seed(first.url, o);
  first.child.kill('SIGTERM');
  await new Promise((resolve) => first.child.once('exit', resolve));
  const names = o.scenarios ?? ['show', 'mix-80-20'];
  const results: Result[] = [];
  for (let round = 0; round < o.rounds; round++) {
    for (const workers of roundOrder(counts, round)) {
      SERVER_ENV.WORKERS = String(workers);
      const server = await startIronvol(databaseUrl);
      for (const connections of o.connections) {
        for (const scenario of scenarios(seeded).filter((each) => names.includes(each.name))) {
          await verify(server.url, scenario);
          const result = await measure(server.url, scenario, connections, { ...o, duration: o.duration / o.rounds }, server.child.pid);
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
