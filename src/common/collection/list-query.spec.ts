import { assertSortable, CollectionSpec, parseListQuery, volumeListQuery } from './list-query';

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
    [{ sort_dir: 'sideways' }, "Invalid sort direction: sideways. Acceptable values are 'asc' or 'desc'"],
    [{ node: 'a b' }, 'Expected UUID or name for node: a b'],
    [{ limit: { a: 1 } }, 'Invalid value for limit: it must be a single string.'],
  ])('refuses %j', (query, message) => {
    expect(() => parseListQuery(query, spec, 1000)).toThrow(message);
  });
});

describe(assertSortable.name, () => {
  it.each([
    ['extra', 'The sort_key value extra is an invalid field for sorting'],
    ['x', 'The sort_key value "x" is an invalid field for sorting'],
  ])('refuses %s', (key, message) => {
    expect(() => assertSortable(key, spec)).toThrow(message);
  });
});

/** Expected messages are real Ironic 21.4's answers to the same query strings. */
describe(volumeListQuery.name, () => {
  it.each([
    [{ foo: '1' }, 'Unexpected arguments: foo'],
    [{ marker: '' }, 'Expected UUID for marker: '],
    [{ node: '' }, 'Expected UUID or name for node: '],
    [{ sort_dir: '' }, "Invalid sort direction: . Acceptable values are 'asc' or 'desc'"],
    [{ sort_dir: 'ASC' }, "Invalid sort direction: ASC. Acceptable values are 'asc' or 'desc'"],
    [{ limit: '' }, 'Expected an integer for limit: '],
    [{ limit: ['1', '2'] }, "Expected an integer for limit: ['1', '2']"],
    [{ fields: ['uuid', 'type'] }, "Expected string for fields: ['uuid', 'type']"],
    [{ detail: '' }, "Invalid detail: Unrecognized value '', acceptable values are: '0', '1', 'f', 'false', 'n', 'no', 'off', 'on', 't', 'true', 'y', 'yes'"],
    [{ nodes: 'x', limit: 'x' }, 'Unexpected arguments: nodes'],
    [{ limit: 'x', sort_dir: 'up' }, 'Expected an integer for limit: x'],
    [{ detail: 'True', fields: 'uuid', limit: '0' }, "Can't fetch a subset of fields with 'detail' set"],
  ])('refuses %j', (query, message) => {
    expect(() => volumeListQuery(query, spec, 1000)).toThrow(message);
  });

  it.each([
    [{ fields: 'UUID,Type,uuid' }, { fields: ['uuid', 'type'] }],
    [{ fields: '' }, { fields: [] }],
    [{ fields: '', detail: 'True' }, { fields: [] }],
    [{ sort_key: '' }, { sortKey: 'id' }],
    [{ limit: ' 7 ' }, { limit: 7 }],
  ])('reads %j', (query, expected) => {
    expect(volumeListQuery(query, spec, 1000)).toMatchObject(expected);
  });
});
