import { Inject, Injectable } from '@nestjs/common';
import { NodeRow } from '../node/node.repository';
import { PowerDrivers } from '../node/power/power-drivers';
import { driverNode } from '../node/node.mapper';
import { BOOT_CONFIG, BootConfig } from './boot-config';
import { bootPlanOf } from './boot-plan';
import { BootRepository } from './boot.repository';

/** One interface's verdict, as Ironic's validate answers it. */
export interface InterfaceResult {
  result: boolean | null;
  reason?: string;
}

/** Interfaces ironvol does not model: what an Ironic node of the hardware type answers for them. */
const UNMODELLED = ['bios', 'console', 'inspect', 'raid', 'rescue'] as const;

/**
 * Ironic's GET /v1/nodes/{node}/validate: each interface's check of the
 * node as it is. The storage check is the strict one boot from volume
 * runs at deploy and each time a script is served (boot-plan.ts); the boot
 * check asks for a listener machines can reach and, when the node boots
 * from volume, for Ironic's iscsi_boot capability.
 */
@Injectable()
export class NodeValidation {
  constructor(
    private readonly volumes: BootRepository,
    private readonly drivers: PowerDrivers,
    @Inject(BOOT_CONFIG) private readonly config: BootConfig,
  ) {}

  async validate(node: NodeRow): Promise<Record<string, InterfaceResult>> {
    const power = this.power(node);
    const storage = await this.storage(node);
    const results: Record<string, InterfaceResult> = {
      boot: this.boot(node),
      deploy: this.deploy(node),
      management: power,
      network: { result: true },
      power,
    };
    const fake = node.driver === 'fake-hardware';
    for (const name of UNMODELLED) results[name] = fake ? { result: true } : { result: null, reason: 'not supported' };
    results.storage = storage;
    return results;
  }

  private power(node: NodeRow): InterfaceResult {
    const driver = this.drivers.get(node.driver);
    if (!driver) return { result: false, reason: `The driver ${node.driver} is not loaded.` };
    return verdict(() => driver.validate?.(driverNode(node)));
  }

  private boot(node: NodeRow): InterfaceResult {
    if (node.boot_interface !== 'ipxe') return { result: true };
    if (!this.config.url) return { result: false, reason: 'BOOT_HTTP_URL is not set: machines have no boot listener to fetch their iPXE scripts from.' };
    if (node.storage_interface === 'external' && !hasIscsiBoot(node.properties)) {
      return { result: false, reason: `Node ${node.uuid} has an iSCSI boot volume defined and no iSCSI boot support available.` };
    }
    return { result: true };
  }

  private deploy(node: NodeRow): InterfaceResult {
    if (node.deploy_interface !== 'direct') return { result: true };
    if (node.storage_interface !== 'external') {
      return { result: false, reason: 'The direct deploy interface of ironvol boots from a volume only: set storage_interface to external.' };
    }
    return { result: true };
  }

  private async storage(node: NodeRow): Promise<InterfaceResult> {
    if (node.storage_interface !== 'external') return { result: true };
    const { connectors, targets } = await this.volumes.volumesOf(node.id);
    return verdict(() => bootPlanOf(connectors, targets, null));
  }
}

/** Ironic's iscsi_boot capability in properties.capabilities ("iscsi_boot:True,..."). */
export function hasIscsiBoot(properties: string): boolean {
  const capabilities = (JSON.parse(properties || '{}') as { capabilities?: unknown }).capabilities;
  if (typeof capabilities !== 'string') return false;
  return capabilities.split(',').some((pair) => /^\s*iscsi_boot\s*:\s*true\s*$/i.test(pair));
}

function verdict(check: () => unknown): InterfaceResult {
  try {
    check();
    return { result: true };
  } catch (error) {
    return { result: false, reason: (error as Error).message };
  }
}
