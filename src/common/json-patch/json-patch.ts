import { applyOperation, deepClone, JsonPatchError, Operation } from 'fast-json-patch';
import { invalid } from '../errors/ironic-errors';
import { isPlainObject } from '../validation/schema';
import { pyRepr } from '../validation/py-repr';

export type PatchOp = { op: 'add' | 'replace' | 'remove'; path: string; value?: unknown };

export const PATCH_OPS = ['add', 'replace', 'remove'] as const;
/** Ironic's path pattern (ironic/api/controllers/v1/utils.py, PATCH_SCHEMA); \w is Unicode-aware in Python. */
const PATH_PATTERN = /^(\/[\p{L}\p{N}\p{Mn}\p{Pc}_-]+)+$/u;
const PATH_PATTERN_TEXT = "'^(/[\\\\w-]+)+$'";
const OP_MEMBERS = ['path', 'op', 'value'];

const schemaError = (message: string) => invalid(`Schema error for patch: ${message}`);

/**
 * Checks a JSON Patch document against Ironic's schema: an array of
 * {op, path, value} with op one of add, replace, remove (no move, copy or
 * test), reporting the error Python's jsonschema would report first.
 */
export function validatePatchDocument(patch: unknown): PatchOp[] {
  if (!Array.isArray(patch)) throw schemaError(`${pyRepr(patch)} is not of type 'array'`);
  for (const item of patch) {
    if (!isPlainObject(item)) throw schemaError(`${pyRepr(item)} is not of type 'object'`);
    for (const required of ['op', 'path']) {
      if (item[required] === undefined) throw schemaError(`'${required}' is a required property`);
    }
    const unexpected = Object.keys(item).filter((k) => !OP_MEMBERS.includes(k));
    if (unexpected.length) {
      const verb = unexpected.length === 1 ? 'was' : 'were';
      throw schemaError(
        `Additional properties are not allowed (${unexpected.map((k) => pyRepr(k)).join(', ')} ${verb} unexpected)`,
      );
    }
    if (typeof item.path !== 'string') throw schemaError(`${pyRepr(item.path)} is not of type 'string'`);
    if (!PATH_PATTERN.test(item.path)) throw schemaError(`${pyRepr(item.path)} does not match ${PATH_PATTERN_TEXT}`);
    if (typeof item.op !== 'string') throw schemaError(`${pyRepr(item.op)} is not of type 'string'`);
    if (!(PATCH_OPS as readonly string[]).includes(item.op)) {
      throw schemaError(`${pyRepr(item.op)} is not one of ${pyRepr([...PATCH_OPS])}`);
    }
  }
  return patch as PatchOp[];
}

/** The top-level fields a patch touches, refusing any Ironic does not let a client change. */
export function assertPatchable(patch: PatchOp[], allowed: readonly string[]): Set<string> {
  const touched = new Set<string>();
  for (const op of patch) {
    const field = op.path.split('/')[1];
    if (!allowed.includes(field)) {
      throw invalid(`Cannot patch ${op.path}. Only the following can be updated: ${allowed.join(', ')}`);
    }
    touched.add(field);
  }
  return touched;
}

/** Values a patch writes at exactly this path (e.g. every new /node_uuid). */
export function patchValues(patch: PatchOp[], path: string): unknown[] {
  return patch.filter((op) => op.path === path && op.op !== 'remove').map((op) => op.value);
}

/**
 * Applies a validated patch to a copy of doc, one operation at a time as
 * Ironic does, so a failure names the operation that failed. Neither doc nor
 * the patch is changed: each operation's value is copied before it goes into
 * the result, so a later operation on a deeper path cannot reach back into
 * the request body, and the same patch always gives the same result.
 */
export function applyPatch<T extends Record<string, unknown>>(doc: T, patch: PatchOp[]): T {
  for (const op of patch) {
    if (op.op === 'add' && op.path.split('/').length === 2 && !(op.path.slice(1) in doc)) {
      throw invalid(`Adding a new attribute (${op.path}) to the root of the resource is not allowed`);
    }
  }
  let result = deepClone(doc) as T;
  for (const op of patch) {
    try {
      if (op.op !== 'remove' && !('value' in op)) throw new Error("The operation does not contain a 'value' member");
      result = applyOperation(result, deepClone(op) as Operation, true, true, true).newDocument as T;
    } catch (error) {
      throw invalid(`Couldn't apply patch '${pyRepr(op)}'. Reason: ${reason(op, error)}`);
    }
  }
  return result;
}

function reason(op: PatchOp, error: unknown): string {
  const last = op.path.split('/').pop();
  if (error instanceof JsonPatchError) {
    if (error.name === 'OPERATION_PATH_UNRESOLVABLE') {
      if (op.op === 'remove' || op.op === 'replace') return `can't ${op.op} a non-existent object '${last}'`;
      return `member '${op.path.split('/').slice(-2, -1)[0]}' not found`;
    }
    if (error.name === 'OPERATION_PATH_ILLEGAL_ARRAY_INDEX' || error.name === 'OPERATION_VALUE_OUT_OF_BOUNDS') {
      return `invalid array index '${last}'`;
    }
    if (error.name === 'OPERATION_PATH_CANNOT_ADD') return `can't add to a non-container at '${op.path}'`;
    return error.message.split('\n')[0];
  }
  return (error as Error).message;
}
