import { DynamicModule, Global, Module } from '@nestjs/common';
import type { LogLevel } from '../config/config';
import { createLogger, LOGGER } from './logger';

/** The process's logger, for every module. */
@Global()
@Module({})
export class ObservabilityModule {
  static forRoot(logLevel: LogLevel): DynamicModule {
    return {
      module: ObservabilityModule,
      providers: [{ provide: LOGGER, useValue: createLogger(logLevel) }],
      exports: [LOGGER],
    };
  }
}
