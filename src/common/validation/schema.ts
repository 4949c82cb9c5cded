import { getMetadataStorage, ValidationArguments, ValidationError, validateSync } from 'class-validator';
import { invalid } from '../errors/ironic-errors';
import { pyRepr } from './py-repr';

/** Message builders in the wording of Python's jsonschema, which Ironic's API uses. */
export const schemaMessage = {
  type: (type: string) => ({ message: (a: ValidationArguments) => `${pyRepr(a.value)} is not of type ${type}` }),
  tooLong: () => ({ message: (a: ValidationArguments) => `${pyRepr(a.value)} is too long` }),
  tooShort: () => ({ message: (a: ValidationArguments) => `${pyRepr(a.value)} is too short` }),
  minimum: (min: number) => ({ message: (a: ValidationArguments) => `${pyRepr(a.value)} is less than the minimum of ${min}` }),
  maximum: (max: number) => ({ message: (a: ValidationArguments) => `${pyRepr(a.value)} is greater than the maximum of ${max}` }),
  enumOf: (values: readonly string[]) => ({
    message: (a: ValidationArguments) => `${pyRepr(a.value)} is not one of ${pyRepr([...values])}`,
  }),
};

/** Constraint names that Ironic checks after the JSON schema (args.uuid and friends): reported without the schema prefix. */
export const POST_SCHEMA = 'ironvol:post-schema';

interface Shape {
  properties: string[];
  required: string[];
}

const shapes = new WeakMap<Function, Shape>();

/** Property order and required properties, read from the DTO's class-validator decorators. */
function shapeOf(dto: Function): Shape {
  let shape = shapes.get(dto);
  if (!shape) {
    const metadata = getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false);
    const properties = [...new Set(metadata.map((m) => m.propertyName))];
    const optional = new Set(metadata.filter((m) => m.type === 'conditionalValidation').map((m) => m.propertyName));
    shape = { properties, required: properties.filter((p) => !optional.has(p)) };
    shapes.set(dto, shape);
  }
  return shape;
}

export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Validates a JSON document against a DTO the way Ironic's jsonschema check
 * does, and reports the error jsonschema's best_match would: a missing
 * required property first, then unexpected properties, then the first bad
 * property in declaration order, then the post-schema checks (UUID formats).
 */
export function validateSchema<T extends object>(dto: new () => T, body: unknown, schemaName: string): T {
  const fail = (message: string) => invalid(`Schema error for ${schemaName}: ${message}`);
  if (!isPlainObject(body)) throw fail(`${pyRepr(body)} is not of type 'object'`);
  const shape = shapeOf(dto);
  const missing = shape.required.find((p) => body[p] === undefined);
  if (missing) throw fail(`'${missing}' is a required property`);
  const unexpected = Object.keys(body).filter((k) => !shape.properties.includes(k));
  if (unexpected.length) {
    const verb = unexpected.length === 1 ? 'was' : 'were';
    throw fail(`Additional properties are not allowed (${unexpected.map((k) => pyRepr(k)).join(', ')} ${verb} unexpected)`);
  }
  const instance = Object.assign(new dto(), body);
  const errors = validateSync(instance, { forbidUnknownValues: false, validationError: { target: false } });
  if (errors.length) {
    const byOrder = (e: ValidationError) => shape.properties.indexOf(e.property);
    const schemaErrors = errors.filter((e) => !isPostSchema(e)).sort((a, b) => byOrder(a) - byOrder(b));
    if (schemaErrors.length) throw fail(firstMessage(schemaErrors[0], false));
    const postErrors = errors.sort((a, b) => byOrder(a) - byOrder(b));
    throw invalid(firstMessage(postErrors[0], true));
  }
  return instance;
}

function isPostSchema(error: ValidationError): boolean {
  return Object.keys(error.constraints ?? {}).every((name) => name.startsWith(POST_SCHEMA));
}

/** jsonschema checks a value's type before its other keywords. */
const TYPE_CONSTRAINTS = ['isString', 'isInt', 'isObject', 'isBoolean', 'isNumber', 'isArray'];

function firstMessage(error: ValidationError, post: boolean): string {
  const entries = Object.entries(error.constraints ?? {}).sort(
    ([a], [b]) => Number(!TYPE_CONSTRAINTS.includes(a)) - Number(!TYPE_CONSTRAINTS.includes(b)),
  );
  const chosen = entries.find(([name]) => name.startsWith(POST_SCHEMA) === post) ?? entries[0];
  return chosen?.[1] ?? `${pyRepr(error.value)} is not valid`;
}

/** Whether a validation error is one of ironvol's own limits (lengths, 32-bit integers), which Ironic does not have. */
export const isLimitError = (error: unknown): boolean =>
  error instanceof Error && /is too long$|is (less|greater) than the (minimum|maximum) of -?\d+$/.test(error.message);
