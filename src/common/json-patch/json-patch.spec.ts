import { applyPatch, assertPatchable, patchValues, validatePatchDocument } from './json-patch';

describe('json-patch', () => {
  it.each([
    [{}, "Schema error for patch: {} is not of type 'array'"],
    [[{ op: 'copy', path: '/a', from: '/b' }], "Schema error for patch: Additional properties are not allowed ('from' was unexpected)"],
    [[{ op: 'copy', path: '/a' }], "Schema error for patch: 'copy' is not one of ['add', 'replace', 'remove']"],
    [[{ op: 'add', path: '/a b', value: 1 }], "Schema error for patch: '/a b' does not match '^(/[\\\\w-]+)+$'"],
    [[{ op: 'add', path: 5 }], "Schema error for patch: 5 is not of type 'string'"],
  ])('refuses the document %j', (patch, message) => {
    expect(() => validatePatchDocument(patch)).toThrow(message);
  });

  it('names the allowed fields', () => {
    expect(() => assertPatchable([{ op: 'remove', path: '/uuid' }], ['extra', 'type'])).toThrow(
      'Cannot patch /uuid. Only the following can be updated: extra, type',
    );
  });

  it('applies operations without touching the input', () => {
    const doc = { extra: { a: 1 }, type: 'iqn' };
    const result = applyPatch(doc, [
      { op: 'add', path: '/extra/b', value: 2 },
      { op: 'replace', path: '/type', value: 'ip' },
      { op: 'remove', path: '/extra/a' },
    ]);
    expect(result).toEqual({ extra: { b: 2 }, type: 'ip' });
    expect(doc).toEqual({ extra: { a: 1 }, type: 'iqn' });
  });

  it.each([
    [{ op: 'remove', path: '/extra/x' }, "Couldn't apply patch '{'op': 'remove', 'path': '/extra/x'}'. Reason: can't remove a non-existent object 'x'"],
    [{ op: 'replace', path: '/extra/x', value: 1 }, "Couldn't apply patch '{'op': 'replace', 'path': '/extra/x', 'value': 1}'. Reason: can't replace a non-existent object 'x'"],
    [{ op: 'add', path: '/nope', value: 1 }, 'Adding a new attribute (/nope) to the root of the resource is not allowed'],
    [{ op: 'add', path: '/extra/__proto__', value: {} }, /^Couldn't apply patch/],
  ] as const)('refuses %j', (op, message) => {
    expect(() => applyPatch({ extra: {} }, [op as never])).toThrow(message);
  });

  it('finds the values written at a path', () => {
    expect(patchValues([{ op: 'replace', path: '/node_uuid', value: 'x' }, { op: 'remove', path: '/node_uuid' }], '/node_uuid')).toEqual(['x']);
  });
});
