import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import type { AppConfig } from '../../src/app.config';
import { parseRoleMap } from '../../src/auth/http-basic';
import type { Role } from '../../src/auth/identity';
import type { CallOptions, TestApp } from './test-app';

export interface TestUser {
  roles: Role[];
  project?: string;
}

export const basicHeader = (user: string, password = `${user}-password`) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/**
 * AUTH_STRATEGY=http_basic for a test app: an htpasswd file where each
 * user's password is "<user>-password" (bcrypt cost 4, to keep tests fast),
 * and the role map for the users.
 */
export function httpBasicConfig(users: Record<string, TestUser>): Partial<AppConfig> {
  const dir = mkdtempSync(join(tmpdir(), 'ironvol-auth-'));
  const userFile = join(dir, 'htpasswd');
  writeFileSync(userFile, Object.keys(users).map((u) => `${u}:${bcrypt.hashSync(`${u}-password`, 4)}`).join('\n'));
  return { auth: { strategy: 'http_basic', userFile, roles: parseRoleMap(JSON.stringify(users)) } };
}

/** The app seen by one caller: every call carries its Authorization header. */
export function as(t: TestApp, authorization: string): TestApp {
  return withHeaders(t, { Authorization: authorization });
}

/** The app seen by a caller whose every call carries these headers (e.g. X-Auth-Token). */
export function withHeaders(t: TestApp, headers: Record<string, string>): TestApp {
  return new Proxy(t, {
    get: (target, key) =>
      key === 'call'
        ? (method: string, path: string, options: CallOptions = {}) =>
            target.call(method, path, { ...options, headers: { ...headers, ...options.headers } })
        : target[key as keyof TestApp],
  });
}
