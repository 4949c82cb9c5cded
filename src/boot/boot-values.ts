/**
 * The values a boot script is written from, each checked before it is
 * written into one. iPXE reads a script line by line, splits a command's
 * arguments at blanks, expands ${...} anywhere, and treats ||, && and a
 * leading colon specially: a value is accepted only when it holds none of
 * these, so no record can add a command to a script (Ironic writes target
 * properties into its script as they are: a newline in target_iqn adds
 * any command after it).
 */

/** A value that cannot go into a boot script, and why, naming the field. */
export class BootValueError extends Error {}

const LABEL = '[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?';
/** RFC 3720's iqn names: iqn.<yyyy-mm>.<reversed domain>[:<anything iSCSI allows, lower case>]. */
const IQN_RE = new RegExp(`^iqn\\.\\d{4}-(0[1-9]|1[0-2])\\.${LABEL}(\\.${LABEL})*(:[a-z0-9.:-]+)?$`);
/** eui and naa names: 16 (naa: or 32) hex digits. */
const EUI_RE = /^(eui\.[0-9A-F]{16}|naa\.[0-9A-F]{16}([0-9A-F]{16})?)$/;
const HOSTNAME_RE = new RegExp(`^${LABEL}(\\.${LABEL})*$`, 'i');
const IPV4_RE = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6_RE = /^[0-9a-f:]+(\.\d+\.\d+\.\d+\.\d+)?$/i;
/** What a CHAP name or secret may hold: printable ASCII without blanks, quotes, `$ { } | & ; # \` and the like. */
const CHAP_RE = /^[A-Za-z0-9._~+\-=@%,:/!*^?[\]()<>]{1,255}$/;
const MAC_RE = /^[0-9a-f]{2}([:-][0-9a-f]{2}){5}$/i;
const MAX_NAME = 223;
/** The highest LUN of SAM's flat addressing, which iSCSI targets use. */
export const MAX_LUN = 16383;

/** An iSCSI name (iqn., eui. or naa.), as RFC 3720 and 3980 spell them. */
export function iscsiName(field: string, value: unknown): string {
  if (typeof value !== 'string' || value.length > MAX_NAME || !(IQN_RE.test(value) || EUI_RE.test(value))) {
    throw new BootValueError(`${field} must be an iSCSI name (iqn.yyyy-mm.reversed.domain[:id], eui. or naa. and hex digits), got ${describe(value)}`);
  }
  return value;
}

export interface Portal {
  /** As iPXE's iscsi: URI takes it: an IPv6 address in brackets. */
  host: string;
  port: number;
}

/** host[:port] (an IPv6 address in brackets when a port follows); the port is 3260 when none is given. */
export function portal(field: string, value: unknown): Portal {
  const refuse = () => new BootValueError(`${field} must be host[:port] (an IPv4 address, [IPv6 address] or DNS name; port 1-65535), got ${describe(value)}`);
  if (typeof value !== 'string') throw refuse();
  const match = /^(\[([^\]]+)\]|[^:[\]]+|[0-9a-f:]+)(?::(\d{1,5}))?$/i.exec(value);
  const bracketed = match?.[2];
  const bare = match?.[1];
  let host: string;
  let port = match?.[3] ? Number(match[3]) : 3260;
  if (!match) {
    throw refuse();
  } else if (bracketed !== undefined) {
    if (!IPV6_RE.test(bracketed) || !bracketed.includes(':')) throw refuse();
    host = `[${bracketed.toLowerCase()}]`;
  } else if (bare!.includes(':')) {
    // An IPv6 address without brackets names no port: the whole value is the address.
    if (!IPV6_RE.test(value)) throw refuse();
    host = `[${value.toLowerCase()}]`;
    port = 3260;
  } else if (IPV4_RE.test(bare!) || (HOSTNAME_RE.test(bare!) && !/^\d+(\.\d+)*$/.test(bare!))) {
    host = bare!.toLowerCase();
  } else {
    throw refuse();
  }
  if (port < 1 || port > 65535) throw refuse();
  return { host, port };
}

/** A LUN: an integer (or its decimal string, as Cinder writes it) from 0 to MAX_LUN. */
export function lun(field: string, value: unknown): number {
  const number = typeof value === 'number' ? value : typeof value === 'string' && /^\d{1,5}$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(number) || number < 0 || number > MAX_LUN) {
    throw new BootValueError(`${field} must be an integer from 0 to ${MAX_LUN}, got ${describe(value)}`);
  }
  return number;
}

export interface Chap {
  username: string;
  password: string;
}

/** CHAP credentials: both or neither, each of characters a script can carry. The secret is never shown. */
export function chap(fields: { username: string; password: string }, username: unknown, password: unknown): Chap | null {
  if ((username === undefined || username === null) && (password === undefined || password === null)) return null;
  if (username === undefined || username === null || password === undefined || password === null) {
    throw new BootValueError(`${fields.username} and ${fields.password} must be given together (CHAP), or neither`);
  }
  if (typeof username !== 'string' || !CHAP_RE.test(username)) {
    throw new BootValueError(`${fields.username} must be 1 to 255 printable characters without blanks, quotes or any of $ { } | & ; # \\, got ${describe(username)}`);
  }
  if (typeof password !== 'string' || !CHAP_RE.test(password)) {
    throw new BootValueError(`${fields.password} must be 1 to 255 printable characters without blanks, quotes or any of $ { } | & ; # \\ (not shown)`);
  }
  return { username, password };
}

/** A MAC address, lower case with colons. */
export function mac(field: string, value: unknown): string {
  if (typeof value !== 'string' || !MAC_RE.test(value)) throw new BootValueError(`${field} must be a MAC address (aa:bb:cc:dd:ee:ff), got ${describe(value)}`);
  return value.toLowerCase().replace(/-/g, ':');
}

/** How a refused value is named in a message: quoted, control characters escaped, shortened. */
function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
