import { InvalidUuid } from '../errors/ironic-errors';

const UUID_RE = /^\{?(?:urn:uuid:)?([0-9a-f]{8})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{12})\}?$/i;

/**
 * The canonical (lower-case, dashed) form of a UUID, or null. Accepts what
 * oslo's uuidutils.is_uuid_like accepts: any case, with or without dashes.
 */
export function canonicalUuid(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 45) return null;
  const m = UUID_RE.exec(value);
  return m ? `${m[1]}-${m[2]}-${m[3]}-${m[4]}-${m[5]}`.toLowerCase() : null;
}

export const isUuidLike = (value: unknown): value is string => canonicalUuid(value) !== null;

/** The canonical UUID, or Ironic's 400 "Expected UUID for <field>: <value>". */
export function requireUuid(value: unknown, field: string): string {
  const uuid = canonicalUuid(value);
  if (uuid === null) throw InvalidUuid(field, value);
  return uuid;
}

/** Node names as Ironic accepts them since 1.10: RFC 3986 unreserved characters. */
export const NODE_NAME_RE = /^[a-zA-Z0-9\-._~]{1,255}$/;
