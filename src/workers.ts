import cluster, { Worker } from 'node:cluster';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import type { AppConfig } from './app.config';
import { runMigrations } from './config/migrate';
import { serviceDataSourceOptions } from './database';
import { serveClusterMetrics } from './observability/cluster-metrics';

/** A worker that stops sooner than this after it started is replaced after a pause, not at once. */
const EARLY_EXIT_MS = 5000;
const RESTART_PAUSE_MS = 1000;

/**
 * WORKERS=N (N > 1): this process becomes the primary. It applies the
 * migrations once, then starts N workers, each a whole ironvol on the same
 * ports (Node's cluster module hands them the connections in turn) and the
 * same database, as replicas share one. A worker that dies is replaced in
 * its slot, so that its successor frees the nodes it held (each slot
 * reserves nodes under its own name). SIGTERM or SIGINT is passed to every
 * worker, each drains as a single process does, and the primary exits once
 * all have. The primary serves no request; it sums the workers' metrics for /metrics.
 */
export async function runPrimary(config: AppConfig, logger: Logger): Promise<void> {
  if (config.migrationsRun) {
    const dataSource = await new DataSource(serviceDataSourceOptions(config.database)).initialize();
    try {
      await runMigrations(dataSource);
    } finally {
      await dataSource.destroy();
    }
  }
  serveClusterMetrics();
  const slots = new Map<Worker, { slot: number; startedAt: number }>();
  let stopping = false;
  const fork = (slot: number) => {
    const worker = cluster.fork({ WORKER_SLOT: String(slot), MIGRATIONS_RUN: 'false' });
    slots.set(worker, { slot, startedAt: Date.now() });
  };
  cluster.on('exit', (worker, code, signal) => {
    const { slot, startedAt } = slots.get(worker)!;
    slots.delete(worker);
    if (stopping) {
      if (slots.size === 0) process.exit(0);
      return;
    }
    logger.error({ worker: slot, code, signal }, 'a worker stopped; starting another in its place');
    setTimeout(() => fork(slot), Date.now() - startedAt < EARLY_EXIT_MS ? RESTART_PAUSE_MS : 0);
  });
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, workers: slots.size }, 'shutting down the workers');
    for (const worker of slots.keys()) worker.process.kill('SIGTERM');
    if (slots.size === 0) process.exit(0);
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  for (let slot = 0; slot < config.workers; slot++) fork(slot);
  logger.info({ workers: config.workers, host: config.host, port: config.port }, 'started the workers');
}
