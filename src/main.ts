import 'reflect-metadata';
import { Logger, LogLevel as NestLogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { setUpApp } from './app.setup';
import { ConfigError, loadConfig, LogLevel } from './config/config';

const NEST_LEVELS: Record<LogLevel, NestLogLevel[]> = {
  silent: [],
  fatal: ['fatal'],
  error: ['fatal', 'error'],
  warn: ['fatal', 'error', 'warn'],
  info: ['fatal', 'error', 'warn', 'log'],
  debug: ['fatal', 'error', 'warn', 'log', 'debug'],
  trace: ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'],
};

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`ironvol: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bodyParser: false,
    logger: NEST_LEVELS[config.logLevel],
  });
  setUpApp(app);
  await app.listen(config.port, config.host);
  new Logger('ironvol').log(`listening on http://${config.host}:${config.port} (database: ${config.database.kind})`);
}

void main().catch((error) => {
  process.stderr.write(`ironvol: failed to start: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
