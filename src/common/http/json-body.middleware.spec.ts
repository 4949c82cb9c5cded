import { jsonDepth } from './json-body.middleware';

describe(jsonDepth.name, () => {
  it.each([
    ['1', 0],
    ['{}', 1],
    ['{"a":[1,{"b":2}]}', 3],
    ['"[[[["', 0],
    ['{"a":"\\"{{"}', 1],
  ])('measures %s as %d', (text, depth) => {
    expect(jsonDepth(text)).toBe(depth);
  });
});
