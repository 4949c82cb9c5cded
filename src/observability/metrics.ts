import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The service's Prometheus metrics, served at /metrics. */
export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'ironvol_' });

export const httpRequests = new Counter({
  name: 'ironvol_http_requests_total',
  help: 'HTTP requests answered, by method, route template and status.',
  labelNames: ['method', 'route', 'status'] as const,
  registers: [registry],
});

export const httpDuration = new Histogram({
  name: 'ironvol_http_request_duration_seconds',
  help: 'Time to answer an HTTP request, by method, route template and status.',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
});

export const powerActions = new Counter({
  name: 'ironvol_power_actions_total',
  help: 'Power actions requested, by target and result.',
  labelNames: ['target', 'result'] as const,
  registers: [registry],
});

export const poweredOffRefusals = new Counter({
  name: 'ironvol_powered_off_refusals_total',
  help: 'Volume changes refused because a node was not powered off, by action.',
  labelNames: ['action'] as const,
  registers: [registry],
});

/** Connection pool figures, read when Prometheus scrapes. */
export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}

let poolStats: () => PoolStats | null = () => null;

export function watchPool(read: () => PoolStats | null): void {
  poolStats = read;
}

for (const [field, help] of [
  ['total', 'Open database connections.'],
  ['idle', 'Idle database connections.'],
  ['waiting', 'Requests waiting for a database connection.'],
] as const) {
  new Gauge({
    name: `ironvol_db_pool_${field}_connections`,
    help,
    registers: [registry],
    collect() {
      const stats = poolStats();
      if (stats) this.set(stats[field]);
    },
  });
}

export const keystoneValidations = new Counter({
  name: 'ironvol_keystone_token_validations_total',
  help: 'Token validations asked of Keystone, by outcome (valid, invalid, unavailable).',
  labelNames: ['outcome'] as const,
  registers: [registry],
});

export const keystoneCacheLookups = new Counter({
  name: 'ironvol_keystone_token_cache_lookups_total',
  help: 'Looks into the cache of validated tokens, by result (hit, miss); the hit rate is hit / (hit + miss).',
  labelNames: ['result'] as const,
  registers: [registry],
});

export const bmcCalls = new Counter({
  name: 'ironvol_bmc_calls_total',
  help: 'Calls to node BMCs, by driver, action and outcome (ok, failed).',
  labelNames: ['driver', 'action', 'outcome'] as const,
  registers: [registry],
});

export const bmcCallSeconds = new Histogram({
  name: 'ironvol_bmc_call_duration_seconds',
  help: 'Time a BMC call took, by driver, action and outcome.',
  labelNames: ['driver', 'action', 'outcome'] as const,
  buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [registry],
});

export const powerSyncLag = new Gauge({
  name: 'ironvol_power_sync_lag_seconds',
  help: 'Seconds since the power-state sync last finished a pass over the nodes (grows while a pass is stuck).',
  registers: [registry],
});

export const powerSyncCorrections = new Counter({
  name: 'ironvol_power_sync_corrections_total',
  help: 'Nodes whose machine differed from the record at a sync, by what was done (forced: the machine put back; recorded: the record changed).',
  labelNames: ['action'] as const,
  registers: [registry],
});

export const reservationsHeld = new Gauge({
  name: 'ironvol_node_reservations_held',
  help: 'Node reservations this process holds now (power actions and syncs in flight).',
  registers: [registry],
});

export const outboxRows = new Gauge({
  name: 'ironvol_notification_outbox_rows',
  help: 'Notifications waiting in the outbox (grows while the broker is down; looked at every few seconds by the sender).',
  registers: [registry],
});

export const notificationsSent = new Counter({
  name: 'ironvol_notifications_sent_total',
  help: 'Notifications the broker has confirmed, by routing key.',
  labelNames: ['routing_key'] as const,
  registers: [registry],
});

export const relayConnected = new Gauge({
  name: 'ironvol_notification_broker_connected',
  help: '1 while the notification sender holds a connection to the broker.',
  registers: [registry],
});

export const bootScripts = new Counter({
  name: 'ironvol_boot_scripts_total',
  help: 'Boot listener answers, by script (root, node, report) and outcome (served, refused, unknown).',
  labelNames: ['script', 'outcome'] as const,
  registers: [registry],
});

export const bootAttachFailures = new Counter({
  name: 'ironvol_boot_attach_failures_total',
  help: 'Machines that reported they could not attach a boot volume (each report, before iPXE retries).',
  registers: [registry],
});
