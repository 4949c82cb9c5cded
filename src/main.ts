import 'reflect-metadata';
import cluster from 'node:cluster';
import { AppConfig, loadConfig } from './app.config';
import { ConfigError } from './config/config';
import { createLogger } from './observability/logger';

/**
 * Reads the configuration, then serves the API in this process or, under
 * WORKERS, becomes the primary of the workers. Each part is loaded only
 * where it runs: the primary does not load the application.
 */
async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`ironvol: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  if (config.workers > 1 && cluster.isPrimary) {
    const { runPrimary } = await import('./workers');
    return runPrimary(config, createLogger(config.logLevel));
  }
  const { serve } = await import('./serve');
  return serve(config);
}

void main().catch((error) => {
  process.stderr.write(`ironvol: failed to start: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
