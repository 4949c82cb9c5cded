import { DynamicModule, Global, Module } from '@nestjs/common';
import type { LogLevel } from '../config/config';
import { createLogger, LOGGER } from './logger';

/** The process's logger, for every module. */
@Global()
@Module({})
export class ObservabilityModule {
  /** `worker`: the slot of this process under WORKERS, written on every line; null when it runs alone. */
  static forRoot(logLevel: LogLevel, worker: number | null = null): DynamicModule {
    return {
      module: ObservabilityModule,
      providers: [{ provide: LOGGER, useValue: createLogger(logLevel, undefined, worker) }],
      exports: [LOGGER],
    };
  }
}
