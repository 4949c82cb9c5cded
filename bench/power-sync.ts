/**
 * npm run bench:sync -- [--nodes 100] [--bmcs 100] [--concurrency 8] [--passes 3]
 *
 * How long a power-state sync pass takes: starts --bmcs of pyghmi's fakebmc
 * on loopback, an ironvol on a temporary SQLite file with a 5 s sync
 * interval, enrolls --nodes `ipmi` nodes on those BMCs (round robin) and
 * moves them to manageable, then reads the duration of --passes sync passes
 * from the service's log. Needs /usr/bin/fakebmc and ipmitool.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function freePort(kind: 'udp' | 'tcp'): Promise<number> {
  if (kind === 'udp') {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    const { port } = socket.address();
    await new Promise<void>((resolve) => socket.close(resolve));
    return port;
  }
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function main(): Promise<void> {
  const nodes = arg('nodes', 100);
  const bmcCount = arg('bmcs', nodes);
  const passes = arg('passes', 3);
  const children: ChildProcess[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < bmcCount; i++) {
      const port = await freePort('udp');
      children.push(spawn('/usr/bin/fakebmc', ['--port', String(port)], { stdio: 'ignore' }));
      ports.push(port);
    }
    const apiPort = await freePort('tcp');
    const dir = mkdtempSync(join(tmpdir(), 'ironvol-bench-sync-'));
    let log = '';
    const service = spawn(process.execPath, [join(ROOT, 'dist', 'src', 'main.js')], {
      env: {
        ...process.env, PORT: String(apiPort), HOST: '127.0.0.1', DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, LOG_LEVEL: 'info',
        ENABLED_HARDWARE_TYPES: 'ipmi', POWER_SYNC_INTERVAL_SECONDS: '5', POWER_SYNC_CONCURRENCY: String(arg('concurrency', 8)), IPMI_MIN_COMMAND_INTERVAL_MS: '500',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(service);
    service.stdout!.on('data', (d) => (log += d));
    const base = `http://127.0.0.1:${apiPort}`;
    const api = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${base}${path}`, {
        method, headers: { 'Content-Type': 'application/json', 'X-OpenStack-Ironic-API-Version': '1.32' }, body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: await res.json().catch(() => null) };
    };
    for (let i = 0; i < 100 && (await fetch(`${base}/readyz`).catch(() => null))?.status !== 200; i++) await sleep(200);
    const uuids: string[] = [];
    for (let i = 0; i < nodes; i++) {
      const driver_info = { ipmi_address: '127.0.0.1', ipmi_port: ports[i % ports.length], ipmi_username: 'admin', ipmi_password: 'password' };
      const node = await api('POST', '/v1/nodes', { driver: 'ipmi', driver_info });
      await api('PUT', `/v1/nodes/${node.body.uuid}/states/provision`, { target: 'manage' });
      uuids.push(node.body.uuid);
    }
    for (const uuid of uuids) {
      for (let i = 0; i < 600 && (await api('GET', `/v1/nodes/${uuid}`)).body.provision_state !== 'manageable'; i++) await sleep(100);
    }
    const seen = () => log.split('\n').filter((l) => l.includes('"power state sync pass"')).map((l) => JSON.parse(l) as { nodes: number; duration_ms: number });
    const before = seen().length;
    while (seen().length < before + passes) await sleep(500);
    const measured = seen().slice(before).filter((p) => p.nodes === nodes);
    console.log(`power-state sync of ${nodes} ipmi nodes on ${bmcCount} BMCs, ${arg('concurrency', 8)} at a time:`);
    for (const pass of measured) console.log(`  pass: ${pass.duration_ms} ms (${(pass.duration_ms / nodes).toFixed(1)} ms per node)`);
  } finally {
    for (const child of children) child.kill('SIGKILL');
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
