import { Injectable } from '@nestjs/common';
import type { Tx } from '../../common/db/db.service';
import { Status, VersionedPayload } from '../../notifications/notification';
import { Notifier } from '../../notifications/notifier';
import { nodePayload, nodePayloadData } from '../node-payload';
import { NodeRepository, NodeRow } from '../node.repository';
import { PowerDrivers } from './power-drivers';

/**
 * The node events Ironic's conductor sends about power: baremetal.node.
 * power_set.start, then .end or .error, around a power action, and
 * baremetal.node.power_state_corrected.success when a power-state sync or
 * a verification finds the machine in another state than the record. Each
 * is written in the transaction that records what it reports, with the
 * node as that transaction leaves it.
 */
@Injectable()
export class PowerEvents {
  constructor(
    private readonly nodes: NodeRepository,
    private readonly notifier: Notifier,
    private readonly drivers: PowerDrivers,
  ) {}

  /** power_set.<status>, to_power being the target asked for ('power on', 'rebooting', ...). */
  async powerSet(tx: Tx, nodeId: number, status: Extract<Status, 'start' | 'end' | 'error'>, toPower: string): Promise<void> {
    if (!this.notifier.enabled) return;
    const node = await this.read(tx, nodeId);
    const payload = this.payload(node, 'NodeSetPowerStatePayload', { to_power: toPower });
    await this.notifier.record(tx, [{ publisher: 'ironic-conductor', eventType: 'baremetal.node.power_set', status, payload }]);
  }

  /** power_state_corrected.success, from_power being the state recorded before (null when none was). */
  async corrected(tx: Tx, nodeId: number, fromPower: string | null): Promise<void> {
    if (!this.notifier.enabled) return;
    const node = await this.read(tx, nodeId);
    const payload = this.payload(node, 'NodeCorrectedPowerStatePayload', { from_power: fromPower });
    await this.notifier.record(tx, [{ publisher: 'ironic-conductor', eventType: 'baremetal.node.power_state_corrected', status: 'success', payload }]);
  }

  private async read(tx: Tx, nodeId: number): Promise<NodeRow> {
    return (await this.nodes.findById(tx, nodeId))!;
  }

  private payload(node: NodeRow, name: string, own: Record<string, string | null>): VersionedPayload {
    return nodePayload(name, '1.16', nodePayloadData(node, this.drivers.get(node.driver)?.powerInterface ?? null), own);
  }
}
