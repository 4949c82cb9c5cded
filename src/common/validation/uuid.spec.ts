import { canonicalUuid, requireUuid } from './uuid';

describe(canonicalUuid.name, () => {
  it.each([
    ['11111111-2222-3333-4444-555555555555', '11111111-2222-3333-4444-555555555555'],
    ['11111111-2222-3333-4444-55555555555A', '11111111-2222-3333-4444-55555555555a'],
    ['11111111222233334444555555555555', '11111111-2222-3333-4444-555555555555'],
    ['{11111111-2222-3333-4444-555555555555}', '11111111-2222-3333-4444-555555555555'],
    ['not-a-uuid', null],
    ['11111111-2222-3333-4444-5555555555555', null],
    [5, null],
    [null, null],
  ])('reads %j as %s', (value, expected) => {
    expect(canonicalUuid(value)).toBe(expected);
  });

  it('names the field in its 400', () => {
    expect(() => requireUuid('x', 'marker')).toThrow('Expected UUID for marker: x');
  });
});
