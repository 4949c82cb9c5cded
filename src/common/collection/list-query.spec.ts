import { assertSortable, CollectionSpec } from './list-query';

const spec: CollectionSpec = {
  fields: ['uuid', 'type', 'extra', 'links', 'node_uuid'],
  defaultFields: ['uuid', 'type'],
  sortable: ['id', 'uuid', 'type'],
  unsortable: ['extra'],
};

describe(assertSortable.name, () => {
  it.each([
    ['extra', 'The sort_key value extra is an invalid field for sorting'],
    ['x', 'The sort_key value "x" is an invalid field for sorting'],
  ])('refuses %s', (key, message) => {
    expect(() => assertSortable(key, spec)).toThrow(message);
  });
});
