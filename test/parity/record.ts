/**
 * Records real Ironic's answers to session.json as test/fixtures/ironic/session.json:
 *   npx ts-node test/parity/record.ts http://127.0.0.1:6400
 * against a fresh instance (../shared/reference-ironic/start.sh 6400 /tmp/ironic-fresh).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { replay, Step } from './runner';

async function main(): Promise<void> {
  const base = process.argv[2];
  if (!base) throw new Error('usage: record.ts BASE_URL');
  const steps: Step[] = JSON.parse(readFileSync(join(__dirname, 'session.json'), 'utf8'));
  const exchanges = await replay(steps, base);
  const out = join(__dirname, '..', 'fixtures', 'ironic', 'session.json');
  writeFileSync(out, `${JSON.stringify(exchanges, null, 1)}\n`);
  process.stdout.write(`recorded ${exchanges.length} exchanges to ${out}\n`);
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
