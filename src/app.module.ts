import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig, FeatureConfigModule } from './app.config';
import { ConfigModule } from './config/config.module';
import { ObservabilityModule } from './observability/observability.module';
import { serviceDataSourceOptions } from './database';
import { runMigrations } from './config/migrate';
import { DbModule } from './common/db/db.module';
import { IronicExceptionFilter } from './common/errors/ironic-exception.filter';
import { ApiHeadersMiddleware } from './common/http/api-headers.middleware';
import { JsonBodyMiddleware } from './common/http/json-body.middleware';
import { MinVersionGuard } from './common/microversion/min-version.decorator';
import { HealthController } from './health/health.controller';
import { VolumeModule } from './volume/volume.module';
import { BootModule } from './boot/boot.module';
import { RootController } from './root/root.controller';
import { RequestObserverMiddleware } from './observability/request-observer.middleware';
import { NotificationsModule } from './notifications/notifications.module';
import { MetricsController } from './observability/metrics.controller';
import { ShutdownState } from './observability/shutdown-state';
import { AuthenticationMiddleware } from './auth/authentication.middleware';
import { NodePathMiddleware } from './node/node-path.middleware';
import { RateLimitMiddleware } from './auth/rate-limit.middleware';
import { PolicyGuard } from './auth/policy.guard';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        FeatureConfigModule.forRoot(config),
        ObservabilityModule.forRoot(config.logLevel, config.workerSlot),
        TypeOrmModule.forRootAsync({
          useFactory: () => serviceDataSourceOptions(config.database),
          dataSourceFactory: async (options) => {
            const dataSource = await new DataSource(options!).initialize();
            if (config.migrationsRun) await runMigrations(dataSource);
            return dataSource;
          },
        }),
        DbModule,
        NotificationsModule,
        // Nest registers routes module by module, in the order it meets the modules going depth first
        // through the imports from here, and Express tries them in that order. The volume API, this
        // service's busiest, comes first: VolumeModule's own routes, the connectors', then the nodes'
        // (ConnectorModule imports NodeModule), then the targets'. No two modules have a route for the same path.
        VolumeModule,
        BootModule,
      ],
      controllers: [RootController, HealthController, MetricsController],
      providers: [
        ShutdownState,
        IronicExceptionFilter,
        { provide: APP_FILTER, useExisting: IronicExceptionFilter },
        ApiHeadersMiddleware,
        RequestObserverMiddleware,
        JsonBodyMiddleware,
        RateLimitMiddleware,
        AuthenticationMiddleware,
        NodePathMiddleware,
        { provide: APP_GUARD, useClass: MinVersionGuard },
        { provide: APP_GUARD, useClass: PolicyGuard },
      ],
      exports: [ShutdownState],
    };
  }
}
