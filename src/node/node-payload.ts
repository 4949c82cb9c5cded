import { isoTime, VersionedPayload } from '../notifications/notification';
import { parseJsonColumn } from './node.mapper';
import type { NodeRow } from './node.repository';

const UNMODELLED_INTERFACES = [
  'bios_interface', 'console_interface', 'inspect_interface', 'management_interface', 'network_interface', 'raid_interface',
  'rescue_interface', 'vendor_interface',
];

/**
 * The fields of Ironic's NodePayload 1.16, which every node event carries.
 * What ironvol does not model has the value a node enrolled in Ironic with
 * the same fields would have: no steps, no traits, not protected nor
 * retired, the default conductor group, and no hardware interface but the
 * power, boot, deploy and storage ones.
 */
export function nodePayloadData(node: NodeRow, powerInterface: string | null): Record<string, unknown> {
  return {
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
    power_interface: powerInterface,
    boot_interface: node.boot_interface,
    deploy_interface: node.deploy_interface,
    storage_interface: node.storage_interface,
    created_at: isoTime(node.created_at),
    updated_at: isoTime(node.updated_at),
  };
}

/** A node payload as oslo.versionedobjects writes it: the node's fields, then the event's own. */
export function nodePayload(name: string, version: string, data: Record<string, unknown>, own: Record<string, unknown>): VersionedPayload {
  return { 'ironic_object.name': name, 'ironic_object.namespace': 'ironic', 'ironic_object.version': version, 'ironic_object.data': { ...data, ...own } };
}
