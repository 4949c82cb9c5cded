import { testDatabases } from './support/databases';
import { fault, useTestApp } from './support/test-app';
import { createNode, createTarget, setPower } from './support/fixtures';

describe.each(testDatabases())('volume targets (%s)', (_name, database) => {
  const t = useTestApp(database);

  const count = async (where = '1 = 1', params: unknown[] = []) =>
    Number((await t.rows(`SELECT COUNT(*) AS n FROM volume_targets WHERE ${where}`, params))[0].n);

  it('creates a target with properties and answers 201 with Location', async () => {
    const node = await createNode(t);
    const res = await t.call('POST', '/v1/volume/targets', {
      body: {
        node_uuid: node.uuid, volume_type: 'iscsi', boot_index: 0, volume_id: 'vol-0001',
        properties: { target_iqn: 'iqn.2010-10.org.openstack:vol-0001', target_lun: 0 }, extra: { k: 'v' },
      },
    });
    expect(res.status).toBe(201);
    expect(Object.keys(res.body)).toEqual(['uuid', 'created_at', 'updated_at', 'boot_index', 'extra', 'properties', 'volume_id', 'volume_type', 'links', 'node_uuid']);
    expect(res.body).toMatchObject({ boot_index: 0, volume_id: 'vol-0001', volume_type: 'iscsi', properties: { target_lun: 0 }, extra: { k: 'v' } });
    expect(res.headers.location).toContain(`/v1/volume/targets/${res.body.uuid}`);
    const [row] = await t.rows('SELECT boot_index, volume_id, properties FROM volume_targets WHERE uuid = ?', [res.body.uuid]);
    expect(Number(row.boot_index)).toBe(0);
    expect(JSON.parse(row.properties as string)).toEqual({ target_iqn: 'iqn.2010-10.org.openstack:vol-0001', target_lun: 0 });
  });

  it('allows a negative boot_index, the same volume_id twice, and boot_index 0 on two nodes', async () => {
    const a = await createNode(t);
    const b = await createNode(t);
    await createTarget(t, a.uuid, { boot_index: -1, volume_id: 'same' });
    await createTarget(t, a.uuid, { boot_index: 2, volume_id: 'same' });
    await createTarget(t, a.uuid, { boot_index: 0 });
    await createTarget(t, b.uuid, { boot_index: 0 });
  });

  it('refuses a duplicate boot_index on one node with 409 and stores nothing', async () => {
    const node = await createNode(t);
    await createTarget(t, node.uuid, { boot_index: 0 });
    const before = await count();
    const res = await t.call('POST', '/v1/volume/targets', { body: { node_uuid: node.uuid, volume_type: 'iscsi', boot_index: 0, volume_id: 'v3' } });
    expect(res.status).toBe(409);
    expect(fault(res).faultstring).toBe("A volume target with boot index '0' for the same node already exists.");
    expect(await count()).toBe(before);
  });

  it.each([
    [{ node_uuid: 'NODE', volume_type: 'iscsi', boot_index: '3', volume_id: 'v' }, "Schema error for target: '3' is not of type 'integer'"],
    [{ node_uuid: 'NODE', volume_type: 'iscsi', boot_index: 1.5, volume_id: 'v' }, "Schema error for target: 1.5 is not of type 'integer'"],
    [{ node_uuid: 'NODE', volume_type: 'iscsi', boot_index: true, volume_id: 'v' }, "Schema error for target: True is not of type 'integer'"],
    [{ node_uuid: 'NODE', volume_type: 'iscsi', boot_index: 2147483648, volume_id: 'v' }, 'Schema error for target: 2147483648 is greater than the maximum of 2147483647'],
    [{ node_uuid: 'NODE', volume_type: 'iscsi', volume_id: 'v' }, "Schema error for target: 'boot_index' is a required property"],
    [{ node_uuid: 'NODE', boot_index: 1, volume_id: 'v' }, "Schema error for target: 'volume_type' is a required property"],
    [{ node_uuid: 'NODE', volume_type: 'iscsi', boot_index: 1, volume_id: 'v', properties: [] }, "Schema error for target: [] is not of type 'object', 'null'"],
    [{ node_uuid: 'NODE', volume_type: 'iscsi', boot_index: 1, volume_id: 'v'.repeat(37) }, `Schema error for target: '${'v'.repeat(37)}' is too long`],
    [{ node_uuid: 'NODE', volume_type: 'i'.repeat(65), boot_index: 1, volume_id: 'v' }, `Schema error for target: '${'i'.repeat(65)}' is too long`],
    [{ node_uuid: 'NODE', volume_type: 'iscsi', boot_index: 1, volume_id: 'v', size: 1 }, "Schema error for target: Additional properties are not allowed ('size' was unexpected)"],
    [{ node_uuid: 'not-a-uuid', volume_type: 'iscsi', boot_index: 1, volume_id: 'v' }, 'Expected UUID for node_uuid: not-a-uuid'],
  ])('refuses %j with 400', async (body, message) => {
    const node = await createNode(t);
    const before = await count();
    const json = JSON.parse(JSON.stringify(body).replace(/"NODE"/g, JSON.stringify(node.uuid)));
    const res = await t.call('POST', '/v1/volume/targets', { body: json });
    expect(res.status).toBe(400);
    expect(fault(res).faultstring).toBe(message);
    expect(await count()).toBe(before);
  });

  it('refuses an unknown node with 400', async () => {
    const res = await t.call('POST', '/v1/volume/targets', { body: { node_uuid: '00000000-0000-0000-0000-000000000000', volume_type: 'iscsi', boot_index: 1, volume_id: 'v' } });
    expect(res.status).toBe(400);
    expect(fault(res).faultstring).toBe("Invalid input for field/attribute node_uuid. Value: '00000000-0000-0000-0000-000000000000'. ");
  });

  it('patches boot_index and properties on a powered-off node', async () => {
    const node = await createNode(t, { power: 'power off' });
    const target = await createTarget(t, node.uuid, { boot_index: 1 });
    const res = await t.call('PATCH', `/v1/volume/targets/${target.uuid}`, {
      body: [{ op: 'replace', path: '/boot_index', value: 5 }, { op: 'add', path: '/properties/target_lun', value: 3 }],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ boot_index: 5, properties: { target_lun: 3 } });
    const unset = await t.call('PATCH', `/v1/volume/targets/${target.uuid}`, { body: [{ op: 'remove', path: '/properties/target_lun' }] });
    expect(unset.body.properties).toEqual({});
  });

  it.each([
    [[{ op: 'replace', path: '/boot_index', value: '6' }], "Schema error for patch: '6' is not of type 'integer'"],
    [[{ op: 'replace', path: '/uuid', value: 'x' }], 'Cannot patch /uuid. Only the following can be updated: boot_index, extra, node_uuid, properties, volume_id, volume_type'],
    [[{ op: 'remove', path: '/boot_index' }], "Schema error for patch: 'boot_index' is a required property"],
    [[{ op: 'test', path: '/boot_index', value: 1 }], "Schema error for patch: 'test' is not one of ['add', 'replace', 'remove']"],
  ])('refuses %j with 400', async (patch, message) => {
    const node = await createNode(t, { power: 'power off' });
    const target = await createTarget(t, node.uuid);
    const res = await t.call('PATCH', `/v1/volume/targets/${target.uuid}`, { body: patch });
    expect(res.status).toBe(400);
    expect(fault(res).faultstring).toBe(message);
  });

  it('refuses a patch onto a used boot_index with 409, also when moving nodes', async () => {
    const a = await createNode(t, { power: 'power off' });
    const b = await createNode(t, { power: 'power off' });
    await createTarget(t, a.uuid, { boot_index: 0 });
    const second = await createTarget(t, a.uuid, { boot_index: 1 });
    const dup = await t.call('PATCH', `/v1/volume/targets/${second.uuid}`, { body: [{ op: 'replace', path: '/boot_index', value: 0 }] });
    expect(dup.status).toBe(409);
    expect(fault(dup).faultstring).toBe("A volume target with boot index '0' for the same node already exists.");
    const onB = await createTarget(t, b.uuid, { boot_index: 1 });
    const move = await t.call('PATCH', `/v1/volume/targets/${onB.uuid}`, { body: [{ op: 'replace', path: '/node_uuid', value: a.uuid }] });
    expect(move.status).toBe(409);
  });

  it('refuses update and deletion unless the node is powered off', async () => {
    const node = await createNode(t, { power: 'power on' });
    const target = await createTarget(t, node.uuid);
    const patch = await t.call('PATCH', `/v1/volume/targets/${target.uuid}`, { body: [{ op: 'add', path: '/extra/x', value: 1 }] });
    expect(patch.status).toBe(400);
    expect(fault(patch).faultstring).toBe(`The requested action "volume target update" can not be performed on node "${node.uuid}" while it is in state "power on".`);
    const del = await t.call('DELETE', `/v1/volume/targets/${target.uuid}`);
    expect(fault(del).faultstring).toBe(`The requested action "volume target deletion" can not be performed on node "${node.uuid}" while it is in state "power on".`);
    await setPower(t, node.uuid, 'power off');
    expect((await t.call('DELETE', `/v1/volume/targets/${target.uuid}`)).status).toBe(204);
    expect(await count('uuid = ?', [target.uuid])).toBe(0);
  });

  it.each([
    ['/v1/volume/targets/not-a-uuid', 400, 'Expected UUID for target_uuid: not-a-uuid'],
    ['/v1/volume/targets/99999999-9999-9999-9999-999999999999', 404, 'Volume target 99999999-9999-9999-9999-999999999999 could not be found.'],
  ])('GET %s answers %d', async (path, status, message) => {
    const res = await t.call('GET', path);
    expect(res.status).toBe(status);
    expect(fault(res).faultstring).toBe(message);
  });

  it('shows a target with an ETag', async () => {
    const node = await createNode(t);
    const target = await createTarget(t, node.uuid);
    const res = await t.call('GET', `/v1/volume/targets/${target.uuid}`);
    expect(res.status).toBe(200);
    expect(res.headers.etag).toBeDefined();
    expect(res.body.uuid).toBe(target.uuid);
  });

  it('hides targets below 1.32', async () => {
    const res = await t.call('POST', '/v1/volume/targets', { version: '1.31', body: {} });
    expect(res.status).toBe(404);
    expect(fault(res)).toEqual({ code: 404, title: 'Not Found', description: '' });
  });
});
