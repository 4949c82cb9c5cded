import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PowerSync } from '../src/node/power/power-sync';
import { createConnector, createNode } from './support/fixtures';
import { ensureBuilt, ServiceProcess, startService } from './support/service-process';
import { createTestApp, fault, TestApp } from './support/test-app';
import { bmcPowerConfig as powerConfig, FakeBmc, freeUdpPort, hasIpmi, managedNode, nodeOf } from './support/fake-bmc';
import { until } from './support/until';

if (process.env.REQUIRE_IPMI && !hasIpmi) throw new Error('REQUIRE_IPMI is set but ipmitool or fakebmc is missing (apt-get install ipmitool python3-pyghmi)');

(hasIpmi ? describe : describe.skip)('the ipmi driver against a BMC speaking IPMI over LAN', () => {
  let app: TestApp;
  let bmc: FakeBmc;

  beforeAll(async () => {
    bmc = await FakeBmc.start();
    app = await createTestApp('sqlite', { power: powerConfig() });
  }, 30000);
  afterAll(async () => {
    expect(app.serverErrors).toEqual([]);
    await app.close();
    await bmc.down();
  });

  it('powers the machine on and off, answering 202 at once, and ipmitool agrees each time', async () => {
    const node = await createNode(app, { body: { driver: 'ipmi', driver_info: bmc.driverInfo() } });
    for (const [target, machine] of [['power on', 'on'], ['power off', 'off'], ['rebooting', 'on'], ['soft power off', 'off']] as const) {
      const res = await app.call('PUT', `/v1/nodes/${node.uuid}/states/power`, { body: { target }, version: '1.27' });
      expect(res.status).toBe(202);
      const done = await until(() => nodeOf(app, node.uuid), (n) => n.target_power_state === null);
      expect([done.power_state, done.last_error, done.reservation]).toEqual([`power ${machine}`, null, null]);
      expect(bmc.machine()).toBe(machine);
    }
  }, 60000);

  it('masks ipmi_password in every node answer and stores it as sent', async () => {
    const node = await createNode(app, { body: { driver: 'ipmi', driver_info: bmc.driverInfo() } });
    expect((await nodeOf(app, node.uuid)).driver_info).toEqual({ ...bmc.driverInfo(), ipmi_password: '******' });
    const [row] = await app.rows('SELECT driver_info FROM nodes WHERE uuid = ?', [node.uuid]);
    expect(JSON.parse(row.driver_info as string).ipmi_password).toBe('password');
  });

  it.each([
    [{ ipmi_port: 623 }, 'Missing the following IPMI credentials in node\'s driver_info: [\'ipmi_address\'].'],
    [{ ipmi_address: '127.0.0.1', ipmi_port: 70000 }, 'ipmi_port "70000" is not a valid port.'],
    [{ ipmi_address: '127.0.0.1', ipmi_port: 'abc' }, 'ipmi_port "abc" is not a valid port.'],
  ])('refuses a power action with driver_info %j as Ironic does (400), reserving nothing', async (driverInfo, message) => {
    const node = await createNode(app, { body: { driver: 'ipmi', driver_info: driverInfo } });
    const res = await app.call('PUT', `/v1/nodes/${node.uuid}/states/power`, { body: { target: 'power on' } });
    expect([res.status, fault(res).faultstring]).toEqual([400, message]);
    expect(await nodeOf(app, node.uuid)).toMatchObject({ reservation: null, target_power_state: null, power_state: null });
  });

  it('verifies the BMC on manage: the machine\'s power recorded, or back to enroll with last_error', async () => {
    const node = await managedNode(app, bmc);
    expect(await nodeOf(app, node.uuid)).toMatchObject({ provision_state: 'manageable', power_state: 'power off', last_error: null });
    const silent = await createNode(app, { body: { driver: 'ipmi', driver_info: { ...bmc.driverInfo(), ipmi_port: await freeUdpPort() } } });
    expect((await app.call('PUT', `/v1/nodes/${silent.uuid}/states/provision`, { body: { target: 'manage' } })).status).toBe(202);
    const back = await until(() => nodeOf(app, silent.uuid), (n) => n.provision_state !== 'verifying');
    expect(back.provision_state).toBe('enroll');
    expect(back.last_error).toBe(`Failed to get power state for node ${silent.uuid}. Error: IPMI call failed: power status.`);
    expect(back.reservation).toBeNull();
    // Bad driver_info is found while verifying too, as in Ironic: 202, then back to enroll.
    const invalid = await createNode(app, { body: { driver: 'ipmi', driver_info: { ipmi_address: '127.0.0.1', ipmi_port: 70000 } } });
    expect((await app.call('PUT', `/v1/nodes/${invalid.uuid}/states/provision`, { body: { target: 'manage' } })).status).toBe(202);
    const refused = await until(() => nodeOf(app, invalid.uuid), (n) => n.provision_state !== 'verifying');
    expect([refused.provision_state, refused.last_error]).toEqual(['enroll', `Failed to validate power driver interface for node ${invalid.uuid}. Error: ipmi_port "70000" is not a valid port.`]);
  }, 30000);

  it('refuses a volume change on a machine powered on out of band, where the record still says off (live check)', async () => {
    const node = await managedNode(app, bmc);
    const connector = await createConnector(app, node.uuid);
    expect(bmc.ipmitool('power', 'on').status).toBe(0);
    expect((await nodeOf(app, node.uuid)).power_state).toBe('power off');
    const patch = await app.call('PATCH', `/v1/volume/connectors/${connector.uuid}`, { body: [{ op: 'add', path: '/extra/k', value: 'v' }] });
    expect([patch.status, fault(patch).faultstring]).toEqual([400, `The requested action "volume connector update" can not be performed on node "${node.uuid}" while it is in state "power on".`]);
    expect((await app.call('DELETE', `/v1/volume/connectors/${connector.uuid}`)).status).toBe(400);
    // The sync puts the machine back to the recorded state; then the change goes through.
    await app.app.get(PowerSync).runPass();
    expect(bmc.machine()).toBe('off');
    expect((await app.call('PATCH', `/v1/volume/connectors/${connector.uuid}`, { body: [{ op: 'add', path: '/extra/k', value: 'v' }] })).status).toBe(200);
  }, 30000);

  it('answers 409 NodeLocked to volume changes while a power action is in flight, and refuses them while the BMC is silent', async () => {
    const node = await managedNode(app, bmc);
    const connector = await createConnector(app, node.uuid);
    await bmc.down();
    try {
      expect((await app.call('PUT', `/v1/nodes/${node.uuid}/states/power`, { body: { target: 'power on' } })).status).toBe(202);
      const locked = await app.call('PATCH', `/v1/volume/connectors/${connector.uuid}`, { body: [{ op: 'add', path: '/extra/k', value: 'v' }] });
      expect([locked.status, fault(locked).faultstring]).toEqual([409, `Node ${node.uuid} is locked by host ${hostname()}, please retry after the current operation is completed.`]);
      expect((await app.call('PUT', `/v1/nodes/${node.uuid}/states/power`, { body: { target: 'power off' } })).status).toBe(409);
      const failed = await until(() => nodeOf(app, node.uuid), (n) => n.target_power_state === null, 30000);
      expect(failed.reservation).toBeNull();
      expect(failed.power_state).toBe('power off');
      // As Ironic's: the machine's state is read first, and that failed.
      expect(failed.last_error).toBe("Failed to change power state to 'power on': IPMI call failed: power status.");
      const silent = await app.call('DELETE', `/v1/volume/connectors/${connector.uuid}`);
      expect([silent.status, fault(silent).faultstring]).toEqual([409, `Cannot confirm with its BMC that node ${node.uuid} is powered off, so the volume connector deletion was not made: IPMI call failed: power status.`]);
    } finally {
      await bmc.up();
    }
    expect((await app.call('DELETE', `/v1/volume/connectors/${connector.uuid}`)).status).toBe(204);
  }, 60000);

  it('records repeated sync failures in last_error without changing power_state, and clears them when the BMC answers', async () => {
    const node = await managedNode(app, bmc);
    await bmc.down();
    try {
      for (let i = 0; i < 3; i++) await app.app.get(PowerSync).runPass();
      const failing = await nodeOf(app, node.uuid);
      expect(failing.power_state).toBe('power off');
      expect(failing.last_error).toMatch(new RegExp(`^Power state sync failed 3 times in a row for node ${node.uuid}`));
    } finally {
      await bmc.up();
    }
    await app.app.get(PowerSync).runPass();
    expect(await nodeOf(app, node.uuid)).toMatchObject({ power_state: 'power off', last_error: null, reservation: null });
  }, 60000);
});

(hasIpmi ? describe : describe.skip)('power-state sync on its interval', () => {
  it.each([
    [true, 'off', 'power off'],
    [false, 'on', 'power on'],
  ])('with POWER_SYNC_FORCE=%s a machine powered on behind the record ends %s, the node saying %s', async (force, machine, recorded) => {
    const bmc = await FakeBmc.start();
    const app = await createTestApp('sqlite', { power: powerConfig({ syncIntervalMs: 1000, syncForce: force }) });
    try {
      const node = await managedNode(app, bmc);
      expect(bmc.ipmitool('power', 'on').status).toBe(0);
      await until(async () => ({ machine: bmc.machine(), node: (await nodeOf(app, node.uuid)).power_state }), (s) => s.machine === machine && s.node === recorded, 10000);
    } finally {
      await app.close();
      await bmc.down();
    }
  }, 30000);
});

(hasIpmi ? describe : describe.skip)('the BMC password', () => {
  it('reaches ipmitool in its environment, never on its command line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ironvol-ipmitool-'));
    const fake = join(dir, 'ipmitool');
    writeFileSync(fake, `#!/bin/sh\nprintf '%s\\n' "$@" > ${dir}/argv\nprintf '%s' "$IPMI_PASSWORD" > ${dir}/password\necho 'Chassis Power is off'\n`);
    chmodSync(fake, 0o755);
    const base = powerConfig();
    const app = await createTestApp('sqlite', { power: { ...base, ipmi: { ...base.ipmi, ipmitool: fake } } });
    try {
      const node = await createNode(app, { body: { driver: 'ipmi', driver_info: { ipmi_address: '10.0.0.9', ipmi_username: 'root', ipmi_password: 'hunter2-secret' } } });
      expect((await app.call('PUT', `/v1/nodes/${node.uuid}/states/provision`, { body: { target: 'manage' } })).status).toBe(202);
      await until(() => nodeOf(app, node.uuid), (n) => n.provision_state === 'manageable');
      const argv = readFileSync(join(dir, 'argv'), 'utf8').trim().split('\n');
      expect(argv).toEqual(['-I', 'lanplus', '-H', '10.0.0.9', '-p', '623', '-U', 'root', '-E', '-N', '1', '-R', '1', 'power', 'status']);
      expect(readFileSync(join(dir, 'password'), 'utf8')).toBe('hunter2-secret');
    } finally {
      await app.close();
    }
  });
});

const hasCli = spawnSync('sh', ['-c', 'command -v baremetal']).status === 0;

/** The real `baremetal` CLI creating an ipmi node and powering it, as an operator would. */
(hasIpmi && hasCli ? describe : describe.skip)('baremetal CLI with an ipmi node', () => {
  let service: ServiceProcess;
  let bmc: FakeBmc;
  beforeAll(async () => {
    ensureBuilt();
    bmc = await FakeBmc.start();
    const dir = mkdtempSync(join(tmpdir(), 'ironvol-ipmi-cli-'));
    service = await startService({ DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, ENABLED_HARDWARE_TYPES: 'fake-hardware,ipmi', POWER_SYNC_INTERVAL_SECONDS: '0', IPMI_COMMAND_RETRY_TIMEOUT_SECONDS: '2', IPMI_MIN_COMMAND_INTERVAL_MS: '200' });
  }, 120000);
  afterAll(async () => {
    await service?.stop();
    await bmc?.down();
  });

  const baremetal = (...args: string[]) => {
    const run = spawnSync('baremetal', ['--os-auth-type', 'none', '--os-endpoint', service.url, '--max-retries', '0', ...args], {
      encoding: 'utf8', timeout: 60000, env: { PATH: process.env.PATH, HOME: tmpdir() },
    });
    return { code: run.status, out: `${run.stdout}${run.stderr}` };
  };
  const show = (node: string, field: string) => baremetal('node', 'show', node, '-f', 'value', '-c', field).out.trim();

  it('creates the node with --driver-info, powers it on and off, and ipmitool agrees each time', async () => {
    const created = baremetal('node', 'create', '--driver', 'ipmi', '--name', 'bmc-1', '--driver-info', 'ipmi_address=127.0.0.1', '--driver-info', `ipmi_port=${bmc.port}`,
      '--driver-info', 'ipmi_username=admin', '--driver-info', 'ipmi_password=password', '-f', 'value', '-c', 'uuid');
    expect(created.code).toBe(0);
    expect(show('bmc-1', 'driver_info')).toContain("'ipmi_password': '******'");
    expect(baremetal('node', 'manage', 'bmc-1', '--wait', '30').code).toBe(0);
    expect(show('bmc-1', 'power_state')).toBe('power off');
    for (const [verb, machine] of [['on', 'on'], ['off', 'off']]) {
      expect(baremetal('node', 'power', verb, 'bmc-1', '--power-timeout', '30').code).toBe(0);
      await until(async () => show('bmc-1', 'power_state'), (state) => state === `power ${machine}`);
      expect(bmc.machine()).toBe(machine);
    }
  }, 120000);
});
