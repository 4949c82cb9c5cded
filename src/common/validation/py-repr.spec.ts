import { pyRepr } from './py-repr';

describe(pyRepr.name, () => {
  it.each([
    [null, 'None'],
    [true, 'True'],
    [false, 'False'],
    [5, '5'],
    [1.5, '1.5'],
    ['3', "'3'"],
    ["it's", '"it\'s"'],
    ['a\nb', "'a\\nb'"],
    [[], '[]'],
    [[1, 'a'], "[1, 'a']"],
    [{ op: 'replace', path: '/type' }, "{'op': 'replace', 'path': '/type'}"],
  ])('renders %j as %s', (value, expected) => {
    expect(pyRepr(value)).toBe(expected);
  });
});
