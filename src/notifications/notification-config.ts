import { hostname } from 'node:os';
import { ConfigError, Env, integer, secret } from '../config/env';

/** oslo.messaging's notification priorities, lowest first (Ironic's notification_level values). */
export const LEVELS = ['debug', 'info', 'warning', 'error', 'critical'] as const;
export type Level = (typeof LEVELS)[number];

/** The notification section (null when off), for injection. */
export const NOTIFICATION_CONFIG = Symbol('NOTIFICATION_CONFIG');

export interface NotificationConfig {
  /** The lowest priority sent (Ironic's notification_level); null: notifications are off. */
  level: Level;
  /** amqp:// URL of the broker, from NOTIFICATION_TRANSPORT_URL's rabbit:// URL. */
  brokerUrl: string;
  /** The broker's address without credentials, for logs. */
  brokerName: string;
  /** oslo.messaging's control exchange, Ironic's: "ironic". */
  exchange: string;
  topics: string[];
  /** The host in publisher_id (ironic-api.<host>). */
  host: string;
  /** How often the relay looks for rows to send. */
  relayIntervalMs: number;
}

/**
 * oslo.messaging's transport URL, rabbit://user:pass@host:port/vhost (or a
 * list of hosts, user:pass@host1:port1,host2:port2), as amqplib's amqp://
 * URL to the first host, and a name for logs without the credentials.
 */
export function brokerUrl(transportUrl: string): { url: string; name: string } {
  const match = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)(?:\/([^?#]*))?/i.exec(transportUrl);
  if (!match) throw new ConfigError('NOTIFICATION_TRANSPORT_URL', 'must be a rabbit:// URL (rabbit://user:password@host:5672/vhost)');
  const [, scheme, hosts, path = ''] = match;
  if (scheme.toLowerCase() !== 'rabbit' && scheme.toLowerCase() !== 'amqp') {
    throw new ConfigError('NOTIFICATION_TRANSPORT_URL', `must be a rabbit:// URL (got a ${scheme}:// URL)`);
  }
  const first = hosts.split(',')[0];
  const at = first.lastIndexOf('@');
  const auth = at >= 0 ? `${first.slice(0, at)}@` : '';
  const host = at >= 0 ? first.slice(at + 1) : first;
  if (!host) throw new ConfigError('NOTIFICATION_TRANSPORT_URL', 'must name a host (rabbit://user:password@host:5672/vhost)');
  const vhost = decodeURIComponent(path) || '/';
  return { url: `amqp://${auth}${host}/${encodeURIComponent(vhost)}`, name: `${host}/${vhost}` };
}

export function loadNotificationConfig(env: Env): NotificationConfig | null {
  const level = env.NOTIFICATION_LEVEL?.trim().toLowerCase();
  if (!level) return null;
  if (!(LEVELS as readonly string[]).includes(level)) {
    throw new ConfigError('NOTIFICATION_LEVEL', `must be one of ${LEVELS.join(', ')} (got "${env.NOTIFICATION_LEVEL}")`);
  }
  const transport = secret(env, 'NOTIFICATION_TRANSPORT_URL')?.trim();
  if (!transport) throw new ConfigError('NOTIFICATION_TRANSPORT_URL', 'or NOTIFICATION_TRANSPORT_URL_FILE must be set when NOTIFICATION_LEVEL is');
  const broker = brokerUrl(transport);
  const topics = (env.NOTIFICATION_TOPICS?.trim() || 'ironic_versioned_notifications').split(',').map((t) => t.trim()).filter(Boolean);
  if (!topics.length || topics.some((t) => !/^[\w.-]+$/.test(t))) {
    throw new ConfigError('NOTIFICATION_TOPICS', `must be a comma-separated list of topic names (got "${env.NOTIFICATION_TOPICS}")`);
  }
  return {
    level: level as Level,
    brokerUrl: broker.url,
    brokerName: broker.name,
    exchange: 'ironic',
    topics,
    host: env.NOTIFICATION_HOST?.trim() || hostname(),
    relayIntervalMs: integer(env, 'NOTIFICATION_RELAY_INTERVAL_MS', 200, 10, 60000),
  };
}
