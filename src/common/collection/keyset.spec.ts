import { keyset } from './keyset';

describe(keyset.name, () => {
  it.each([
    ['id asc, first page', ['sqlite', 'c.id', 'c.id', 'asc', null, false], { where: null, orderBy: 'c.id ASC' }],
    ['id desc after marker', ['sqlite', 'c.id', 'c.id', 'desc', { id: 9, value: 9 }, false], { where: 'c.id < ?', params: [9], orderBy: 'c.id DESC' }],
    ['type asc after marker', ['mysql', 'c.type', 'c.id', 'asc', { id: 3, value: 'iqn' }, false], { where: '(c.type > ? OR (c.type = ? AND c.id > ?))', params: ['iqn', 'iqn', 3], orderBy: 'c.type ASC, c.id ASC' }],
    ['nullable asc on postgres', ['postgres', 'c.updated_at', 'c.id', 'asc', null, true], { orderBy: 'c.updated_at ASC NULLS FIRST, c.id ASC' }],
    ['nullable desc after a null marker', ['sqlite', 'c.updated_at', 'c.id', 'desc', { id: 4, value: null }, true], { where: '(c.updated_at IS NULL AND c.id < ?)', params: [4] }],
    ['nullable asc after a null marker', ['sqlite', 'c.updated_at', 'c.id', 'asc', { id: 4, value: null }, true], { where: '((c.updated_at IS NULL AND c.id > ?) OR c.updated_at IS NOT NULL)' }],
    ['nullable desc after a value', ['sqlite', 'c.updated_at', 'c.id', 'desc', { id: 4, value: 'x' }, true], { where: '(c.updated_at < ? OR (c.updated_at = ? AND c.id < ?) OR c.updated_at IS NULL)' }],
  ] as const)('%s', (_name, args, expected) => {
    expect(keyset(...(args as Parameters<typeof keyset>))).toMatchObject(expected);
  });
});
