import { DynamicModule, Global, Module } from '@nestjs/common';
import type { ServiceConfig } from './config';

export const APP_CONFIG = Symbol('APP_CONFIG');

/** The configuration, for every module. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: APP_CONFIG, useValue: config }],
      exports: [APP_CONFIG],
    };
  }
}
