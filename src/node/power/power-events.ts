import { Injectable } from '@nestjs/common';
import type { Tx } from '../../common/db/db.service';
import { isoTime, Status, VersionedPayload } from '../../notifications/notification';
import { Notifier } from '../../notifications/notifier';
import { parseJsonColumn } from '../node.mapper';
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

  /**
   * Ironic's NodePayload 1.16 with the event's own field. What ironvol does
   * not model has the value a node enrolled in Ironic with the same fields
   * would have: no steps, no traits, not protected nor retired, the default
   * conductor group, and no hardware interface but the power one.
   */
  private payload(node: NodeRow, name: string, own: Record<string, string | null>): VersionedPayload {
    const data: Record<string, unknown> = {
      uuid: node.uuid,
      name: node.name,
      driver: node.driver,
      description: node.description,
      owner: node.owner,
      lessee: node.lessee,
      instance_uuid: node.instance_uuid,
      resource_class: node.resource_class,
      power_state: node.power_state,
      target_power_state: node.target_power_state,
      provision_state: node.provision_state,
      target_provision_state: node.target_provision_state,
      provision_updated_at: isoTime(node.provision_updated_at),
      maintenance: Boolean(node.maintenance),
      maintenance_reason: node.maintenance_reason,
      last_error: node.last_error,
      fault: null,
      properties: parseJsonColumn(node.properties),
      extra: parseJsonColumn(node.extra),
      console_enabled: false,
      clean_step: {},
      deploy_step: {},
      conductor_group: '',
      protected: false,
      protected_reason: null,
      retired: false,
      retired_reason: null,
      boot_mode: null,
      secure_boot: null,
      inspection_started_at: null,
      inspection_finished_at: null,
      traits: [],
      ...Object.fromEntries(UNMODELLED_INTERFACES.map((field) => [field, null])),
      power_interface: this.drivers.get(node.driver)?.powerInterface ?? null,
      boot_interface: node.boot_interface,
      deploy_interface: node.deploy_interface,
      storage_interface: node.storage_interface,
      created_at: isoTime(node.created_at),
      updated_at: isoTime(node.updated_at),
      ...own,
    };
    return { 'ironic_object.name': name, 'ironic_object.namespace': 'ironic', 'ironic_object.version': '1.16', 'ironic_object.data': data };
  }
}

const UNMODELLED_INTERFACES = [
  'bios_interface', 'console_interface', 'inspect_interface', 'management_interface', 'network_interface', 'raid_interface',
  'rescue_interface', 'vendor_interface',
];
