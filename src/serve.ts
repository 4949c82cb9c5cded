import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Server } from 'node:http';
import type { Logger } from 'pino';
import { AppModule } from './app.module';
import { setUpApp } from './app.setup';
import type { AppConfig } from './app.config';
import { JsonReplyAdapter } from './common/http/json-reply.adapter';
import { LOGGER, PinoNestLogger } from './observability/logger';
import { reportMetricsToPrimary } from './observability/cluster-metrics';
import { ShutdownState } from './observability/shutdown-state';

/** One ironvol process serving the API: alone, or as a worker of WORKERS. */
export async function serve(config: AppConfig): Promise<void> {
  if (config.workerSlot !== null) reportMetricsToPrimary();
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), new JsonReplyAdapter(), {
    bodyParser: false,
    bufferLogs: true,
  });
  const logger = app.get<Logger>(LOGGER);
  app.useLogger(new PinoNestLogger(logger));
  setUpApp(app, { shutdownHooks: false });
  await app.listen(config.port, config.host);
  logger.info({ host: config.host, port: config.port, database: config.database.kind, pid: process.pid }, 'listening');
  handleSignals(app, config, logger);
}

/**
 * SIGTERM/SIGINT: report not-ready, stop accepting connections, let requests
 * in flight finish (at most SHUTDOWN_GRACE_MS, then their connections are
 * closed), close the database pool and exit 0.
 */
function handleSignals(app: NestExpressApplication, config: AppConfig, logger: Logger): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, grace_ms: config.shutdownGraceMs }, 'shutting down');
    app.get(ShutdownState).draining = true;
    const server = app.getHttpServer() as Server;
    const force = setTimeout(() => {
      logger.warn('grace period over: closing the connections still open');
      server.closeAllConnections();
    }, config.shutdownGraceMs);
    force.unref();
    try {
      await app.close();
      logger.info('stopped');
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}
