import type { KeystoneConfig } from '../auth-config';

/** What Keystone's GET /v3/auth/tokens says of a token (the parts ironvol reads). */
export interface KeystoneToken {
  expires_at: string;
  user: { id: string; name?: string };
  roles?: { id?: string; name: string }[];
  project?: { id: string; name?: string };
  system?: { all?: boolean };
  domain?: { id: string };
}

/** Keystone could not be asked, or would not answer: the caller gets 503, not 401. */
export class KeystoneUnreachable extends Error {}

type Fetch = typeof fetch;

/** ironvol renews its own token this long before Keystone would expire it. */
const RENEW_BEFORE_MS = 60_000;

/**
 * Talks to Keystone's v3 API as keystonemiddleware does: logs in with the
 * service's own password credentials, keeps that token until shortly before
 * it expires (or Keystone refuses it), and validates callers' tokens with
 * GET /v3/auth/tokens. Concurrent logins share one request.
 */
export class KeystoneClient {
  private serviceToken: { value: string; renewAt: number } | null = null;
  private login: Promise<string> | null = null;

  constructor(
    private readonly config: KeystoneConfig,
    private readonly http: Fetch = fetch,
    private readonly now: () => number = Date.now,
  ) {}

  /** The token's details, or null when Keystone says it is not a valid token (unknown, expired, revoked). */
  async validate(token: string): Promise<KeystoneToken | null> {
    for (let attempt = 1; ; attempt++) {
      const own = await this.ownToken();
      const response = await this.call('GET', '/auth/tokens?nocatalog', {
        'X-Auth-Token': own,
        'X-Subject-Token': token,
      });
      if (response.status === 200) return ((await this.json(response)) as { token: KeystoneToken }).token;
      await response.body?.cancel();
      if (response.status === 404) return null;
      if (response.status === 401 && attempt === 1) {
        // Our own token was revoked or expired early: log in again, once.
        this.forgetOwnToken(own);
        continue;
      }
      if (response.status === 403) {
        throw new KeystoneUnreachable(`Keystone refused to validate tokens for ${this.config.username} (403); it needs the service or admin role`);
      }
      throw new KeystoneUnreachable(`Keystone answered ${response.status} to a token validation`);
    }
  }

  /** Whether Keystone answers at all (for /readyz). */
  async probe(): Promise<void> {
    const response = await this.call('GET', '', {});
    await response.body?.cancel();
    if (response.status >= 500) throw new KeystoneUnreachable(`Keystone answered ${response.status}`);
  }

  private async ownToken(): Promise<string> {
    if (this.serviceToken && this.now() < this.serviceToken.renewAt) return this.serviceToken.value;
    this.login ??= this.logIn().finally(() => (this.login = null));
    return this.login;
  }

  private forgetOwnToken(token: string): void {
    if (this.serviceToken?.value === token) this.serviceToken = null;
  }

  private async logIn(): Promise<string> {
    const { username, password, userDomainName, projectName, projectDomainName } = this.config;
    const body = {
      auth: {
        identity: { methods: ['password'], password: { user: { name: username, domain: { name: userDomainName }, password } } },
        scope: { project: { name: projectName, domain: { name: projectDomainName } } },
      },
    };
    const response = await this.call('POST', '/auth/tokens?nocatalog', { 'Content-Type': 'application/json' }, JSON.stringify(body));
    if (response.status !== 201) {
      await response.body?.cancel();
      throw new KeystoneUnreachable(`Keystone refused ironvol's own credentials (KEYSTONE_USERNAME ${username}): ${response.status}`);
    }
    const value = response.headers.get('x-subject-token');
    const { token } = (await this.json(response)) as { token: { expires_at: string } };
    const expiresAt = Date.parse(token?.expires_at);
    if (!value || Number.isNaN(expiresAt)) throw new KeystoneUnreachable('Keystone answered a login without a token');
    const lifetime = expiresAt - this.now();
    this.serviceToken = { value, renewAt: this.now() + Math.max(0, Math.min(lifetime - RENEW_BEFORE_MS, lifetime / 2)) };
    return value;
  }

  /**
   * One call, tried a second time if the connection failed before an answer
   * (a kept-alive connection the server had closed, as keystoneauth retries
   * too); a timeout is not tried again.
   */
  private async call(method: string, path: string, headers: Record<string, string>, body?: string): Promise<Response> {
    const deadline = AbortSignal.timeout(this.config.timeoutMs);
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.http(`${this.config.authUrl}${path}`, {
          method,
          headers: { Accept: 'application/json', ...headers },
          body,
          redirect: 'error',
          signal: deadline,
        });
      } catch (error) {
        if (attempt === 1 && !deadline.aborted) continue;
        const cause = (error as Error & { cause?: Error }).cause?.message ?? (error as Error).message;
        throw new KeystoneUnreachable(`Keystone at ${this.config.authUrl} cannot be reached: ${cause}`);
      }
    }
  }

  private async json(response: Response): Promise<unknown> {
    try {
      return await response.json();
    } catch (error) {
      throw new KeystoneUnreachable(`Keystone answered something that is not JSON: ${(error as Error).message}`);
    }
  }
}
