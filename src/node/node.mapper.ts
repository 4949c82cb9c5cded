import type { DriverNode } from './power/power-driver';
import type { NodeRow } from './node.repository';
import { links } from '../common/http/links';
import { atLeast, MINOR_12_RAID_CONFIG } from '../common/microversion/microversion';
import { nodeFieldVisibleAt } from '../common/microversion/versioned-fields';
import { maskSecrets } from '../auth/secrets';

/** Every field of a node body, in the order Ironic writes them. */
export const NODE_FIELDS = [
  'uuid', 'created_at', 'updated_at', 'boot_interface', 'console_enabled', 'deploy_interface', 'description', 'driver',
  'driver_info', 'extra', 'instance_info', 'instance_uuid', 'last_error', 'lessee', 'maintenance', 'maintenance_reason',
  'name', 'owner', 'power_state', 'properties', 'provision_state', 'provision_updated_at', 'reservation', 'resource_class',
  'storage_interface', 'target_power_state', 'target_provision_state', 'links', 'chassis_uuid', 'states', 'volume',
] as const;

/** The fields of GET /v1/nodes without ?detail or ?fields (ironic/api/controllers/v1/node.py). */
export const NODE_DEFAULT_FIELDS = ['instance_uuid', 'maintenance', 'power_state', 'provision_state', 'uuid', 'name'];

export function parseJsonColumn(text: string | null): Record<string, unknown> {
  if (!text) return {};
  return JSON.parse(text) as Record<string, unknown>;
}

/** The API view of a node: only the fields asked for (all when null), only those its version knows. */
export function toNodeView(
  row: NodeRow,
  base: string,
  minor: number,
  fields: readonly string[] | null,
): Record<string, unknown> {
  const path = `nodes/${row.uuid}`;
  const all: Record<string, () => unknown> = {
    uuid: () => row.uuid,
    created_at: () => row.created_at,
    updated_at: () => row.updated_at,
    console_enabled: () => false,
    description: () => row.description,
    driver: () => row.driver,
    // Ironic answers these with secrets masked, to every caller (the driver reads them, people need not).
    driver_info: () => maskSecrets(parseJsonColumn(row.driver_info)),
    extra: () => parseJsonColumn(row.extra),
    instance_info: () => maskSecrets(parseJsonColumn(row.instance_info)),
    instance_uuid: () => row.instance_uuid,
    last_error: () => row.last_error,
    lessee: () => row.lessee,
    maintenance: () => Boolean(row.maintenance),
    maintenance_reason: () => row.maintenance_reason,
    name: () => row.name,
    owner: () => row.owner,
    power_state: () => row.power_state,
    properties: () => parseJsonColumn(row.properties),
    provision_state: () => row.provision_state,
    provision_updated_at: () => row.provision_updated_at,
    reservation: () => row.reservation,
    boot_interface: () => row.boot_interface,
    deploy_interface: () => row.deploy_interface,
    storage_interface: () => row.storage_interface,
    resource_class: () => row.resource_class,
    target_power_state: () => row.target_power_state,
    target_provision_state: () => row.target_provision_state,
    links: () => links(base, path),
    chassis_uuid: () => null,
    states: () => links(base, `${path}/states`),
    volume: () => links(base, `${path}/volume`),
  };
  const wanted = fields ? new Set([...fields, 'links']) : null;
  const view: Record<string, unknown> = {};
  for (const field of NODE_FIELDS) {
    if (wanted && !wanted.has(field)) continue;
    if (!nodeFieldVisibleAt(field, minor)) continue;
    view[field] = all[field]();
  }
  return view;
}

export function toNodeStates(row: NodeRow, minor: number): Record<string, unknown> {
  return {
    console_enabled: false,
    last_error: row.last_error,
    power_state: row.power_state,
    provision_state: row.provision_state,
    target_power_state: row.target_power_state,
    target_provision_state: row.target_provision_state,
    provision_updated_at: row.provision_updated_at,
    // RAID configuration appears from 1.12, as in Ironic.
    ...(atLeast(minor, MINOR_12_RAID_CONFIG) ? { raid_config: {}, target_raid_config: {} } : {}),
  };
}

/** What a power driver is given of a node row. */
export function driverNode(row: Pick<NodeRow, 'uuid' | 'power_state' | 'driver_info'>): DriverNode {
  return { uuid: row.uuid, power_state: row.power_state, driver_info: parseJsonColumn(row.driver_info) };
}
