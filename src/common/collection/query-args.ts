import { invalid } from '../errors/ironic-errors';
import { pyRepr } from '../validation/py-repr';
import { pythonInt } from '../validation/python-int';
import { canonicalUuid, NODE_NAME_RE } from '../validation/uuid';

/**
 * Query arguments as Ironic's @args.validate takes them
 * (ironic/common/args.py): a name the handler does not take is refused
 * ("Unexpected arguments: …"); the others are checked in the order the
 * handler declares them, each with its validator's wording. A parameter
 * given twice arrives as a list, which no validator accepts, and its
 * message quotes the list as Python prints it.
 */
export type QueryValue = string | string[];
export type Validator<T> = (name: string, value: QueryValue) => T;

/** How Python's str() shows a query value in a message. */
const show = (value: QueryValue) => (Array.isArray(value) ? pyRepr(value) : value);

export const stringArg: Validator<string> = (name, value) => {
  if (typeof value !== 'string') throw invalid(`Expected string for ${name}: ${show(value)}`);
  return value;
};

export const uuidArg: Validator<string> = (name, value) => {
  const uuid = typeof value === 'string' ? canonicalUuid(value) : null;
  if (!uuid) throw invalid(`Expected UUID for ${name}: ${show(value)}`);
  return uuid;
};

/** A UUID (canonical form) or a node name. */
export const uuidOrNameArg: Validator<string> = (name, value) => {
  const uuid = typeof value === 'string' ? canonicalUuid(value) : null;
  if (uuid) return uuid;
  if (typeof value !== 'string' || !NODE_NAME_RE.test(value)) throw invalid(`Expected UUID or name for ${name}: ${show(value)}`);
  return value;
};

/** Python's int(): surrounding blanks, a sign and digit-separating underscores are fine. */
export const integerArg: Validator<number> = (name, value) => {
  const number = typeof value === 'string' ? pythonInt(value) : null;
  if (number === null) throw invalid(`Expected an integer for ${name}: ${show(value)}`);
  return number;
};

/** Comma-separated names, lower-cased, blanks and repeats dropped, in order. */
export const stringListArg: Validator<string[]> = (name, value) => {
  const items: string[] = [];
  for (const item of stringArg(name, value).split(',')) {
    const normal = item.trim().toLowerCase();
    if (normal && !items.includes(normal)) items.push(normal);
  }
  return items;
};

export const booleanArg: Validator<boolean> = (name, value) => parseBoolean(show(value), name)!;

/** A parameter a handler takes without checking it (Ironic's `project` on lists). */
export const anyArg: Validator<QueryValue> = (_name, value) => value;

type Spec = Record<string, Validator<unknown>>;
type Parsed<S extends Spec> = { [K in keyof S]?: ReturnType<S[K]> };

/** The first check of every handler: no query argument it does not take. */
export function assertExpectedArgs(query: Record<string, unknown>, names: readonly string[]): void {
  const unexpected = Object.keys(query).filter((name) => !names.includes(name));
  if (unexpected.length) throw invalid(`Unexpected arguments: ${unexpected.join(', ')}`);
}

/** Checks the query against the handler's parameters, in their declared order (the spec's key order). */
export function validateArgs<S extends Spec>(query: Record<string, unknown>, spec: S): Parsed<S> {
  assertExpectedArgs(query, Object.keys(spec));
  return parseArgs(query, spec);
}

/** The arguments' values, once assertExpectedArgs has passed (handlers that check something in between). */
export function parseArgs<S extends Spec>(query: Record<string, unknown>, spec: S): Parsed<S> {
  const parsed: Record<string, unknown> = {};
  for (const [name, validate] of Object.entries(spec)) {
    const value = query[name];
    if (value === undefined) continue;
    parsed[name] = validate(name, typeof value === 'string' || Array.isArray(value) ? (value as QueryValue) : String(value));
  }
  return parsed as Parsed<S>;
}

const TRUE_VALUES = ['1', 't', 'true', 'on', 'y', 'yes'];
const FALSE_VALUES = ['0', 'f', 'false', 'off', 'n', 'no'];
const BOOLEAN_VALUES = [...TRUE_VALUES, ...FALSE_VALUES].sort();

/** oslo's strict bool_from_string, with Ironic's message. */
export function parseBoolean(value: string | undefined, name: string): boolean | undefined {
  if (value === undefined) return undefined;
  const v = value.trim().toLowerCase();
  if (TRUE_VALUES.includes(v)) return true;
  if (FALSE_VALUES.includes(v)) return false;
  throw invalid(
    `Invalid ${name}: Unrecognized value '${value}', acceptable values are: ${BOOLEAN_VALUES.map((b) => `'${b}'`).join(', ')}`,
  );
}
