import type { CollectionSpec } from '../../common/collection/list-query';
import { volumeListQuery } from './volume-list-query';

const spec: CollectionSpec = {
  fields: ['uuid', 'type', 'extra', 'links', 'node_uuid'],
  defaultFields: ['uuid', 'type'],
  sortable: ['id', 'uuid', 'type'],
  unsortable: ['extra'],
};

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
    expect(() => volumeListQuery(query, spec)).toThrow(message);
  });

  it.each([
    [{ fields: 'UUID,Type,uuid' }, { fields: ['uuid', 'type'] }],
    [{ fields: '' }, { fields: [] }],
    [{ fields: '', detail: 'True' }, { fields: [] }],
    [{ sort_key: '' }, { sortKey: 'id' }],
    [{ limit: ' 7 ' }, { limit: 7 }],
  ])('reads %j', (query, expected) => {
    expect(volumeListQuery(query, spec)).toMatchObject(expected);
  });
});
