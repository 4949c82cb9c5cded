import type { Identity } from '../common/http/identity';
import { allows } from './policy';

export const MASK = '******';

/** What a caller without baremetal:volume:view_target_properties gets instead of a target's properties, as in Ironic. */
export const REDACTED_PROPERTIES = {
  redacted_contents:
    '** Value redacted: Requires permission baremetal:volume:view_target_properties access. Permission denied. **',
};

/** oslo.utils' _SANITIZE_KEYS (the version Ironic 21.4 runs with): a key containing one, in any case, is secret. */
const SECRET_KEYS = [
  'adminpass', 'admin_pass', 'password', 'admin_password', 'auth_token', 'new_pass', 'auth_password', 'secret_uuid',
  'secret', 'sys_pswd', 'token', 'configdrive', 'chappassword', 'encrypted_key', 'private_key', 'fernetkey', 'sslkey',
  'passphrase', 'cephclusterfsid', 'octaviaheartbeatkey', 'rabbitcookie', 'cephmanilaclientkey',
  'pacemakerremoteauthkey', 'designaterndckey', 'cephadminkey', 'heatauthencryptionkey', 'cephclientkey',
  'keystonecredential', 'barbicansimplecryptokek', 'cephrgwkey', 'swifthashsuffix', 'migrationsshkey', 'cephmdskey',
  'cephmonkey',
];

const escape = (key: string) => key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** oslo.utils' mask_password patterns, per key: [patterns with two groups, with one group, wildcard]. */
const PATTERNS = new Map(
  SECRET_KEYS.map((raw) => {
    const key = escape(raw);
    const re = (source: string) => new RegExp(source, 'gis');
    return [
      raw,
      {
        two: [
          `(${key}[0-9]*\\s*[=]\\s*["'])[^"']*(["'])`,
          `(${key}[0-9]*\\s*[=]\\s*["])[^"]*(["])`,
          `(${key}[0-9]*\\s*[=]\\s*['])[^']*(['])`,
          `(${key}[0-9]*\\s+["'])[^"']*(["'])`,
          `([-]{2}${key}[0-9]*\\s+)[^'^"^=^\\s]+([\\s]*)`,
          `(<${key}[0-9]*>)[^<]*(</${key}[0-9]*>)`,
          `(["']${key}[0-9]*["']\\s*:\\s*["'])[^"']*(["'])`,
          `(['"][^"']*${key}[0-9]*['"]\\s*:\\s*u?['"])[^"']*(['"])`,
          `(['"][^'"]*${key}[0-9]*['"]\\s*,\\s*'--?[A-z]+'\\s*,\\s*u?['"])[^"']*(['"])`,
          `(${key}[0-9]*\\s*--?[A-z]+\\s*)\\S+(\\s*)`,
        ].map(re),
        one: [`(${key}[0-9]*\\s*[=]\\s*)[^\\s^'^"]+`].map(re),
        wildcard: [`(['"][^"']*${key}[0-9]*['"]\\s*:\\s*u?['"].*['"])[^"']*(['"])`].map(re),
      },
    ];
  }),
);

/** oslo.utils' mask_password: secret assignments inside a string ("password=abc" → "password=******"). */
export function maskPassword(message: string, secret = MASK): string {
  let out = message;
  for (const key of SECRET_KEYS) {
    if (!out.toLowerCase().includes(key)) continue;
    const p = PATTERNS.get(key)!;
    for (const re of p.two) out = out.replace(re, (_m, a: string, b: string) => `${a}${secret}${b}`);
    for (const re of p.one) out = out.replace(re, (_m, a: string) => `${a}${secret}`);
    for (const re of p.wildcard) out = out.replace(re, (_m, a: string) => a);
  }
  return out;
}

export function isSecretKey(key: string): boolean {
  const lower = key.toLowerCase();
  return SECRET_KEYS.some((fragment) => lower.includes(fragment));
}

export function canViewSecrets(caller: Identity): boolean {
  return allows(caller, 'baremetal:volume:view_target_properties');
}

/**
 * oslo.utils' mask_dict_password, which Ironic applies to target
 * properties and node driver_info for every caller: nested objects are
 * masked in turn; a value under a secret-looking key becomes the mask;
 * other strings are masked with maskPassword; lists are left as they are.
 * A copy; the input is not changed.
 */
export function maskSecrets(value: unknown, secret = MASK): unknown {
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (isObject(inner)) out[key] = maskSecrets(inner, secret);
    else if (isSecretKey(key)) out[key] = secret;
    else out[key] = typeof inner === 'string' ? maskPassword(inner, secret) : inner;
  }
  return out;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);
