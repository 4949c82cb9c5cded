import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { loadPowerConfig, PowerConfig } from '../../src/node/power/power-config';
import { createNode } from './fixtures';
import type { TestApp } from './test-app';
import { sleep, until } from './until';

const FAKEBMC = '/usr/bin/fakebmc';
/** ipmitool and pyghmi's fakebmc (Debian's ipmitool and python3-pyghmi) are installed. */
export const hasIpmi = spawnSync('sh', ['-c', `command -v ipmitool && test -x ${FAKEBMC}`]).status === 0;

/** A free UDP port on loopback (IPMI over LAN is UDP). */
export async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(resolve));
  return port;
}

/** One of pyghmi's fake BMCs (admin/password), a machine that starts powered off. */
export class FakeBmc {
  private process: ChildProcess | null = null;
  private constructor(readonly port: number) {}

  static async start(): Promise<FakeBmc> {
    const bmc = new FakeBmc(await freeUdpPort());
    await bmc.up();
    return bmc;
  }

  async up(): Promise<void> {
    this.process = spawn(FAKEBMC, ['--port', String(this.port)], { stdio: 'ignore' });
    for (let i = 0; i < 50; i++) {
      if (this.ipmitool('power', 'status').status === 0) return;
      await sleep(100);
    }
    throw new Error(`fakebmc on ${this.port} did not answer`);
  }

  async down(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null) return;
    await new Promise((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGKILL');
    });
  }

  /** ipmitool as an operator would run it, out of band. */
  ipmitool(...command: string[]) {
    return spawnSync('ipmitool', ['-I', 'lanplus', '-H', '127.0.0.1', '-p', String(this.port), '-U', 'admin', '-E', '-N', '1', '-R', '1', ...command], {
      encoding: 'utf8', env: { PATH: process.env.PATH, IPMI_PASSWORD: 'password' }, timeout: 10000,
    });
  }

  machine(): string {
    return /Chassis Power is (on|off)/.exec(this.ipmitool('power', 'status').stdout)?.[1] ?? 'unknown';
  }

  driverInfo(extra: Record<string, unknown> = {}) {
    return { ipmi_address: '127.0.0.1', ipmi_port: this.port, ipmi_username: 'admin', ipmi_password: 'password', ...extra };
  }
}

/** Settings that keep a silent BMC's cost to a few seconds. */
export function bmcPowerConfig(overrides: Partial<PowerConfig> = {}): PowerConfig {
  const base = loadPowerConfig({});
  return {
    ...base,
    ipmi: { ...base.ipmi, commandTimeoutMs: 3000, retryTimeoutMs: 2000, retryIntervalMs: 200, stateChangeTimeoutMs: 5000 },
    syncIntervalMs: 0,
    hardwareTypes: ['fake-hardware', 'ipmi'],
    ...overrides,
  };
}

export const nodeOf = (app: TestApp, uuid: string) => app.call('GET', `/v1/nodes/${uuid}`, { version: '1.65' }).then((r) => r.body);

/** An ipmi node on the BMC, moved to `manageable` (which reads the machine's power) and left powered off. */
export async function managedNode(app: TestApp, bmc: FakeBmc) {
  const node = await createNode(app, { body: { driver: 'ipmi', driver_info: bmc.driverInfo() } });
  expect((await app.call('PUT', `/v1/nodes/${node.uuid}/states/provision`, { body: { target: 'manage' } })).status).toBe(202);
  await until(() => nodeOf(app, node.uuid), (n) => n.provision_state === 'manageable');
  return node;
}

