import { createHash } from 'node:crypto';

/** A cached verdict: the caller's identity until the token expires, or "not a valid token". */
type Entry<T> = { valid: true; value: T; expiresAt: number; until: number } | { valid: false; until: number };

/**
 * Keystone's verdicts on tokens, kept for a bounded time and number:
 * least recently used first out. Keyed by a SHA-256 digest of the token, so
 * no token is held in memory longer than its request. A token past its own
 * expiry is refused even while its verdict is cached.
 */
export class TokenCache<T> {
  private readonly entries = new Map<string, Entry<T>>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  static key(token: string): string {
    return createHash('sha256').update(token).digest('base64url');
  }

  /** undefined: not cached (ask Keystone); null: known not to be valid; else the cached value. */
  get(key: string): T | null | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    const now = this.now();
    if (now >= entry.until) {
      this.entries.delete(key);
      return undefined;
    }
    // Refresh its place in the least-recently-used order.
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (!entry.valid || now >= entry.expiresAt) return null;
    return entry.value;
  }

  /** Keeps a valid token's value for the cache time; past the token's own expiry it reads as not valid. */
  setValid(key: string, value: T, expiresAt: number): void {
    this.put(key, { valid: true, value, expiresAt, until: this.now() + this.ttlMs });
  }

  /** Remembers that a token is not valid (Keystone never makes an invalid token valid again). */
  setInvalid(key: string): void {
    this.put(key, { valid: false, until: this.now() + this.ttlMs });
  }

  get size(): number {
    return this.entries.size;
  }

  private put(key: string, entry: Entry<T>): void {
    if (this.ttlMs === 0) return;
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }
}
