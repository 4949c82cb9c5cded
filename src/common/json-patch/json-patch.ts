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
  // Every error, in the order jsonschema finds them: per item, its type, its members (path, then op),
  // unexpected members, missing members.
  const errors: { depth: number; typeError: boolean; message: string }[] = [];
  const add = (depth: number, typeError: boolean, message: string) => errors.push({ depth, typeError, message });
  for (const item of patch) {
    if (!isPlainObject(item)) {
      add(1, true, `${pyRepr(item)} is not of type 'object'`);
      continue;
    }
    if (item.path !== undefined && typeof item.path !== 'string') add(2, true, `${pyRepr(item.path)} is not of type 'string'`);
    else if (typeof item.path === 'string' && !PATH_PATTERN.test(item.path)) add(2, false, `${pyRepr(item.path)} does not match ${PATH_PATTERN_TEXT}`);
    if (item.op !== undefined && typeof item.op !== 'string') add(2, true, `${pyRepr(item.op)} is not of type 'string'`);
    if (item.op !== undefined && !(PATCH_OPS as readonly unknown[]).includes(item.op)) {
      add(2, false, `${pyRepr(item.op)} is not one of ${pyRepr([...PATCH_OPS])}`);
    }
    const unexpected = Object.keys(item).filter((k) => !OP_MEMBERS.includes(k));
    if (unexpected.length) {
      const verb = unexpected.length === 1 ? 'was' : 'were';
      add(1, false, `Additional properties are not allowed (${unexpected.map((k) => pyRepr(k)).join(', ')} ${verb} unexpected)`);
    }
    for (const required of ['op', 'path']) {
      if (item[required] === undefined) add(1, false, `'${required}' is a required property`);
    }
  }
  // jsonschema's best_match: the least deep error, a wrong type before other errors, else the first found.
  let best: (typeof errors)[number] | undefined;
  for (const error of errors) {
    if (!best || error.depth < best.depth || (error.depth === best.depth && error.typeError && !best.typeError)) best = error;
  }
  if (best) throw schemaError(best.message);
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
      throw invalid(`Couldn't apply patch '${pyRepr(op)}'. Reason: ${reason(result, op, error)}`);
    }
  }
  return result;
}

/**
 * Why an operation could not be applied, in the words of Python's jsonpatch
 * and jsonpointer, which Ironic reports: the pointer is walked as jsonpointer
 * walks it (a string counts as a sequence there), and the last step judged
 * as jsonpatch judges it.
 */
/** jsonpointer's refusal to walk into a scalar, which names the scalar's Python type. */
function notIndexable(container: unknown): string {
  const type = container === null ? 'NoneType' : typeof container === 'boolean' ? 'bool' : Number.isInteger(container) ? 'int' : 'float';
  return `Document '<class '${type}'>' does not support indexing, must be mapping/sequence or support __getitem__`;
}

function reason(doc: unknown, op: PatchOp, error: unknown): string {
  if (!(error instanceof JsonPatchError)) return (error as Error).message;
  const parts = op.path.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  const last = parts.pop()!;
  let container: unknown = doc;
  for (const part of parts) {
    if (isPlainObject(container)) {
      if (!(part in container)) return `member ${pyRepr(part)} not found in ${pyRepr(container)}`;
      container = container[part];
    } else if (Array.isArray(container) || typeof container === 'string') {
      if (!/^(0|[1-9][0-9]*)$/.test(part)) return `${pyRepr(part)} is not a valid sequence index`;
      if (Number(part) >= container.length) return `index ${pyRepr(part)} is out of bounds`;
      container = container[Number(part)];
    } else {
      return notIndexable(container);
    }
  }
  if (Array.isArray(container) || typeof container === 'string') {
    if (last !== '-' && !/^(0|[1-9][0-9]*)$/.test(last)) return `${pyRepr(last)} is not a valid sequence index`;
    const index = Number(last);
    if (op.op === 'add') return "can't insert outside of list";
    if (op.op === 'replace') return "can't replace outside of list";
    return `can't remove a non-existent object ${pyRepr(Number.isNaN(index) ? last : String(index))}`;
  }
  if (isPlainObject(container)) return `can't ${op.op} a non-existent object ${pyRepr(last)}`;
  return notIndexable(container);
}
