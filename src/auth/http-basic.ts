import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import bcrypt from 'bcryptjs';
import { invalid, Unauthorized } from '../common/errors/ironic-errors';
import type { Identity } from '../common/http/identity';
import { isRole, Role, ROLES } from './identity';
import { WatchedFile } from './watched-file';
import { credentialsOf } from './authorization-header';

export const BASIC_CHALLENGE = 'Basic realm="Baremetal API"';

export type RoleMap = ReadonlyMap<string, { roles: Role[]; project: string | null }>;

/** Only bcrypt digests, as Ironic accepts ($2y$ from htpasswd -B, $2a$, $2b$). */
const BCRYPT = /^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/;

/** user → bcrypt hash from an Apache htpasswd file; any other digest is an error, as in Ironic. */
export function parseHtpasswd(text: string): Map<string, string> {
  const users = new Map<string, string>();
  text.split(/\r?\n/).forEach((line, index) => {
    const entry = line.trim();
    if (!entry || entry.startsWith('#')) return;
    const colon = entry.indexOf(':');
    if (colon <= 0) throw new Error(`line ${index + 1} is not "user:bcrypt-hash"`);
    const user = entry.slice(0, colon);
    if (!BCRYPT.test(entry.slice(colon + 1))) {
      throw new Error(`line ${index + 1}: only bcrypt digested passwords are supported (htpasswd -B) for ${user}`);
    }
    users.set(user, entry.slice(colon + 1));
  });
  return users;
}

/** {"user": {"roles": ["member"], "project": "p1"}, ...}; a user without "project" is system-scoped. */
export function parseRoleMap(text: string): RoleMap {
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error('expected a JSON object of user names');
  }
  const map = new Map<string, { roles: Role[]; project: string | null }>();
  for (const [user, entry] of Object.entries(parsed as Record<string, unknown>)) {
    const { roles, project } = (entry ?? {}) as { roles?: unknown; project?: unknown };
    if (!Array.isArray(roles) || !roles.every(isRole)) {
      throw new Error(`"${user}".roles must be a list of ${ROLES.join(', ')}`);
    }
    if (project !== undefined && project !== null && (typeof project !== 'string' || !project)) {
      throw new Error(`"${user}".project must be a project id or null`);
    }
    map.set(user, { roles, project: (project as string | null | undefined) ?? null });
  }
  return map;
}

const CACHE_SIZE = 1024;

/**
 * HTTP Basic authentication against an htpasswd file, as Ironic's
 * auth_strategy=http_basic does: same realm, same messages. The file is read
 * again when it changes. bcrypt is slow on purpose, so verdicts are cached
 * by a digest of user, password and hash (never the password itself).
 */
export class HttpBasicAuthenticator {
  private readonly users: WatchedFile<Map<string, string>>;
  private readonly verdicts = new Map<string, boolean>();

  constructor(
    userFile: string,
    private readonly roles: RoleMap | null,
    onReloadError: (error: Error) => void = () => undefined,
  ) {
    this.users = new WatchedFile(userFile, parseHtpasswd, onReloadError, () => this.verdicts.clear());
  }

  async authenticate(headers: IncomingHttpHeaders): Promise<Identity> {
    const header = headers.authorization;
    if (header === undefined) throw Unauthorized('Authorization required', BASIC_CHALLENGE);
    const [user, password] = decodeToken(credentialsOf(header, 'basic'));
    const hash = this.users.current().get(user);
    if (!hash || !(await this.matches(user, password, hash))) {
      throw Unauthorized('Incorrect username or password', BASIC_CHALLENGE);
    }
    if (!this.roles) return { user, roles: ['admin'], project: null };
    const mapped = this.roles.get(user);
    // A role map names projects by one string, both id and name.
    return { user, roles: mapped?.roles ?? [], project: mapped?.project ?? null, projectName: mapped?.project ?? null };
  }

  private async matches(user: string, password: string, hash: string): Promise<boolean> {
    const key = createHash('sha256').update(user).update('\0').update(password).update('\0').update(hash).digest('base64');
    const known = this.verdicts.get(key);
    if (known !== undefined) return known;
    const verdict = await bcrypt.compare(password, hash);
    if (this.verdicts.size >= CACHE_SIZE) this.verdicts.delete(this.verdicts.keys().next().value!);
    this.verdicts.set(key, verdict);
    return verdict;
  }
}
function decodeToken(token: string): [string, string] {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(token) || token.length % 4 !== 0) {
    throw invalid('Could not decode authorization token');
  }
  const decoded = Buffer.from(token, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw invalid('Could not decode authorization token');
  return [decoded.slice(0, colon), decoded.slice(colon + 1)];
}
