import type { DataSource } from 'typeorm';

const LOCK_NAME = 'ironvol_migrations';
const LOCK_KEY = 716_385_001; // any constant shared by every replica

/**
 * Applies pending migrations while holding a database-wide lock, so that
 * replicas starting together (or a migration Job racing a rolling update)
 * apply each migration exactly once.
 */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const kind = dataSource.options.type;
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    if (kind === 'postgres') await runner.query(`SELECT pg_advisory_lock(${LOCK_KEY})`);
    if (kind === 'mysql') await runner.query(`SELECT GET_LOCK('${LOCK_NAME}', 300)`);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    if (kind === 'postgres') await runner.query(`SELECT pg_advisory_unlock(${LOCK_KEY})`).catch(() => undefined);
    if (kind === 'mysql') await runner.query(`SELECT RELEASE_LOCK('${LOCK_NAME}')`).catch(() => undefined);
    if (kind !== 'better-sqlite3') await runner.release();
  }
}
