import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { NodeRepository } from '../node/node.repository';
import { LOGGER } from '../observability/logger';
import { bootAttachFailures } from '../observability/metrics';
import { BOOT_CONFIG, BootConfig } from './boot-config';
import { bootPlanOf } from './boot-plan';
import { BootValueError, mac as macAddress } from './boot-values';
import { BootNode, BootRepository } from './boot.repository';
import { renderNodeScript } from './ipxe-script';

/** Provision states in which a node's machine boots from its volume, and so is served a script. */
const BOOTING_STATES = ['deploying', 'wait call-back', 'active'];

/** Whether a node boots from its volume through the boot listener. */
export const bootsFromVolume = (node: Pick<BootNode, 'boot_interface' | 'storage_interface'>) =>
  node.boot_interface === 'ipxe' && node.storage_interface === 'external';

/** What the listener answers: a script, or nothing (404) with the reason, for the log only. */
export type ScriptAnswer = { script: string } | { refused: string };

/**
 * The scripts of the boot listener, written at request time from the
 * records as they are (never a file that can go stale): a node's script
 * only while the node is deploying or active and boots from volume, and
 * only when every value passes the checks. A machine that reports a failed
 * attach gets it recorded in its node's last_error.
 */
@Injectable()
export class BootScripts {
  constructor(
    private readonly volumes: BootRepository,
    private readonly nodes: NodeRepository,
    @Inject(BOOT_CONFIG) private readonly config: BootConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** pxelinux.cfg/<mac with hyphens>: the script of the node whose mac connector is this NIC. */
  async forMac(hyphenated: string): Promise<ScriptAnswer> {
    let mac: string;
    try {
      mac = macAddress('the requested MAC', hyphenated);
    } catch {
      return { refused: 'not a MAC address' };
    }
    const nodes = (await this.volumes.nodesByMac(mac)).filter((node) => bootsFromVolume(node) && BOOTING_STATES.includes(node.provision_state));
    if (nodes.length !== 1) return { refused: nodes.length ? `${nodes.length} booting nodes have this MAC` : 'no booting node has this MAC' };
    const [node] = nodes;
    try {
      const { connectors, targets } = await this.volumes.volumesOf(node.id);
      const plan = bootPlanOf(connectors, targets, this.config.url ? `${this.config.url}/report/${node.uuid}` : null);
      return { script: renderNodeScript(plan.script) };
    } catch (error) {
      if (error instanceof BootValueError) return { refused: `node ${node.uuid}: ${error.message}` };
      throw error;
    }
  }

  /**
   * A machine's report that it could not attach volume number `volume` of
   * its script (iPXE's errno): recorded in last_error, once per distinct
   * failure (a machine retrying every 10 seconds does not move the node's
   * version each time).
   */
  async report(uuid: string, volume: string | undefined, errno: string | undefined): Promise<boolean> {
    const node = await this.volumes.nodeByUuid(uuid);
    if (!node || !bootsFromVolume(node) || !BOOTING_STATES.includes(node.provision_state)) return false;
    const { connectors, targets } = await this.volumes.volumesOf(node.id);
    let what = 'its boot volume';
    try {
      const attached = bootPlanOf(connectors, targets, null).script.volumes[Number(volume)];
      if (attached) what = `its boot volume ${attached.targetIqn} at ${attached.portal.host}:${attached.portal.port}`;
    } catch {
      // The records changed since the script was served; the report still counts.
    }
    const code = /^(0x)?[0-9a-f]{1,8}$/i.test(errno ?? '') ? errno! : 'unknown';
    const lastError = `The machine could not attach ${what}: iPXE error ${code} (https://ipxe.org/err/${code.replace(/^0x/i, '')})`;
    bootAttachFailures.inc();
    this.logger.warn({ node: node.uuid, volume, errno: code }, 'a machine could not attach its boot volume');
    if (node.last_error === lastError) return true;
    await this.nodes.write(node.uuid, (tx) => this.nodes.update(tx, node.id, { last_error: lastError }));
    return true;
  }
}
