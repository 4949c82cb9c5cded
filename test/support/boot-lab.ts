import { ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freeUdpPort } from './fake-bmc';
import { freePort } from './service-process';
import { sleep } from './until';

const MACHINE = join(__dirname, '..', 'machine');
const IPXE_ROM = '/usr/share/qemu/pxe-e1000.rom';

/**
 * What a real boot from volume needs on this machine, all from Debian:
 * qemu-system-x86 and ipxe-qemu (the machine and its network firmware),
 * tgt (the iSCSI target), nasm (the volume's boot sector), socat (the
 * machine's only ways out), ipmitool and python3-pyghmi (its BMC).
 */
export const hasBootLab =
  spawnSync('sh', ['-c', 'command -v qemu-system-x86_64 && command -v tgtd && command -v tgtadm && command -v nasm && command -v socat && command -v ipmitool']).status === 0 &&
  spawnSync('/usr/bin/python3', ['-c', 'import pyghmi.ipmi.bmc']).status === 0 &&
  (existsSync(IPXE_ROM) || existsSync('/usr/lib/ipxe/qemu/pxe-e1000.rom'));

/** What the volume's boot sector prints on the serial port when the machine runs it. */
export const BOOT_MARKER = 'IRONVOL-VOLUME-BOOTED';

/**
 * A volume the machine can boot from: the boot sector of
 * test/machine/boot-sector.asm in a sparse 64 MiB image (iPXE's BIOS disk
 * geometry needs more than a few cylinders).
 */
export function buildBootVolume(dir: string): string {
  const sector = join(dir, 'boot-sector.bin');
  execFileSync('nasm', ['-f', 'bin', join(MACHINE, 'boot-sector.asm'), '-o', sector]);
  const image = join(dir, 'volume.img');
  writeFileSync(image, readFileSync(sector));
  execFileSync('truncate', ['-s', '64M', image]);
  return image;
}

export interface ChapAccount {
  username: string;
  password: string;
}

/**
 * A tgtd of its own: a control port no other tgtd uses (-C), its portal on a
 * free loopback port, one target whose LUN 1 is the volume, reachable only
 * with the CHAP account bound to it.
 */
export class IscsiTarget {
  private constructor(
    private readonly daemon: ChildProcess,
    private readonly controlPort: number,
    readonly port: number,
    readonly log: () => string,
  ) {}

  static async start(options: { dir: string; iqn: string; volume: string; chap: ChapAccount }): Promise<IscsiTarget> {
    const port = await freePort();
    const controlPort = 1000 + Math.floor(Math.random() * 30000);
    const logFile = join(options.dir, 'tgtd.log');
    const out = openSync(logFile, 'w');
    const daemon = spawn('tgtd', ['-f', '-C', String(controlPort), '--iscsi', `portal=127.0.0.1:${port}`], { stdio: ['ignore', out, out] });
    closeSync(out);
    const target = new IscsiTarget(daemon, controlPort, port, () => readFileSync(logFile, 'utf8'));
    for (let i = 0; ; i++) {
      if (daemon.exitCode !== null) throw new Error(`tgtd exited:\n${target.log()}`);
      if (target.tgtadm('--op', 'show', '--mode', 'system').status === 0) break;
      if (i > 50) throw new Error(`tgtd on control port ${controlPort} did not answer:\n${target.log()}`);
      await sleep(100);
    }
    target.admin('--op', 'new', '--mode', 'target', '--tid', '1', '-T', options.iqn);
    target.admin('--op', 'new', '--mode', 'logicalunit', '--tid', '1', '--lun', '1', '-b', options.volume);
    target.admin('--op', 'new', '--mode', 'account', '--user', options.chap.username, '--password', options.chap.password);
    target.admin('--op', 'bind', '--mode', 'account', '--tid', '1', '--user', options.chap.username);
    target.admin('--op', 'bind', '--mode', 'target', '--tid', '1', '-I', 'ALL');
    return target;
  }

  /** The iSCSI sessions logged in now, by initiator name. */
  sessions(): string[] {
    const shown = this.admin('--op', 'show', '--mode', 'target');
    return [...shown.matchAll(/Initiator: (\S+)/g)].map((m) => m[1]);
  }

  /** Deletes the target (its sessions with it) and stops the daemon, as tgtadm does it. */
  async stop(): Promise<void> {
    if (this.daemon.exitCode !== null) return;
    this.tgtadm('--op', 'delete', '--mode', 'target', '--tid', '1', '--force');
    this.tgtadm('--op', 'delete', '--mode', 'system');
    for (let i = 0; i < 50 && this.daemon.exitCode === null; i++) await sleep(100);
    if (this.daemon.exitCode === null) this.daemon.kill('SIGKILL');
  }

  private tgtadm(...args: string[]) {
    return spawnSync('tgtadm', ['-C', String(this.controlPort), '--lld', 'iscsi', ...args], { encoding: 'utf8', timeout: 10000 });
  }

  private admin(...args: string[]): string {
    const result = this.tgtadm(...args);
    if (result.status !== 0) throw new Error(`tgtadm ${args.join(' ')}: ${result.stderr}\n${this.log()}`);
    return result.stdout;
  }
}

/**
 * A QEMU machine behind an IPMI BMC (test/machine/vm-bmc.py): power on
 * starts it, booting from the network when its boot device is PXE, with
 * its boot firmware reaching the boot listener at 10.0.2.100:80 and the
 * iSCSI target at 10.0.2.101:3260, nothing else.
 */
export class VirtualMachine {
  private constructor(
    private readonly bmc: ChildProcess,
    readonly ipmiPort: number,
    readonly mac: string,
    private readonly serialFile: string,
    private readonly log: () => string,
  ) {}

  static async start(options: { dir: string; mac: string; bootHttpPort: number; iscsiPort: number }): Promise<VirtualMachine> {
    const ipmiPort = await freeUdpPort();
    const serialFile = join(options.dir, `serial-${options.mac.replace(/:/g, '')}.log`);
    closeSync(openSync(serialFile, 'w'));
    // Logs go to files, read when asked: the tests drive the CLI synchronously, so a pipe would be read too late.
    const logFile = join(options.dir, `bmc-${options.mac.replace(/:/g, '')}.log`);
    const out = openSync(logFile, 'w');
    const bmc = spawn('/usr/bin/python3', [
      join(MACHINE, 'vm-bmc.py'), '--port', String(ipmiPort), '--mac', options.mac, '--serial', serialFile,
      '--boot-http-port', String(options.bootHttpPort), '--iscsi-port', String(options.iscsiPort),
    ], { stdio: ['ignore', out, out] });
    closeSync(out);
    const machine = new VirtualMachine(bmc, ipmiPort, options.mac, serialFile, () => readFileSync(logFile, 'utf8'));
    for (let i = 0; machine.ipmitool('power', 'status').status !== 0; i++) {
      if (bmc.exitCode !== null || i > 50) throw new Error(`the machine's BMC did not answer:\n${machine.bmcLog()}`);
      await sleep(100);
    }
    return machine;
  }

  /** What the machine has written on its serial port since it was last powered on. */
  serial(): string {
    return existsSync(this.serialFile) ? readFileSync(this.serialFile, 'latin1') : '';
  }

  /** The BMC's own log: power actions and boot device changes, as it saw them. */
  bmcLog(): string {
    return this.log();
  }

  power(): string {
    return /Chassis Power is (on|off)/.exec(this.ipmitool('power', 'status').stdout)?.[1] ?? 'unknown';
  }

  driverInfo() {
    return { ipmi_address: '127.0.0.1', ipmi_port: this.ipmiPort, ipmi_username: 'admin', ipmi_password: 'password' };
  }

  /** Stops the BMC, which kills the machine first. */
  async stop(): Promise<void> {
    if (this.bmc.exitCode !== null) return;
    const exited = new Promise((resolve) => this.bmc.once('exit', resolve));
    this.bmc.kill('SIGTERM');
    await Promise.race([exited, sleep(5000)]);
    if (this.bmc.exitCode === null) this.bmc.kill('SIGKILL');
  }

  private ipmitool(...command: string[]) {
    return spawnSync('ipmitool', ['-I', 'lanplus', '-H', '127.0.0.1', '-p', String(this.ipmiPort), '-U', 'admin', '-E', '-N', '1', '-R', '2', ...command], {
      encoding: 'utf8', env: { PATH: process.env.PATH, IPMI_PASSWORD: 'password' }, timeout: 10000,
    });
  }
}
