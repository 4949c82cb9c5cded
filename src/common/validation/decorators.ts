import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';
import { canonicalUuid } from './uuid';
import { POST_SCHEMA } from './schema';
import { MAX_JSON_OBJECT_BYTES } from './limits';

/** Ironic's args.uuid check: "Expected UUID for <field>: <value>". Null passes (the schema decides). */
export function IsUuidLike(field?: string, options?: ValidationOptions): PropertyDecorator {
  return (object, propertyName) =>
    registerDecorator({
      name: `${POST_SCHEMA}:uuid`,
      target: object.constructor,
      propertyName: propertyName as string,
      options: {
        message: (a: ValidationArguments) => `Expected UUID for ${field ?? a.property}: ${String(a.value)}`,
        ...options,
      },
      validator: {
        validate: (value: unknown) => value === null || value === undefined || canonicalUuid(value) !== null,
      },
    });
}

/** Caps the stored size of a free-form JSON object (extra, properties). */
export function MaxJsonSize(bytes = MAX_JSON_OBJECT_BYTES): PropertyDecorator {
  return (object, propertyName) =>
    registerDecorator({
      name: 'maxJsonSize',
      target: object.constructor,
      propertyName: propertyName as string,
      options: { message: (a: ValidationArguments) => `'${a.property}' is larger than ${bytes} bytes when serialised` },
      validator: {
        validate: (value: unknown) => value === null || value === undefined || Buffer.byteLength(JSON.stringify(value)) <= bytes,
      },
    });
}
