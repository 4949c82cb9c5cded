/** Starting ironvol from dist/ as `npm start` does, its database, and waiting for a server to go idle. */
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './options';
import { cpuSeconds } from './proc';
import { dropTables } from './seed-direct';

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The Node flags `npm start` runs the service with (package.json), so the benchmark measures the same. */
function startFlags(): string[] {
  const start: string = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts.start;
  return start.split(/\s+/).filter((arg) => arg.startsWith('--'));
}

/** Extra environment of the ironvol the benchmark starts (--notify). */
export const SERVER_ENV: Record<string, string> = {};

/** Starts ironvol from dist/ on a free port with the given database, as `npm start` does. */
export async function startIronvol(databaseUrl: string, nodeFlags: string[] = []): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, [...startFlags(), ...nodeFlags, join(ROOT, 'dist', 'src', 'main.js')], {
    // Both hardware types, so that --ipmi can seed ipmi nodes.
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: databaseUrl, LOG_LEVEL: 'error', ENABLED_HARDWARE_TYPES: 'fake-hardware,ipmi', ...SERVER_ENV },
    stdio: 'inherit',
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${url}/readyz`)).status === 200) return { url, child };
    } catch {
      // starting
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error('ironvol did not become ready');
}

/** The database URL to start ironvol on, emptied: the given server database, or a new SQLite file. */
export async function emptyDatabase(database: string | undefined, name: string): Promise<string> {
  if (!database || database.startsWith('sqlite:')) {
    return database ?? `sqlite:${join(mkdtempSync(join(tmpdir(), `ironvol-${name}-`)), `${name}.sqlite`)}`;
  }
  await dropTables(database);
  return database;
}

/**
 * Waits (at most 120 s) until a server is idle: three version-root requests
 * in a row answer within 50 ms and, where its pid is known, its processes
 * use less than a tenth of a core over half a second. A server can answer
 * quickly while it still works through requests whose clients have gone
 * (Ironic's workers go on with them), and that work would take the cores
 * from the next measurement.
 */
export async function settle(base: string, pid?: number): Promise<void> {
  const deadline = Date.now() + 120000;
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
  let quick = 0;
  while (quick < 3 && Date.now() < deadline) {
    const started = Date.now();
    await fetch(`${base}/`).catch(() => undefined);
    quick = Date.now() - started < 50 ? quick + 1 : 0;
    if (quick < 3) await pause(200);
  }
  while (pid && Date.now() < deadline) {
    const before = cpuSeconds(pid);
    await pause(500);
    if (cpuSeconds(pid) - before < 0.05) return;
  }
}
