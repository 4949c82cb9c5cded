import {
  MINOR_12_RAID_CONFIG,
  MINOR_14_NODE_STATES_LINK,
  MINOR_20_NETWORK_INTERFACE,
  MINOR_21_RESOURCE_CLASS,
  MINOR_31_DYNAMIC_INTERFACES,
  MINOR_32_VOLUME,
  MINOR_33_STORAGE_INTERFACE,
  MINOR_37_NODE_TRAITS,
  MINOR_38_RESCUE_INTERFACE,
  MINOR_3_DRIVER_INTERNAL_INFO,
  MINOR_40_BIOS_INTERFACE,
  MINOR_42_FAULT,
  MINOR_44_NODE_DEPLOY_STEP,
  MINOR_46_NODE_CONDUCTOR_GROUP,
  MINOR_47_NODE_AUTOMATED_CLEAN,
  MINOR_48_NODE_PROTECTED,
  MINOR_49_CONDUCTORS,
  MINOR_50_NODE_OWNER,
  MINOR_51_NODE_DESCRIPTION,
  MINOR_52_ALLOCATION,
  MINOR_54_EVENTS,
  MINOR_5_NODE_NAME,
  MINOR_61_NODE_RETIRED,
  MINOR_65_NODE_LESSEE,
  MINOR_66_NODE_NETWORK_DATA,
  MINOR_6_INSPECT_STATE,
  MINOR_75_NODE_BOOT_MODE,
  MINOR_7_NODE_CLEAN,
  MINOR_82_NODE_SHARD,
} from './microversion';

/**
 * The microversion each node field appeared in (Ironic's VERSIONED_FIELDS,
 * ironic/api/controllers/v1/utils.py): a node body shows a field only from
 * it, and asking for the field (?fields=, ?sort_key=, a PATCH path) with an
 * older version is refused with 406.
 */
export const NODE_FIELD_VERSIONS: Readonly<Record<string, number>> = {
  driver_internal_info: MINOR_3_DRIVER_INTERNAL_INFO,
  name: MINOR_5_NODE_NAME,
  inspection_finished_at: MINOR_6_INSPECT_STATE,
  inspection_started_at: MINOR_6_INSPECT_STATE,
  clean_step: MINOR_7_NODE_CLEAN,
  raid_config: MINOR_12_RAID_CONFIG,
  target_raid_config: MINOR_12_RAID_CONFIG,
  network_interface: MINOR_20_NETWORK_INTERFACE,
  resource_class: MINOR_21_RESOURCE_CLASS,
  boot_interface: MINOR_31_DYNAMIC_INTERFACES,
  console_interface: MINOR_31_DYNAMIC_INTERFACES,
  deploy_interface: MINOR_31_DYNAMIC_INTERFACES,
  inspect_interface: MINOR_31_DYNAMIC_INTERFACES,
  management_interface: MINOR_31_DYNAMIC_INTERFACES,
  power_interface: MINOR_31_DYNAMIC_INTERFACES,
  raid_interface: MINOR_31_DYNAMIC_INTERFACES,
  vendor_interface: MINOR_31_DYNAMIC_INTERFACES,
  storage_interface: MINOR_33_STORAGE_INTERFACE,
  traits: MINOR_37_NODE_TRAITS,
  rescue_interface: MINOR_38_RESCUE_INTERFACE,
  bios_interface: MINOR_40_BIOS_INTERFACE,
  fault: MINOR_42_FAULT,
  deploy_step: MINOR_44_NODE_DEPLOY_STEP,
  conductor_group: MINOR_46_NODE_CONDUCTOR_GROUP,
  automated_clean: MINOR_47_NODE_AUTOMATED_CLEAN,
  protected: MINOR_48_NODE_PROTECTED,
  protected_reason: MINOR_48_NODE_PROTECTED,
  conductor: MINOR_49_CONDUCTORS,
  owner: MINOR_50_NODE_OWNER,
  description: MINOR_51_NODE_DESCRIPTION,
  allocation_uuid: MINOR_52_ALLOCATION,
  events: MINOR_54_EVENTS,
  retired: MINOR_61_NODE_RETIRED,
  retired_reason: MINOR_61_NODE_RETIRED,
  lessee: MINOR_65_NODE_LESSEE,
  network_data: MINOR_66_NODE_NETWORK_DATA,
  boot_mode: MINOR_75_NODE_BOOT_MODE,
  secure_boot: MINOR_75_NODE_BOOT_MODE,
  shard: MINOR_82_NODE_SHARD,
};

/**
 * Links of a node body that appear from a version but are not among
 * Ironic's versioned fields: they are hidden before it, and asking for
 * them earlier is not refused.
 */
const NODE_LINK_VERSIONS: Readonly<Record<string, number>> = {
  states: MINOR_14_NODE_STATES_LINK,
  volume: MINOR_32_VOLUME,
};

/** Whether a node field (or a name asked for) is newer than the request: Ironic answers 406. */
export const isNewerThan = (field: string, minor: number): boolean => (NODE_FIELD_VERSIONS[field] ?? 0) > minor;

/** Whether a node body at this version shows the field. */
export const nodeFieldVisibleAt = (field: string, minor: number): boolean =>
  minor >= (NODE_FIELD_VERSIONS[field] ?? NODE_LINK_VERSIONS[field] ?? 0);
