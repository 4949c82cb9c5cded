import { execFile } from 'node:child_process';
import type { Logger } from 'pino';
import { invalid, IronicError } from '../../common/errors/ironic-errors';
import { pyRepr } from '../../common/validation/py-repr';
import { bmcCalls, bmcCallSeconds } from '../../observability/metrics';
import type { PowerTarget } from '../dto/node.dto';
import type { BootDevice, BootDeviceState, DriverNode, PowerDriver, PowerState } from './power-driver';

export interface IpmiConfig {
  /** The ipmitool binary. */
  ipmitool: string;
  /** How long one ipmitool run may take. */
  commandTimeoutMs: number;
  /** How long a failing command is tried again (Ironic's [ipmi] command_retry_timeout). */
  retryTimeoutMs: number;
  /** Pause between two tries (Ironic's [ipmi] min_command_interval). */
  retryIntervalMs: number;
  /** How long a power change may take to show in the BMC's status (Ironic's power_state_change_timeout). */
  stateChangeTimeoutMs: number;
}

/**
 * The BMC could not be asked or did not do what it was asked. The message
 * is Ironic's (it lands in last_error); the detail (ipmitool's own words)
 * goes to the log.
 */
export class BmcError extends Error {
  constructor(
    message: string,
    readonly detail: string = message,
  ) {
    super(message);
  }
}

interface IpmiInfo {
  address: string;
  port: number;
  username: string | null;
  password: string;
}

const REQUIRED = ['ipmi_address'];

/**
 * Ironic's ipmitool checks of driver_info, with its messages: a missing
 * address, then the port (an integer from 1 to 65535, or its string).
 */
export function ipmiInfo(driverInfo: Record<string, unknown>): IpmiInfo {
  const missing = REQUIRED.filter((key) => !driverInfo[key]);
  if (missing.length) {
    throw new IronicError(400, `Missing the following IPMI credentials in node's driver_info: ${pyRepr(missing)}.`);
  }
  const port = driverInfo.ipmi_port ?? 623;
  const number = typeof port === 'string' && /^\d+$/.test(port) ? Number(port) : port;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < 1 || number > 65535) {
    throw invalid(`ipmi_port "${String(port)}" is not a valid port.`);
  }
  const username = driverInfo.ipmi_username;
  const password = driverInfo.ipmi_password;
  return {
    address: String(driverInfo.ipmi_address),
    port: number,
    username: username === undefined || username === null || username === '' ? null : String(username),
    password: password === undefined || password === null ? '' : String(password),
  };
}

/** ipmitool's `power` subcommand for each target, as Ironic's ipmitool power interface sends them. */
const COMMANDS: Record<PowerTarget, string[][]> = {
  'power on': [['power', 'on']],
  'power off': [['power', 'off']],
  rebooting: [['power', 'off'], ['power', 'on']],
  'soft power off': [['power', 'soft']],
  'soft rebooting': [['power', 'soft'], ['power', 'on']],
};

/** What ipmitool's `chassis bootparam get 5` names each device, as Ironic's ipmitool management reads it (safe mode before the hard drive). */
const BOOT_SELECTORS: [RegExp, BootDevice][] = [[/PXE/, 'pxe'], [/Hard-Drive.*Safe-Mode/, 'safe'], [/Hard-Drive/, 'disk'], [/BIOS/, 'bios'], [/CD\/DVD/, 'cdrom']];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Ironic's `ipmi` hardware type: the BMC driven over IPMI-over-LAN by
 * Debian's ipmitool. The password reaches ipmitool in its environment
 * (IPMI_PASSWORD with -E), never on a command line `ps` shows. Each run has
 * a timeout; a failed run is tried again until the retry time is spent. A
 * power change is confirmed by reading the status until it shows.
 */
export class IpmiDriver implements PowerDriver {
  readonly name = 'ipmi';
  readonly powerInterface = 'ipmitool';
  readonly asynchronous = true;
  readonly bootDevices: readonly BootDevice[] = ['pxe', 'disk', 'cdrom', 'bios', 'safe'];

  constructor(
    private readonly config: IpmiConfig,
    private readonly logger: Pick<Logger, 'info' | 'warn'>,
  ) {}

  validate(node: DriverNode): void {
    ipmiInfo(node.driver_info);
  }

  /** The machine's power as the BMC reports it; `once` asks one time only (the live check). */
  async getPowerState(node: DriverNode, options: { once?: boolean } = {}): Promise<PowerState> {
    const out = await this.run(node, ['power', 'status'], 'status', options.once ?? false);
    if (/Chassis Power is on/.test(out)) return 'power on';
    if (/Chassis Power is off/.test(out)) return 'power off';
    throw new BmcError(`the BMC answered an unknown power status: ${out.trim().slice(0, 200)}`);
  }

  async setPowerState(node: DriverNode, target: PowerTarget, timeoutSeconds?: number): Promise<PowerState> {
    const steps = COMMANDS[target];
    for (const [index, command] of steps.entries()) {
      await this.run(node, command, target, false);
      const wanted: PowerState = command[1] === 'on' ? 'power on' : 'power off';
      // The last step of a reboot must end on; every step waits for its state.
      await this.waitFor(node, wanted, timeoutSeconds ? timeoutSeconds * 1000 : this.config.stateChangeTimeoutMs, index === steps.length - 1 ? target : 'power off');
    }
    return target === 'power off' || target === 'soft power off' ? 'power off' : 'power on';
  }

  /** ipmitool chassis bootdev (its device names are Ironic's), as Ironic's ipmitool management interface sets it. */
  async setBootDevice(node: DriverNode, device: BootDevice, persistent: boolean): Promise<void> {
    await this.run(node, ['chassis', 'bootdev', device, ...(persistent ? ['options=persistent'] : [])], 'set boot device', false);
  }

  /** The boot flags (`chassis bootparam get 5`) read as Ironic reads them: no override is no device. */
  async getBootDevice(node: DriverNode): Promise<BootDeviceState> {
    const out = await this.run(node, ['chassis', 'bootparam', 'get', '5'], 'get boot device', false);
    const selector = /Boot Device Selector : (.+)/.exec(out)?.[1] ?? '';
    const device = BOOT_SELECTORS.find(([pattern]) => pattern.test(selector))?.[1] ?? null;
    return { boot_device: device, persistent: out.includes('Options apply to all future boots') };
  }

  private async waitFor(node: DriverNode, wanted: PowerState, timeoutMs: number, target: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if ((await this.getPowerState(node)) === wanted) return;
      if (Date.now() >= deadline) {
        throw new BmcError(`the node did not reach "${wanted}" within ${Math.round(timeoutMs / 1000)} s of asking for "${target}"`);
      }
      await sleep(Math.min(1000, this.config.retryIntervalMs));
    }
  }

  private async run(node: DriverNode, command: string[], action: string, once: boolean): Promise<string> {
    const info = ipmiInfo(node.driver_info);
    const deadline = Date.now() + this.config.retryTimeoutMs;
    for (let attempt = 1; ; attempt++) {
      const started = process.hrtime.bigint();
      try {
        const out = await this.ipmitool(info, command);
        this.observe(node, action, 'ok', started, attempt);
        return out;
      } catch (error) {
        this.observe(node, action, 'failed', started, attempt, (error as BmcError).detail ?? (error as Error).message);
        if (once || Date.now() + this.config.retryIntervalMs >= deadline) throw error;
        await sleep(this.config.retryIntervalMs);
      }
    }
  }

  private ipmitool(info: IpmiInfo, command: string[]): Promise<string> {
    const args = ['-I', 'lanplus', '-H', info.address, '-p', String(info.port), ...(info.username ? ['-U', info.username] : []), '-E', '-N', '1', '-R', '1', ...command];
    return new Promise((resolve, reject) => {
      execFile(
        this.config.ipmitool,
        args,
        { env: { PATH: process.env.PATH, IPMI_PASSWORD: info.password }, timeout: this.config.commandTimeoutMs, killSignal: 'SIGKILL' },
        (error, stdout, stderr) => {
          if (!error) return resolve(stdout);
          const why = (error as NodeJS.ErrnoException & { killed?: boolean }).killed
            ? `no answer within ${Math.round(this.config.commandTimeoutMs / 1000)} s`
            : (stderr.trim() || error.message).split('\n').slice(-1)[0];
          reject(new BmcError(`IPMI call failed: ${command.join(' ')}.`, `ipmitool ${command.join(' ')} to ${info.address}:${info.port}: ${why}`));
        },
      );
    });
  }

  /** One log line and the metrics per BMC call; never the password. */
  private observe(node: DriverNode, action: string, outcome: string, started: bigint, attempt: number, error?: string): void {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    bmcCalls.inc({ driver: this.name, action, outcome });
    bmcCallSeconds.observe({ driver: this.name, action, outcome }, seconds);
    const line = { node: node.uuid, action, outcome, attempt, duration_ms: Math.round(seconds * 1000), err: error };
    if (outcome === 'ok') this.logger.info(line, 'bmc call');
    else this.logger.warn(line, 'bmc call');
  }
}
