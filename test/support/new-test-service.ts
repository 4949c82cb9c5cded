import 'reflect-metadata';
import type { Type } from '@nestjs/common';

type Token = Type<unknown> | symbol | string;

/** A typed fake of a class: every method a jest.fn (resolving to undefined until a test says otherwise). */
export function fakeOf<T>(cls: Type<T>): jest.Mocked<T> {
  const fake: Record<string, unknown> = {};
  for (let proto = cls.prototype; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (name === 'constructor' || name in fake) continue;
      const descriptor = Object.getOwnPropertyDescriptor(proto, name);
      if (typeof descriptor?.value === 'function') fake[name] = jest.fn();
    }
  }
  return fake as jest.Mocked<T>;
}

export interface TestService<T> {
  sut: T;
  /** The fake given to the service for a class it takes. */
  mock<D>(cls: Type<D>): jest.Mocked<D>;
}

/**
 * The service under test with every collaborator it takes a typed fake
 * (the shape immich's newTestService has): its constructor's parameters are
 * read from Nest's metadata, as Nest would inject them; a parameter injected
 * by token (@Inject(APP_CONFIG)) or given by the test takes the value given.
 */
export function newTestService<T>(Service: Type<T>, given: ReadonlyMap<Token, unknown> = new Map()): TestService<T> {
  const types: Token[] = Reflect.getMetadata('design:paramtypes', Service) ?? [];
  const tokens: { index: number; param: Token }[] = Reflect.getMetadata('self:paramtypes', Service) ?? [];
  const fakes = new Map<Token, unknown>();
  const args = types.map((type, index) => {
    const token = tokens.find((t) => t.index === index)?.param ?? type;
    if (given.has(token)) return given.get(token);
    if (typeof token !== 'function' || token === Object) throw new Error(`${Service.name}: give a value for parameter ${index} (${String(token)})`);
    const fake = fakeOf(token as Type<unknown>);
    fakes.set(token, fake);
    return fake;
  });
  return {
    sut: new Service(...args),
    mock: <D>(cls: Type<D>) => {
      const fake = fakes.get(cls);
      if (!fake) throw new Error(`${Service.name} takes no ${cls.name}`);
      return fake as jest.Mocked<D>;
    },
  };
}
