import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BOOT_MARKER, buildBootVolume, hasBootLab, IscsiTarget, VirtualMachine } from './support/boot-lab';
import { ensureBuilt, freePort, ServiceProcess, startService } from './support/service-process';
import { until } from './support/until';

const hasCli = spawnSync('sh', ['-c', 'command -v baremetal']).status === 0;
if (process.env.REQUIRE_BOOT_LAB && !(hasBootLab && hasCli)) {
  throw new Error('REQUIRE_BOOT_LAB is set but the boot lab is missing (apt-get install qemu-system-x86 ipxe-qemu tgt nasm socat ipmitool python3-pyghmi python3-ironicclient)');
}

const VOLUME_IQN = 'iqn.2026-12.org.example:boot';
const CHAP = { username: 'node1', password: 'Secret-p4ss' };
const MAC = '52:54:00:b0:07:01';
const INITIATOR = 'iqn.2026-12.org.example:bfv';

/**
 * Boot from volume on a real machine, driven by the real `baremetal` CLI:
 * QEMU with iPXE behind an IPMI BMC, a tgt iSCSI target with CHAP, and
 * ironvol's boot listener, all on loopback.
 */
(hasBootLab && hasCli ? describe : describe.skip)('a machine that boots from its iSCSI volume, driven by the baremetal CLI', () => {
  let service: ServiceProcess;
  let target: IscsiTarget;
  let machine: VirtualMachine;
  let bootHttpPort: number;

  beforeAll(async () => {
    ensureBuilt();
    const dir = mkdtempSync(join(tmpdir(), 'ironvol-boot-'));
    target = await IscsiTarget.start({ dir, iqn: VOLUME_IQN, volume: buildBootVolume(dir), chap: CHAP });
    bootHttpPort = await freePort();
    service = await startService({
      DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`,
      LOG_LEVEL: 'info',
      ENABLED_HARDWARE_TYPES: 'fake-hardware,ipmi',
      BOOT_HTTP_PORT: String(bootHttpPort),
      BOOT_HTTP_HOST: '127.0.0.1',
      BOOT_HTTP_URL: 'http://10.0.2.100',
    });
    machine = await VirtualMachine.start({ dir, mac: MAC, bootHttpPort, iscsiPort: target.port });
  }, 120000);

  afterAll(async () => {
    await machine?.stop();
    await service?.stop();
    await target?.stop();
  });

  afterAll(() => {
    // Nothing failed inside the service, and the CHAP secret never reached its log.
    expect(service.output()).not.toMatch(/"status":5\d\d/);
    expect(service.output()).not.toContain(CHAP.password);
  });

  const baremetal = (...args: string[]) => {
    const run = spawnSync('baremetal', ['--os-endpoint', service.url, '--os-auth-type', 'none', '--max-retries', '0', ...args], { encoding: 'utf8', timeout: 240000 });
    return { code: run.status, out: `${run.stdout}${run.stderr}` };
  };
  const ok = (...args: string[]) => {
    const run = baremetal(...args);
    if (run.code !== 0) throw new Error(`baremetal ${args.join(' ')} exited ${run.code}:\n${run.out}`);
    return run.out;
  };
  const json = (...args: string[]) => JSON.parse(ok(...args, '-f', 'json'));
  const node = () => json('node', 'show', 'bfv', '--fields', 'provision_state', 'power_state', 'last_error', 'reservation');
  const bootTarget = (password: string, iqn = VOLUME_IQN) =>
    json('volume', 'target', 'create', '--node', nodeUuid, '--type', 'iscsi', '--boot-index', '0', '--volume-id', 'vol-boot',
      '--property', `target_iqn=${iqn}`, '--property', 'target_portal=10.0.2.101:3260', '--property', 'target_lun=1',
      '--property', 'auth_method=CHAP', '--property', `auth_username=${CHAP.username}`, '--property', `auth_password=${password}`).uuid as string;
  const powerOns = () => machine.bmcLog().split('\n').filter((line) => line.startsWith('power on')).length;
  const script = async () => {
    const res = await fetch(`http://127.0.0.1:${bootHttpPort}/pxelinux.cfg/${MAC.replace(/:/g, '-')}`);
    return { status: res.status, text: await res.text() };
  };

  let volumeTarget: string;
  let nodeUuid: string;

  it('enrolls the node, validates its records and deploys it: the machine boots from its volume', async () => {
    nodeUuid = json('node', 'create', '--driver', 'ipmi', '--name', 'bfv', '--property', 'capabilities=iscsi_boot:True',
      ...Object.entries(machine.driverInfo()).flatMap(([k, v]) => ['--driver-info', `${k}=${v}`])).uuid;
    ok('node', 'set', 'bfv', '--boot-interface', 'ipxe', '--storage-interface', 'external');
    ok('node', 'manage', 'bfv', '--wait', '60');
    ok('node', 'provide', 'bfv', '--wait', '60');
    ok('volume', 'connector', 'create', '--node', nodeUuid, '--type', 'iqn', '--connector-id', INITIATOR);
    ok('volume', 'connector', 'create', '--node', nodeUuid, '--type', 'mac', '--connector-id', MAC);
    volumeTarget = bootTarget(CHAP.password);
    const verdicts = json('node', 'validate', 'bfv') as { Interface: string; Result: boolean; Reason: string }[];
    expect(verdicts.find((v) => v.Interface === 'storage')).toMatchObject({ Result: true });
    expect(await script()).toMatchObject({ status: 404 }); // not served before the node deploys

    const started = Date.now();
    ok('node', 'deploy', 'bfv', '--wait', '120');
    const active = Date.now();
    expect(node()).toMatchObject({ provision_state: 'active', power_state: 'power on', last_error: null, reservation: null });
    expect(machine.power()).toBe('on');
    expect(machine.bmcLog()).toContain('boot device network');
    // pyghmi's BMC keeps the device, not the persistence flag.
    expect(json('node', 'boot', 'device', 'show', 'bfv')).toEqual({ boot_device: 'pxe', persistent: false });
    expect(json('node', 'boot', 'device', 'show', 'bfv', '--supported')).toEqual({ supported_boot_devices: 'pxe, disk, cdrom, bios, safe' });
    await until(async () => machine.serial(), (serial) => serial.includes(BOOT_MARKER), 120000);
    const booted = Date.now();
    expect(target.sessions()).toContain(INITIATOR);
    const served = await script();
    expect(served.text).toContain(`set initiator-iqn ${INITIATOR}`);
    expect(served.text).toContain(`sanhook --drive 0x80 iscsi:10.0.2.101::3260:1:${VOLUME_IQN}`);
    process.stdout.write(`boot from volume: PUT -> active ${((active - started) / 1000).toFixed(1)} s, PUT -> marker on the serial port ${((booted - started) / 1000).toFixed(1)} s\n`);
  }, 300000);

  it('refuses a volume change while the machine runs from it, and changes nothing', () => {
    const set = baremetal('volume', 'target', 'set', volumeTarget, '--property', 'target_lun=2');
    expect(set.code).not.toBe(0);
    expect(set.out).toMatch(/"volume target update" can not be performed on node "[0-9a-f-]+" while it is in state "power on"\. \(HTTP 400\)/);
    expect(json('volume', 'target', 'show', volumeTarget).properties).toMatchObject({ target_lun: 1 });
    const connector = json('volume', 'connector', 'list', '--node', 'bfv', '--long')[0].UUID as string;
    expect(baremetal('volume', 'connector', 'delete', connector).code).not.toBe(0);
    expect(json('volume', 'connector', 'list', '--node', 'bfv')).toHaveLength(2);
  }, 60000);

  it('undeploys: the machine is powered off, the node available, its targets deleted and its connectors kept', () => {
    ok('node', 'undeploy', 'bfv', '--wait', '120');
    expect(node()).toMatchObject({ provision_state: 'available', power_state: 'power off', last_error: null });
    expect(machine.power()).toBe('off');
    expect(json('volume', 'target', 'list', '--node', 'bfv')).toEqual([]);
    expect(json('volume', 'connector', 'list', '--node', 'bfv')).toHaveLength(2);
  }, 180000);

  it('never boots with a wrong CHAP password, and last_error says why within a minute', async () => {
    bootTarget('Wrong-p4ss');
    ok('node', 'deploy', 'bfv', '--wait', '120');
    const failed = await until(async () => node(), (n) => n.last_error !== null, 60000);
    expect(failed.last_error).toMatch(
      new RegExp(`^The machine could not attach its boot volume ${VOLUME_IQN.replace(/\./g, '\\.')} at 10\\.0\\.2\\.101:3260: iPXE error 0x[0-9a-f]+ \\(https://ipxe\\.org/err/[0-9a-f]+\\)$`),
    );
    expect(failed.provision_state).toBe('active');
    expect(machine.serial()).not.toContain(BOOT_MARKER);
    expect(target.sessions()).not.toContain(INITIATOR);
    ok('node', 'undeploy', 'bfv', '--wait', '120');
    expect(machine.power()).toBe('off');
  }, 240000);

  it('refuses an injected target_iqn at validate and at deploy, and never serves it', async () => {
    const injected = `${VOLUME_IQN}\nchain http://elsewhere/`;
    bootTarget(CHAP.password, injected);
    const storage = (json('node', 'validate', 'bfv') as { Interface: string; Result: boolean; Reason: string }[]).find((v) => v.Interface === 'storage');
    expect(storage).toMatchObject({ Result: false, Reason: expect.stringContaining('properties.target_iqn must be an iSCSI name') });
    const before = powerOns();
    const deploy = baremetal('node', 'deploy', 'bfv', '--wait', '120');
    expect(deploy.code).not.toBe(0);
    const failed = node();
    expect(failed.provision_state).toBe('deploy failed');
    expect(failed.last_error).toMatch(/^Failed to prepare to deploy: volume target [0-9a-f-]+ properties\.target_iqn must be an iSCSI name/);
    expect(powerOns()).toBe(before);
    const served = await script();
    expect(served.status).toBe(404);
    expect(served.text).not.toContain('elsewhere');
  }, 240000);
});
