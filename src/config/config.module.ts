import { DynamicModule, Global, Module } from '@nestjs/common';
import type { AppConfig } from './config';
import { createLogger } from '../observability/logger';
import { LOGGER } from '../observability/request-observer.middleware';

export const APP_CONFIG = Symbol('APP_CONFIG');

/** The configuration and the process's logger, for every module. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: LOGGER, useValue: createLogger(config.logLevel) },
      ],
      exports: [APP_CONFIG, LOGGER],
    };
  }
}
