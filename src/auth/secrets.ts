import type { Identity } from './identity';
import { allows } from './policy';

export const MASK = '******';

/**
 * Key fragments that mark a value as secret, as oslo.utils' mask_dict_password
 * (which Ironic uses) knows them; a key matches when it contains one, in any case.
 */
const SECRET_KEY_FRAGMENTS = [
  'adminpass', 'admin_pass', 'password', 'admin_password', 'auth_token', 'new_pass', 'auth_password',
  'secret_uuid', 'secret', 'sys_pswd', 'token', 'configdrive', 'chappassword', 'encrypted_key', 'private_key',
  'fernetkey', 'sslkey', 'passphrase', 'cephxkey', 'pskey', 'keyring', 'vip_pass',
];

export function isSecretKey(key: string): boolean {
  const lower = key.toLowerCase();
  return SECRET_KEY_FRAGMENTS.some((fragment) => lower.includes(fragment));
}

export function canViewSecrets(caller: Identity): boolean {
  return allows(caller, 'baremetal:volume:view_target_properties');
}

/** A copy with the value of every secret-looking key, at any depth, replaced by the mask. */
export function maskSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [key, isSecretKey(key) ? MASK : maskSecrets(inner)]),
  );
}
