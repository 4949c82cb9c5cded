import { randomUUID } from 'node:crypto';
import { invalid } from '../common/errors/ironic-errors';
import { assertInterfaceChangeAllowed, HardwareInterfaces, INTERFACE_KINDS, interfaceField } from './hardware/hardware-interfaces';
import { parseBoolean } from '../common/collection/query-args';
import { applyPatch, PatchOp } from '../common/json-patch/json-patch';
import { pyStr } from '../common/validation/py-repr';
import { pythonInt } from '../common/validation/python-int';
import { validateSchema } from '../common/validation/schema';
import { canonicalUuid, NODE_NAME_RE } from '../common/validation/uuid';
import { CreateNodeDto } from './dto/node.dto';
import type { NodeChange, NodeRow } from './node.repository';
import { parseJsonColumn } from './node.mapper';

/** Fields a node PATCH may change (a subset of Ironic's PATCH_ALLOWED_FIELDS for nodes). */
export const NODE_PATCHABLE = [
  'boot_interface', 'deploy_interface', 'description', 'driver', 'driver_info', 'extra', 'instance_info', 'instance_uuid',
  'lessee', 'maintenance', 'maintenance_reason', 'name', 'owner', 'properties', 'resource_class', 'storage_interface',
];

/** The fields a client writes, each in the column of the same name. */
const WRITABLE = [
  ['driver', 'plain'],
  ['name', 'plain'],
  ['description', 'plain'],
  ['owner', 'plain'],
  ['lessee', 'plain'],
  ['resource_class', 'plain'],
  ['instance_uuid', 'plain'],
  ['maintenance', 'plain'],
  ['maintenance_reason', 'plain'],
  ['properties', 'json'],
  ['extra', 'json'],
  ['driver_info', 'json'],
  ['instance_info', 'json'],
  ['boot_interface', 'plain'],
  ['deploy_interface', 'plain'],
  ['storage_interface', 'plain'],
] as const satisfies ReadonlyArray<readonly [keyof CreateNodeDto & keyof NodeRow, 'json' | 'plain']>;
type WritableColumn = (typeof WRITABLE)[number][0];

/** What a node body must also be, beyond its schema: a driver this service has loaded, and interfaces it has. */
export interface Hardware {
  has(driver: string): boolean;
  interfaces: HardwareInterfaces;
}

/**
 * A node body as Ironic takes it on create: the schema, the driver, the
 * name and the integer properties; answered with the node's UUID (given,
 * or new) and the columns that hold the body.
 */
export function nodeOfCreate(body: unknown, hardware: Hardware): { uuid: string; name: string | null; columns: NodeChange } {
  const dto = validateSchema(CreateNodeDto, body, 'node');
  const uuid = canonicalUuid(dto.uuid) ?? randomUUID();
  checkNode(dto, uuid, hardware);
  return { uuid, name: dto.name ?? null, columns: columnsOf(dto, hardware) as NodeChange };
}

/** The writable columns of a node after the patch, validated as a create would be. */
export function patchedNodeColumns(current: NodeRow, patch: PatchOp[], hardware: Hardware): NodeChange {
  const doc: Record<string, unknown> = {};
  for (const [field, kind] of WRITABLE) {
    const value = current[field];
    doc[field] = kind === 'json' ? parseJsonColumn(value as string) : field === 'maintenance' ? Boolean(value) : value;
  }
  const patched = applyPatch(doc, patch);
  for (const key of Object.keys(patched)) if (patched[key] === undefined) delete patched[key];
  // Removing maintenance leaves Ironic's node with None, which it cannot store.
  if (!('maintenance' in patched)) patched.maintenance = null;
  const dto = validateSchema(CreateNodeDto, patched, 'patch');
  checkNode(dto, current.uuid, hardware);
  const columns = columnsOf(dto, hardware);
  for (const kind of INTERFACE_KINDS) {
    const field = interfaceField(kind);
    if (columns[field] !== current[field]) assertInterfaceChangeAllowed(current, field);
  }
  return columns as NodeChange;
}

/** A validated node body as its columns hold it; an interface not named is the hardware type's default. */
function columnsOf(dto: CreateNodeDto, hardware: Hardware): Record<WritableColumn, unknown> {
  const columns = {} as Record<WritableColumn, unknown>;
  for (const [field, kind] of WRITABLE) {
    const value = dto[field];
    columns[field] = kind === 'json' ? JSON.stringify(value ?? {}) : field === 'maintenance' ? maintenanceValue(value) : (value ?? null);
  }
  if (dto.instance_uuid) columns.instance_uuid = canonicalUuid(dto.instance_uuid);
  for (const kind of INTERFACE_KINDS) {
    const named = dto[interfaceField(kind)];
    columns[interfaceField(kind)] = named == null ? hardware.interfaces.defaultFor(dto.driver, kind) : hardware.interfaces.check(dto.driver, kind, named);
  }
  return columns;
}

function checkNode(dto: CreateNodeDto, uuid: string, hardware: Hardware): void {
  if (!hardware.has(dto.driver)) {
    throw invalid(
      `No valid host was found. Reason: No conductor service registered which supports driver ${dto.driver} for conductor group "".`,
    );
  }
  if (dto.name !== undefined && dto.name !== null) assertNodeName(dto.name, `Cannot create node with invalid name '${dto.name}'`);
  assertIntegerProperties(uuid, dto.properties);
}

/** Words of the nodes API's own paths (/v1/nodes/detail, ...), which no node may be named. */
const RESERVED_NODE_NAMES = ['maintenance', 'management', 'states', 'vendor_passthru', 'detail', 'validate'];

/** Ironic's name checks: a logical name that is not a UUID (refused with `invalid`), and not a reserved word. */
export function assertNodeName(name: unknown, invalidMessage: string): void {
  if (typeof name !== 'string' || !NODE_NAME_RE.test(name) || canonicalUuid(name)) throw invalid(invalidMessage);
  if (RESERVED_NODE_NAMES.includes(name)) {
    throw invalid(`The word "${name}" is reserved and can not be used as a node name. Reserved words are: ${RESERVED_NODE_NAMES.join(', ')}.`);
  }
}

/** maintenance as Ironic reads it: a boolean, or a string read by oslo's strict bool_from_string; never None. */
function maintenanceValue(value: unknown): boolean {
  if (value === undefined) return false;
  if (value === null) throw invalid("Field `maintenance' cannot be None");
  return typeof value === 'string' ? parseBoolean(value, 'maintenance')! : Boolean(value);
}

/** Ironic's REQUIRED_INT_PROPERTIES: when given, each must be what Python's int() reads as a non-negative integer. */
const INTEGER_PROPERTIES = ['local_gb', 'cpus', 'memory_mb'];

function assertIntegerProperties(uuid: string, properties: Record<string, unknown> | null | undefined): void {
  const wrong = INTEGER_PROPERTIES.filter((name) => {
    const value = properties?.[name];
    if (value === undefined || value === null) return false;
    const number = pythonInt(value);
    return number === null || number < 0;
  }).map((name) => `${name}=${pyStr(properties![name])}`);
  if (wrong.length) {
    throw invalid(`The following properties for node ${uuid} should be non-negative integers, but provided values are: ${wrong.join(', ')}`);
  }
}
