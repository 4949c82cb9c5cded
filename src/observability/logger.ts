import { LoggerService } from '@nestjs/common';
import pino, { Logger } from 'pino';
import type { LogLevel } from '../config/config';

/** The process's pino logger, for injection. */
export const LOGGER = Symbol('LOGGER');

/**
 * One JSON object per line on stdout. Request and response bodies and
 * headers are never logged, so credentials and secrets cannot reach the log.
 */
export function createLogger(level: LogLevel, destination?: pino.DestinationStream, worker: number | null = null): Logger {
  return pino(
    {
      level,
      base: worker === null ? { service: 'ironvol' } : { service: 'ironvol', worker },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: ['*.password', '*.authorization', '*.DATABASE_URL', '*.databaseUrl'], censor: '******' },
    },
    destination,
  );
}

/** Nest's own messages (start-up, errors) in the same JSON log. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string) {
    this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string) {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string) {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string) {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string) {
    this.logger.trace({ context }, String(message));
  }
  fatal(message: unknown, context?: string) {
    this.logger.fatal({ context }, String(message));
  }
}
