/** --sizes: show, the pages and the node filter as the connector table grows. */
import { writeFileSync } from 'node:fs';
import { Options } from './options';
import { measure, Result } from './measure';
import { scenarios, verify } from './scenarios';
import { seedDirect } from './seed-direct';
import { emptyDatabase, startIronvol } from './server';

/** Per-request cost of show, first page and deep page as the connector table grows. */
export async function sizeSweep(o: Options): Promise<void> {
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
