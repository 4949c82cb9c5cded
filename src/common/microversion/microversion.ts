import { invalid, NotAcceptable } from '../errors/ironic-errors';

/** API minor versions that change what this service does (names as in ironic/api/controllers/v1/versions.py). */
export const MINOR_1_INITIAL_VERSION = 1;
export const MINOR_5_NODE_NAME = 5;
export const MINOR_12_RAID_CONFIG = 12;
export const MINOR_14_NODE_STATES_LINK = 14;
export const MINOR_21_RESOURCE_CLASS = 21;
export const MINOR_27_SOFT_POWER_OFF = 27;
export const MINOR_32_VOLUME = 32;
export const MINOR_50_NODE_OWNER = 50;
export const MINOR_51_NODE_DESCRIPTION = 51;
export const MINOR_65_NODE_LESSEE = 65;
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
  if (own !== undefined) return [own].flat().join(',').trim();
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

export const formatVersion = (minor: number) => `1.${minor}`;
