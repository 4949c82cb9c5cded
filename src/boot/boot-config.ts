import { ConfigError, Env, integer } from '../config/env';

/** The boot section, for injection. */
export const BOOT_CONFIG = Symbol('BOOT_CONFIG');

export interface BootConfig {
  /** The boot listener's own port (no authentication: firmware cannot log in); null when off. */
  port: number | null;
  /** Its address: 127.0.0.1 unless set (BOOT_HTTP_HOST). */
  host: string;
  /** How machines reach the listener, written into their scripts (BOOT_HTTP_URL); null when unset. */
  url: string | null;
}

export function loadBootConfig(env: Env): BootConfig {
  const raw = env.BOOT_HTTP_URL?.trim();
  let url: string | null = null;
  if (raw) {
    let parsed: URL;
    try {
      parsed = new URL(raw);
    } catch {
      throw new ConfigError('BOOT_HTTP_URL', `must be an absolute http URL (got "${raw}")`);
    }
    // The URL is written into iPXE scripts: nothing there may expand or split it.
    if (parsed.protocol !== 'http:' || /[\s${}|&;#"'\\]/.test(raw) || parsed.search || parsed.hash) {
      throw new ConfigError('BOOT_HTTP_URL', `must be an http URL without query, blanks or any of $ { } | & ; # quotes (got "${raw}")`);
    }
    url = raw.replace(/\/+$/, '');
  }
  const port = env.BOOT_HTTP_PORT?.trim() ? integer(env, 'BOOT_HTTP_PORT', 0, 0, 65535) : null;
  return { port, host: env.BOOT_HTTP_HOST?.trim() || '127.0.0.1', url };
}
