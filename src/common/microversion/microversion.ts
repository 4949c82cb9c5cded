import { invalid, NotAcceptable } from '../errors/ironic-errors';

/** API minor versions that change what this service does (names as in ironic/api/controllers/v1/versions.py). */
export const MINOR_1_INITIAL_VERSION = 1;
export const MINOR_3_DRIVER_INTERNAL_INFO = 3;
export const MINOR_5_NODE_NAME = 5;
export const MINOR_6_INSPECT_STATE = 6;
export const MINOR_7_NODE_CLEAN = 7;
export const MINOR_8_FETCHING_SUBSET_OF_FIELDS = 8;
export const MINOR_9_PROVISION_STATE_FILTER = 9;
export const MINOR_12_RAID_CONFIG = 12;
export const MINOR_14_NODE_STATES_LINK = 14;
export const MINOR_16_DRIVER_FILTER = 16;
export const MINOR_20_NETWORK_INTERFACE = 20;
export const MINOR_21_RESOURCE_CLASS = 21;
export const MINOR_27_SOFT_POWER_OFF = 27;
export const MINOR_31_DYNAMIC_INTERFACES = 31;
export const MINOR_32_VOLUME = 32;
export const MINOR_33_STORAGE_INTERFACE = 33;
export const MINOR_37_NODE_TRAITS = 37;
export const MINOR_38_RESCUE_INTERFACE = 38;
export const MINOR_40_BIOS_INTERFACE = 40;
export const MINOR_42_FAULT = 42;
export const MINOR_43_ENABLE_DETAIL_QUERY = 43;
export const MINOR_44_NODE_DEPLOY_STEP = 44;
export const MINOR_46_NODE_CONDUCTOR_GROUP = 46;
export const MINOR_47_NODE_AUTOMATED_CLEAN = 47;
export const MINOR_48_NODE_PROTECTED = 48;
export const MINOR_49_CONDUCTORS = 49;
export const MINOR_50_NODE_OWNER = 50;
export const MINOR_51_NODE_DESCRIPTION = 51;
export const MINOR_52_ALLOCATION = 52;
export const MINOR_54_EVENTS = 54;
export const MINOR_61_NODE_RETIRED = 61;
export const MINOR_65_NODE_LESSEE = 65;
export const MINOR_66_NODE_NETWORK_DATA = 66;
export const MINOR_75_NODE_BOOT_MODE = 75;
export const MINOR_82_NODE_SHARD = 82;
/** The newest version of Ironic 21.4, the release this service answers like. */
export const MINOR_MAX_VERSION = 82;

export const MIN_VERSION_STRING = `1.${MINOR_1_INITIAL_VERSION}`;
export const MAX_VERSION_STRING = `1.${MINOR_MAX_VERSION}`;

export const VERSION_HEADER = 'X-OpenStack-Ironic-API-Version';
export const MIN_VERSION_HEADER = 'X-OpenStack-Ironic-API-Minimum-Version';
export const MAX_VERSION_HEADER = 'X-OpenStack-Ironic-API-Maximum-Version';

const RANGE = `The supported version range is: [${MIN_VERSION_STRING}, ${MAX_VERSION_STRING}].`;

function requestedVersion(headers: Record<string, string | string[] | undefined>): string | undefined {
  const own = headers['x-openstack-ironic-api-version'];
  if (typeof own === 'string') return own.trim();
  if (own !== undefined) return own.join(',').trim();
  // The generic form microversion-parse also reads: "OpenStack-API-Version: baremetal 1.32".
  const generic = [headers['openstack-api-version'] ?? []].flat().join(',');
  const match = /(?:^|,)\s*baremetal\s+(\S+)\s*(?:,|$)/i.exec(generic);
  return match?.[1];
}

/**
 * Negotiates the minor version of a /v1 request: absent means the minimum,
 * "latest" the maximum; a malformed value is a 400, an unsupported one a 406
 * worded as ironic/api/controllers/v1/__init__.py words it.
 */
export function negotiateMinorVersion(headers: Record<string, string | string[] | undefined>): number {
  const raw = requestedVersion(headers);
  if (raw === undefined) return MINOR_1_INITIAL_VERSION;
  if (raw.toLowerCase() === 'latest') return MINOR_MAX_VERSION;
  const match = /^(\d{1,9})\.(\d{1,9})$/.exec(raw);
  if (!match) {
    throw invalid(`Invalid value for ${VERSION_HEADER} header: "${raw.slice(0, 64)}". Expected "1.<minor>" or "latest".`);
  }
  const major = Number(match[1]);
  const minor = Number(match[2]);
  const shown = `${major}.${minor}`;
  if (major !== 1) {
    throw NotAcceptable(`Mutually exclusive versions requested. Version ${shown} requested but not supported by this service. ${RANGE}`);
  }
  if (minor < MINOR_1_INITIAL_VERSION || minor > MINOR_MAX_VERSION) {
    throw NotAcceptable(`Version ${shown} was requested but the minor version is not supported by this service. ${RANGE}`);
  }
  return minor;
}

/** Whether the request's version is at least the one named (a MINOR_* constant). */
export const atLeast = (minor: number, since: number): boolean => minor >= since;

export const formatVersion = (minor: number) => `1.${minor}`;
