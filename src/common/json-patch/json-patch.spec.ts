import fc from 'fast-check';
import { applyPatch, assertPatchable, PatchOp, patchValues, validatePatchDocument } from './json-patch';

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

  // jsonpointer names the Python type of a scalar it cannot walk into (recorded from Ironic 21.4.4).
  it.each([
    [null, 'NoneType'],
    [5, 'int'],
    [1.5, 'float'],
    [true, 'bool'],
  ])('refuses a path through a %j as jsonpointer does', (scalar, type) => {
    expect(() => applyPatch({ extra: scalar }, [{ op: 'add', path: '/extra/a', value: 1 }])).toThrow(
      `Couldn't apply patch '{'op': 'add', 'path': '/extra/a', 'value': 1}'. Reason: Document '<class '${type}'>' does not support indexing, must be mapping/sequence or support __getitem__`,
    );
  });

  it('finds the values written at a path', () => {
    expect(patchValues([{ op: 'replace', path: '/node_uuid', value: 'x' }, { op: 'remove', path: '/node_uuid' }], '/node_uuid')).toEqual(['x']);
  });
});

describe('json-patch properties', () => {
  const key = fc.constantFrom('a', 'b', 'c', '0', '1', '-');
  const json = fc.jsonValue({ maxDepth: 3 });
  const doc = fc.record({ extra: fc.dictionary(fc.constantFrom('a', 'b', 'c'), json), type: fc.string() });
  const op = fc.record({
    op: fc.constantFrom('add', 'replace', 'remove'),
    path: fc.array(key, { minLength: 0, maxLength: 3 }).map((keys) => ['/extra', ...keys].join('/')),
    value: json,
  }).map((o) => (o.op === 'remove' ? { op: o.op, path: o.path } : o) as PatchOp);
  /** Most random patches fail somewhere; the outcome is the result or the error's message. */
  const outcome = (d: Record<string, unknown>, patch: PatchOp[]) => {
    try {
      return { result: applyPatch(d, patch) };
    } catch (error) {
      return { error: (error as Error).message };
    }
  };

  it('never changes the patch or the document, and gives the same result every time', () => {
    fc.assert(
      fc.property(doc, fc.array(op, { maxLength: 6 }), (d, patch) => {
        const patchBefore = structuredClone(patch);
        const docBefore = structuredClone(d);
        const first = outcome(d, patch);
        expect(patch).toEqual(patchBefore);
        expect(d).toEqual(docBefore);
        expect(outcome(d, patch)).toEqual(first);
      }),
      { numRuns: 2000, endOnFailure: true },
    );
  });

  it('keeps what it stored apart from the patch: changing the patch afterwards changes nothing', () => {
    fc.assert(
      fc.property(doc, fc.array(op, { minLength: 1, maxLength: 6 }), (d, patch) => {
        const first = outcome(d, patch);
        if (!('result' in first)) return;
        const snapshot = structuredClone(first.result);
        for (const o of patch) if (o.value && typeof o.value === 'object') (o.value as Record<string, unknown>).mutated = true;
        expect(first.result).toEqual(snapshot);
      }),
      { numRuns: 2000, endOnFailure: true },
    );
  });

  it.each([
    [
      [{ op: 'add', path: '/extra/list', value: [1] }, { op: 'add', path: '/extra/list/-', value: 2 }],
      { list: [1, 2] },
    ],
    [
      [
        { op: 'add', path: '/extra/o', value: { a: 1 } },
        { op: 'add', path: '/extra/o/b', value: 2 },
        { op: 'remove', path: '/extra/o/a' },
      ],
      { o: { b: 2 } },
    ],
  ] as const)('applies %j as Ironic does, again and again', (patch, extra) => {
    const body = structuredClone(patch) as unknown as PatchOp[];
    for (let i = 0; i < 3; i++) expect(applyPatch({ extra: {} }, body).extra).toEqual(extra);
    expect(body).toEqual(patch);
  });
});
