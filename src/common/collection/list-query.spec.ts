import { CollectionSpec, parseListQuery } from './list-query';

const spec: CollectionSpec = {
  fields: ['uuid', 'type', 'extra', 'links', 'node_uuid'],
  defaultFields: ['uuid', 'type'],
  sortable: ['id', 'uuid', 'type'],
  unsortable: ['extra'],
};

describe(parseListQuery.name, () => {
  it('applies the defaults', () => {
    expect(parseListQuery({}, spec, 1000)).toEqual({
      fields: ['uuid', 'type'], detail: false, explicitFields: false, limit: 1000, marker: null, sortKey: 'id', sortDir: 'asc', node: null,
    });
  });

  it.each([
    [{ limit: '5000' }, { limit: 1000 }],
    [{ limit: '7' }, { limit: 7 }],
    [{ detail: 'True' }, { fields: null, detail: true }],
    [{ detail: 'off' }, { detail: false }],
    [{ fields: 'uuid,extra' }, { fields: ['uuid', 'extra'], explicitFields: true }],
    [{ sort_dir: 'DESC' }, { sortDir: 'desc' }],
    [{ node: 'n-1' }, { node: 'n-1' }],
    [{ node: '11111111222233334444555555555555' }, { node: '11111111-2222-3333-4444-555555555555' }],
    [{ limit: ['1', '2'] }, { limit: 2 }],
  ])('reads %j', (query, expected) => {
    expect(parseListQuery(query, spec, 1000)).toMatchObject(expected);
  });

  it.each([
    [{ limit: '0' }, 'Limit must be positive'],
    [{ limit: '1.5' }, 'Expected an integer for limit: 1.5'],
    [{ marker: 'x' }, 'Expected UUID for marker: x'],
    [{ fields: 'uuid', detail: 'true' }, "Can't fetch a subset of fields with 'detail' set"],
    [{ fields: 'nope,other' }, 'Field(s) "nope, other" are not valid'],
    [{ sort_key: 'extra' }, 'The sort_key value extra is an invalid field for sorting'],
    [{ sort_key: 'x' }, 'The sort_key value "x" is an invalid field for sorting'],
    [{ sort_dir: 'sideways' }, "Invalid sort direction: sideways. Acceptable values are 'asc' or 'desc'"],
    [{ node: 'a b' }, 'Expected UUID or name for node: a b'],
    [{ limit: { a: 1 } }, 'Invalid value for limit: it must be a single string.'],
  ])('refuses %j', (query, message) => {
    expect(() => parseListQuery(query, spec, 1000)).toThrow(message);
  });
});
