import 'reflect-metadata';
import dataSource from '../../ormconfig';
import { runMigrations } from '../config/migrate';

/** `npm run migration:run`: applies pending migrations once, for a release Job or init container. */
async function main(): Promise<void> {
  await dataSource.initialize();
  try {
    const applied = await runMigrations(dataSource);
    process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'no pending migrations\n');
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error) => {
  process.stderr.write(`ironvol: migration failed: ${(error as Error).message}\n`);
  process.exit(1);
});
