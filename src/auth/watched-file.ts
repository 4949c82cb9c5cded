import { readFileSync, statSync } from 'node:fs';

const CHECK_INTERVAL_MS = 1000;

/**
 * A file parsed at start and again whenever it changes (a mounted
 * Kubernetes Secret that is rotated), checked at most once a second. A
 * changed file that cannot be read or parsed leaves the last good content
 * in force and is reported through onError; only the first read must succeed.
 */
export class WatchedFile<T> {
  private value: T;
  private mtimeMs: number;
  private checkedAt = Date.now();

  constructor(
    private readonly path: string,
    private readonly parse: (text: string) => T,
    private readonly onError: (error: Error) => void = () => undefined,
    /** Called after every successful reload, e.g. to drop caches. */
    private readonly onReload: () => void = () => undefined,
  ) {
    this.mtimeMs = statSync(path).mtimeMs;
    this.value = parse(readFileSync(path, 'utf8'));
  }

  current(): T {
    const now = Date.now();
    if (now - this.checkedAt >= CHECK_INTERVAL_MS) {
      this.checkedAt = now;
      try {
        const mtimeMs = statSync(this.path).mtimeMs;
        if (mtimeMs !== this.mtimeMs) {
          this.value = this.parse(readFileSync(this.path, 'utf8'));
          this.mtimeMs = mtimeMs;
          this.onReload();
        }
      } catch (error) {
        this.onError(error as Error);
      }
    }
    return this.value;
  }
}
