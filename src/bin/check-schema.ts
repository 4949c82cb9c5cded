import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDatabaseConfig } from '../config/config';
import { secret } from '../config/env';
import { serviceDataSourceOptions } from '../database';
import { schemaDriftFromEmpty } from '../config/schema-drift';

/**
 * `npm run check:schema`: runs every migration on the empty database at
 * DATABASE_URL (a temporary SQLite file when it is unset, not the service's
 * default file), then fails if the entities describe a schema the migrations
 * did not build, printing the statements a new migration would need.
 */
async function main(): Promise<number> {
  const scratch = secret(process.env, 'DATABASE_URL')?.trim() ? null : mkdtempSync(join(tmpdir(), 'ironvol-schema-'));
  const env = scratch ? { ...process.env, DATABASE_URL: `sqlite:${join(scratch, 'check.sqlite')}` } : process.env;
  const database = loadDatabaseConfig(env);
  try {
    const pending = await schemaDriftFromEmpty(serviceDataSourceOptions(database));
    if (!pending.length) {
      process.stdout.write(`${database.kind}: the migrations build the schema the entities describe\n`);
      return 0;
    }
    process.stderr.write(`${database.kind}: the entities differ from the migrated schema; a migration would need:\n`);
    for (const query of pending) process.stderr.write(`  ${query};\n`);
    return 1;
  } finally {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`ironvol: schema check failed: ${(error as Error).message}\n`);
    process.exit(1);
  },
);
