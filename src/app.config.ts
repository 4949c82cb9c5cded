import { DynamicModule, Global, Module } from '@nestjs/common';
import { AUTH_CONFIG, AuthConfig, loadAuthConfig, loadRateLimit, RATE_LIMIT_CONFIG, RateLimitConfig } from './auth/auth-config';
import { BOOT_CONFIG, BootConfig, loadBootConfig } from './boot/boot-config';
import { Env, loadServiceConfig, ServiceConfig } from './config/config';
import { loadPowerConfig, POWER_CONFIG, PowerConfig } from './node/power/power-config';
import { loadNotificationConfig, NOTIFICATION_CONFIG, NotificationConfig } from './notifications/notification-config';

/** The whole configuration: the service's own settings and each feature's section. */
export interface AppConfig extends ServiceConfig {
  auth: AuthConfig;
  /** Per-client request budget; null when rate limiting is off. */
  rateLimit: RateLimitConfig | null;
  /** The ipmi driver, power-state sync and the live check. */
  power: PowerConfig;
  /** Versioned notifications on RabbitMQ; null when NOTIFICATION_LEVEL is unset. */
  notifications: NotificationConfig | null;
  /** The boot listener machines fetch their iPXE scripts from. */
  boot: BootConfig;
}

/** Reads and checks every variable; the first bad one stops the service with a message naming it (ConfigError). */
export function loadConfig(env: Env = process.env): AppConfig {
  const service = loadServiceConfig(env);
  return {
    ...service,
    auth: loadAuthConfig(env, service.host),
    rateLimit: loadRateLimit(env),
    power: loadPowerConfig(env),
    notifications: loadNotificationConfig(env),
    boot: loadBootConfig(env),
  };
}

/** Each feature's section under the feature's own token, for every module. */
@Global()
@Module({})
export class FeatureConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    const providers = [
      { provide: AUTH_CONFIG, useValue: config.auth },
      { provide: RATE_LIMIT_CONFIG, useValue: config.rateLimit },
      { provide: POWER_CONFIG, useValue: config.power },
      { provide: NOTIFICATION_CONFIG, useValue: config.notifications },
      { provide: BOOT_CONFIG, useValue: config.boot },
    ];
    return { module: FeatureConfigModule, providers, exports: providers.map((p) => p.provide) };
  }
}
