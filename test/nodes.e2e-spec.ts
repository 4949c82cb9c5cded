import { testDatabases } from './support/databases';
import { fault, useTestApp } from './support/test-app';
import { createConnector, createNode, createTarget, unique } from './support/fixtures';

describe.each(testDatabases())('nodes (%s)', (_name, database) => {
  const t = useTestApp(database);

  it('creates a node in enroll with power_state null, with Location and links', async () => {
    const res = await t.call('POST', '/v1/nodes', { body: { driver: 'fake-hardware', name: 'n-create', owner: 'p1', extra: { a: 1 } } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'n-create', driver: 'fake-hardware', power_state: null, provision_state: 'enroll', maintenance: false, extra: { a: 1 } });
    expect(res.headers.location).toMatch(new RegExp(`/v1/nodes/${res.body.uuid}$`));
    expect(res.body.volume[0].href).toMatch(new RegExp(`/v1/nodes/${res.body.uuid}/volume$`));
    expect(res.body.owner).toBeUndefined(); // owner appears from 1.50
    const latest = await t.call('GET', `/v1/nodes/${res.body.uuid}`, { version: 'latest' });
    expect(latest.body.owner).toBe('p1');
  });

  it("shows a node's boot, deploy and storage interfaces from 1.31 and 1.33, with the hardware type's defaults", async () => {
    const node = await createNode(t);
    const at = async (version: string) => (await t.call('GET', `/v1/nodes/${node.uuid}`, { version })).body;
    expect(await at('1.30')).not.toHaveProperty('boot_interface');
    expect(await at('1.31')).toMatchObject({ boot_interface: 'fake', deploy_interface: 'fake' });
    expect(await at('1.32')).not.toHaveProperty('storage_interface');
    expect(await at('1.33')).toMatchObject({ storage_interface: 'noop' });
    const shown = await t.call('GET', `/v1/nodes/${node.uuid}?fields=storage_interface`, { version: '1.82' });
    expect(shown.body).toEqual({ storage_interface: 'noop', links: expect.any(Array) });
  });

  it("changes a node's interfaces as Ironic does: enabled and supported ones, only before deploy or in maintenance", async () => {
    const node = await createNode(t, { body: { storage_interface: 'external' } });
    const patch = (path: string, value: unknown, version = '1.82') =>
      t.call('PATCH', `/v1/nodes/${node.uuid}`, { version, body: [{ op: 'replace', path, value }] });
    expect((await t.call('GET', `/v1/nodes/${node.uuid}`, { version: '1.82' })).body.storage_interface).toBe('external');
    expect(await patch('/boot_interface', 'fake', '1.30')).toMatchObject({ status: 406 });
    const unsupported = await patch('/boot_interface', 'ipxe');
    expect([unsupported.status, fault(unsupported).faultstring]).toEqual([400, "boot interface implementation 'ipxe' is not supported by hardware type fake-hardware."]);
    const unknown = await patch('/storage_interface', 'cinder');
    expect([unknown.status, fault(unknown).faultstring]).toEqual([400, "Could not find the following interface in the 'ironic.hardware.interfaces.storage' entrypoint: cinder. Valid interfaces are ['noop', 'external']."]);
    for (const target of ['manage', 'provide', 'active']) {
      expect((await t.call('PUT', `/v1/nodes/${node.uuid}/states/provision`, { version: '1.82', body: { target } })).status).toBe(202);
    }
    const deployed = await patch('/storage_interface', 'noop');
    expect([deployed.status, fault(deployed).faultstring]).toEqual([
      409,
      `Node ${node.uuid} can not have storage_interface updated unless it is in one of allowed (enroll, inspecting, inspect wait, manageable, available) states or in maintenance mode.`,
    ]);
    expect((await patch('/storage_interface', 'external')).status).toBe(200);
    expect((await patch('/maintenance', true)).status).toBe(200);
    expect((await patch('/storage_interface', 'noop')).body.storage_interface).toBe('noop');
    const removed = await t.call('PATCH', `/v1/nodes/${node.uuid}`, { version: '1.82', body: [{ op: 'remove', path: '/storage_interface' }] });
    expect(removed.body.storage_interface).toBe('noop');
    expect((await patch('/maintenance', false)).status).toBe(200);
  });

  it('masks secrets in driver_info and instance_info for every caller, as Ironic does, and stores them as given', async () => {
    const driverInfo = { ipmi_address: '10.0.0.5', ipmi_username: 'root', ipmi_password: 'calvin', nested: { auth_token: 't' } };
    const res = await t.call('POST', '/v1/nodes', { body: { driver: 'fake-hardware', driver_info: driverInfo, instance_info: { image_source: 'img', configdrive: 'big' } } });
    expect(res.status).toBe(201);
    const masked = { ipmi_address: '10.0.0.5', ipmi_username: 'root', ipmi_password: '******', nested: { auth_token: '******' } };
    expect(res.body.driver_info).toEqual(masked);
    expect(res.body.instance_info).toEqual({ image_source: 'img', configdrive: '******' });
    expect((await t.call('GET', `/v1/nodes/${res.body.uuid}`)).body.driver_info).toEqual(masked);
    const [row] = await t.rows('SELECT driver_info FROM nodes WHERE uuid = ?', [res.body.uuid]);
    expect(JSON.parse(row.driver_info as string)).toEqual(driverInfo);
  });

  it('shows a node by uuid and by name, with ?fields', async () => {
    const node = await createNode(t);
    const byName = await t.call('GET', `/v1/nodes/${node.name}`);
    expect(byName.body.uuid).toBe(node.uuid);
    const some = await t.call('GET', `/v1/nodes/${node.uuid}?fields=uuid,power_state`);
    expect(Object.keys(some.body)).toEqual(['uuid', 'power_state', 'links']);
  });

  it('lists default fields, detail, and filters', async () => {
    const node = await createNode(t, { body: { driver: 'fake-hardware', maintenance: true } });
    const list = await t.call('GET', '/v1/nodes');
    const item = list.body.nodes.find((n: { uuid: string }) => n.uuid === node.uuid);
    expect(Object.keys(item).sort()).toEqual(['instance_uuid', 'links', 'maintenance', 'name', 'power_state', 'provision_state', 'uuid']);
    const detail = await t.call('GET', '/v1/nodes/detail');
    expect(detail.body.nodes.find((n: { uuid: string }) => n.uuid === node.uuid)).toHaveProperty('driver_info');
    const maint = await t.call('GET', '/v1/nodes?maintenance=true');
    expect(maint.body.nodes.map((n: { uuid: string }) => n.uuid)).toEqual([node.uuid]);
  });

  // Ironic 21.4.4's answers, recorded from the reference (the differential test sends such queries too).
  it.each([
    ['/v1/nodes?foo=1', '1.82', 400, 'Unexpected arguments: foo'],
    ['/v1/nodes?Detail=True', '1.82', 400, 'Unexpected arguments: Detail'],
    ['/v1/nodes/detail?fields=uuid', '1.82', 400, 'Unexpected arguments: fields'],
    ['/v1/nodes?limit=', '1.82', 400, 'Expected an integer for limit: '],
    ['/v1/nodes?limit=1&limit=2', '1.82', 400, "Expected an integer for limit: ['1', '2']"],
    ['/v1/nodes?marker=', '1.82', 400, 'Expected UUID for marker: '],
    ['/v1/nodes?chassis_uuid=abc', '1.82', 400, 'Expected UUID for chassis_uuid: abc'],
    ['/v1/nodes?instance_uuid=x', '1.82', 400, 'Expected UUID for instance_uuid: x'],
    ['/v1/nodes?retired=x', '1.82', 400, "Invalid retired: Unrecognized value 'x', acceptable values are: '0', '1', 'f', 'false', 'n', 'no', 'off', 'on', 't', 'true', 'y', 'yes'"],
    ['/v1/nodes?provision_state=', '1.82', 400, 'Provision state "" is not valid'],
    ['/v1/nodes?fault=x', '1.82', 400, "Unrecognized fault \"x\" is specified, allowed faults are ('power failure', 'clean failure', 'rescue abort failure')"],
    ['/v1/nodes?detail=True&fields=uuid', '1.82', 400, 'Can not specify ?detail=True and fields in the same request.'],
    ['/v1/nodes?detail=True', '1.30', 400, 'Invalid query parameter ?detail=True received.'],
    ['/v1/nodes?fields=owner', '1.30', 406, 'Request not acceptable.'],
    ['/v1/nodes?sort_key=owner', '1.30', 406, 'Request not acceptable.'],
    ['/v1/nodes?lessee=x', '1.60', 406, 'Request not acceptable. The minimal required API version should be 1.65'],
    ['/v1/nodes?sort_key=properties', '1.82', 400, 'The sort_key value properties is an invalid field for sorting'],
    ['/v1/nodes?marker=1c000000-0000-4000-8000-000000000001&sort_key=extra', '1.82', 400, 'The sort_key value extra is an invalid field for sorting'],
    ['/v1/nodes?marker=1c000000-0000-4000-8000-000000000001&sort_key=bogus', '1.82', 404, 'Node 1c000000-0000-4000-8000-000000000001 could not be found.'],
    ['/v1/nodes?chassis_uuid=9f000000-0000-4000-8000-00000000dead&sort_key=bogus', '1.82', 404, 'Chassis 9f000000-0000-4000-8000-00000000dead could not be found.'],
  ])('GET %s at %s: %i %s', async (path, version, status, message) => {
    const res = await t.call('GET', path, { version });
    expect([res.status, fault(res).faultstring]).toEqual([status, message]);
  });

  // Ironic takes the body's members as its provision handler's arguments (recorded from the reference).
  it.each([
    [{}, 'Missing mandatory parameter: target'],
    [[], 'Missing mandatory parameter: target'],
    [{ target: 5 }, 'Expected string for target: 5'],
    [{ foo: 1, target: 'manage' }, 'Unexpected arguments: foo'],
    [{ target: 'rescue', rescue_password: 5 }, 'Expected string for rescue_password: 5'],
    [{ target: 'active', configdrive: 5 }, "Expected types <class 'NoneType'>, <class 'dict'>, <class 'str'> for configdrive: 5"],
    [{ target: 'clean', clean_steps: {} }, "Expected types <class 'NoneType'>, <class 'list'> for clean_steps: {}"],
    [{ target: 'manage', disable_ramdisk: 'maybe' }, "Invalid disable_ramdisk: Unrecognized value 'maybe', acceptable values are: '0', '1', 'f', 'false', 'n', 'no', 'off', 'on', 't', 'true', 'y', 'yes'"],
  ])('PUT states/provision with %j: 400 %s, before the node is looked up', async (body, message) => {
    const res = await t.call('PUT', '/v1/nodes/no-such-node/states/provision', { body, version: '1.82' });
    expect([res.status, fault(res).faultstring]).toEqual([400, message]);
  });

  it('PUT states/provision with a null target: refused by the state machine as "None"', async () => {
    const node = await createNode(t);
    const res = await t.call('PUT', `/v1/nodes/${node.uuid}/states/provision`, { body: { target: null }, version: '1.82' });
    expect([res.status, fault(res).faultstring]).toEqual([400, `The requested action "None" can not be performed on node "${node.uuid}" while it is in state "enroll".`]);
  });

  it('shows the states link from 1.14 and resource_class from 1.21, as Ironic does', async () => {
    const node = await createNode(t, { body: { driver: 'fake-hardware', resource_class: 'gold' } });
    expect((await t.call('GET', `/v1/nodes/${node.uuid}`, { version: '1.13' })).body).not.toHaveProperty('states');
    expect((await t.call('GET', '/v1/nodes/detail', { version: '1.14' })).body.nodes[0]).toHaveProperty('states');
    expect((await t.call('GET', `/v1/nodes/${node.uuid}`, { version: '1.20' })).body).not.toHaveProperty('resource_class');
    expect((await t.call('GET', `/v1/nodes/${node.uuid}`, { version: '1.21' })).body.resource_class).toBe('gold');
  });

  // Recorded from the reference: a show takes only fields (lower-cased, once each), checked after the node is found.
  it.each([
    ['?foo=1', '1.82', 400, 'Unexpected arguments: foo'],
    ['?fields=uuid&fields=name', '1.82', 400, "Expected string for fields: ['uuid', 'name']"],
    ['?fields=bogus', '1.82', 400, 'Field bogus is not a valid field.'],
    ['?fields=links', '1.82', 400, 'Field links is not a valid field.'],
    ['?fields=owner', '1.30', 406, 'Request not acceptable.'],
    ['?fields=bogus', '1.5', 406, 'Request not acceptable.'],
  ])('GET a node with %s at %s: %i %s', async (query, version, status, message) => {
    const node = await createNode(t);
    const res = await t.call('GET', `/v1/nodes/${node.uuid}${query}`, { version });
    expect([res.status, fault(res).faultstring]).toEqual([status, message]);
  });

  it('shows a node with fields in any case, and only its links for an empty fields; states without RAID below 1.12', async () => {
    const node = await createNode(t);
    expect(Object.keys((await t.call('GET', `/v1/nodes/${node.uuid}?fields=UUID,uuid`, { version: '1.82' })).body)).toEqual(['uuid', 'links']);
    expect(Object.keys((await t.call('GET', `/v1/nodes/${node.uuid}?fields=`, { version: '1.82' })).body)).toEqual(['links']);
    expect((await t.call('GET', `/v1/nodes/${node.uuid}/states`, { version: '1.11' })).body).not.toHaveProperty('raid_config');
    expect((await t.call('GET', `/v1/nodes/${node.uuid}/states`, { version: '1.12' })).body.raid_config).toEqual({});
  });

  it.each([
    [[{ op: 'add', path: '/name', value: 'detail' }], '1.82', 400, 'The word "detail" is reserved and can not be used as a node name. Reserved words are: maintenance, management, states, vendor_passthru, detail, validate.'],
    [[{ op: 'add', path: '/name', value: null }], '1.82', 400, "Node {node}: Cannot change name to invalid name 'None'"],
    [[{ op: 'add', path: '/name', value: true }], '1.82', 400, "Node {node}: Cannot change name to invalid name 'True'"],
    [[{ op: 'add', path: '/maintenance', value: 'maybe' }], '1.82', 400, "Invalid maintenance: Unrecognized value 'maybe', acceptable values are: '0', '1', 'f', 'false', 'n', 'no', 'off', 'on', 't', 'true', 'y', 'yes'"],
    [[{ op: 'add', path: '/maintenance', value: 1 }], '1.82', 400, "Schema error for patch: 1 is not of type 'string', 'boolean', 'null'"],
    [[{ op: 'remove', path: '/maintenance' }], '1.82', 400, "Field `maintenance' cannot be None"],
    [[{ op: 'add', path: '/owner', value: 'x' }], '1.32', 406, 'Request not acceptable.'],
  ])('PATCH a node with %j at %s: %i %s', async (patch, version, status, message) => {
    const node = await createNode(t);
    const res = await t.call('PATCH', `/v1/nodes/${node.uuid}`, { body: patch, version });
    expect([res.status, fault(res).faultstring]).toEqual([status, message.replace('{node}', node.uuid)]);
  });

  it('refuses cpus, memory_mb and local_gb that Python\'s int() does not read as non-negative, on create and PATCH', async () => {
    const uuid = '9be26c0b-03f2-4d2e-ae87-c02d7f33c123';
    const created = await t.call('POST', '/v1/nodes', { body: { driver: 'fake-hardware', uuid, properties: { cpus: 'x', memory_mb: -1, local_gb: 1.5 } } });
    expect(fault(created).faultstring).toBe(`The following properties for node ${uuid} should be non-negative integers, but provided values are: cpus=x, memory_mb=-1`);
    const node = await createNode(t, { body: { driver: 'fake-hardware', properties: { cpus: ' 4 ', memory_mb: true } } });
    const patched = await t.call('PATCH', `/v1/nodes/${node.uuid}`, { body: [{ op: 'add', path: '/properties/local_gb', value: { a: 1 } }] });
    expect(fault(patched).faultstring).toBe(`The following properties for node ${node.uuid} should be non-negative integers, but provided values are: local_gb={'a': 1}`);
  });

  it('reads maintenance strings as Ironic does, and refuses a reserved name on create', async () => {
    const node = await createNode(t);
    const res = await t.call('PATCH', `/v1/nodes/${node.uuid}`, { body: [{ op: 'add', path: '/maintenance', value: 'yes' }], version: '1.82' });
    expect([res.status, res.body.maintenance]).toEqual([200, true]);
    const reserved = await t.call('POST', '/v1/nodes', { body: { driver: 'fake-hardware', name: 'states' } });
    expect(fault(reserved).faultstring).toMatch(/^The word "states" is reserved/);
  });

  it('filters nodes as Ironic does, what ironvol does not model matching as a node without it', async () => {
    const node = await createNode(t, { body: { driver: 'fake-hardware', description: 'rack 7, row B', owner: 'proj-f' } });
    const uuids = async (query: string) => (await t.call('GET', `/v1/nodes?${query}`, { version: '1.82' })).body.nodes.map((n: { uuid: string }) => n.uuid);
    expect(await uuids('description_contains=rack 7')).toEqual([node.uuid]);
    expect(await uuids('description_contains=100%25')).toEqual([]);
    expect(await uuids('project=proj-f')).toEqual([node.uuid]);
    expect(await uuids('fields=UUID,uuid&owner=proj-f')).toEqual([node.uuid]);
    for (const none of ['retired=true', 'sharded=true', 'shard=', 'fault=power%20failure', 'conductor_group=x']) {
      expect(await uuids(`${none}&owner=proj-f`)).toEqual([]);
    }
    for (const all of ['retired=false', 'sharded=false', 'conductor_group=']) expect(await uuids(`${all}&owner=proj-f`)).toEqual([node.uuid]);
    const page = await t.call('GET', '/v1/nodes?limit=1&maintenance=false&associated=false&detail=False', { version: '1.82' });
    expect(page.body.next).toMatch(/\?sort_key=id&sort_dir=asc&detail=False&fields=instance_uuid,maintenance,power_state,provision_state,uuid,name&limit=1&marker=/);
  });

  it.each([
    [{}, "Schema error for node: 'driver' is a required property"],
    [{ driver: 'redfish' }, 'No valid host was found. Reason: No conductor service registered which supports driver redfish for conductor group "".'],
    [{ driver: 'ipmi' }, 'No valid host was found. Reason: No conductor service registered which supports driver ipmi for conductor group "".'],
    [{ driver: 'fake-hardware', name: 'bad name' }, "Cannot create node with invalid name 'bad name'"],
    [{ driver: 'fake-hardware', name: '11111111-2222-3333-4444-555555555555' }, "Cannot create node with invalid name '11111111-2222-3333-4444-555555555555'"],
    [{ driver: 'fake-hardware', power_state: 'power on' }, "Schema error for node: Additional properties are not allowed ('power_state' was unexpected)"],
    [{ driver: 'fake-hardware', uuid: 'nope' }, 'Expected UUID for uuid: nope'],
    [{ driver: 'fake-hardware', extra: [] }, "Schema error for node: [] is not of type 'object', 'null'"],
  ])('refuses %j with 400', async (body, message) => {
    const res = await t.call('POST', '/v1/nodes', { body });
    expect(res.status).toBe(400);
    expect(fault(res).faultstring).toBe(message);
  });

  it('refuses duplicate names and uuids with 409', async () => {
    const node = await createNode(t);
    const name = await t.call('POST', '/v1/nodes', { body: { driver: 'fake-hardware', name: node.name } });
    expect(name.status).toBe(409);
    expect(fault(name).faultstring).toBe(`A node with name ${node.name} already exists.`);
    const uuid = await t.call('POST', '/v1/nodes', { body: { driver: 'fake-hardware', uuid: node.uuid } });
    expect(uuid.status).toBe(409);
    expect(fault(uuid).faultstring).toBe(`A node with UUID ${node.uuid} already exists.`);
  });

  it('patches a node and refuses internal fields', async () => {
    const node = await createNode(t);
    const res = await t.call('PATCH', `/v1/nodes/${node.name}`, { body: [{ op: 'add', path: '/extra/a', value: 'b' }, { op: 'replace', path: '/description', value: 'rack 4' }], version: 'latest' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ extra: { a: 'b' }, description: 'rack 4' });
    const unset = await t.call('PATCH', `/v1/nodes/${node.uuid}`, { body: [{ op: 'remove', path: '/extra/a' }] });
    expect(unset.body.extra).toEqual({});
    const bad = await t.call('PATCH', `/v1/nodes/${node.uuid}`, { body: [{ op: 'replace', path: '/power_state', value: 'power on' }] });
    expect(bad.status).toBe(400);
    expect(fault(bad).faultstring).toMatch(/^Cannot patch \/power_state\. Only the following can be updated: /);
  });

  it('powers a node on and off through the fake-hardware driver (202, Location)', async () => {
    const node = await createNode(t);
    const on = await t.call('PUT', `/v1/nodes/${node.name}/states/power`, { body: { target: 'power on' } });
    expect(on.status).toBe(202);
    expect(on.text).toBe('');
    expect(on.headers.location).toMatch(new RegExp(`/v1/nodes/${node.name}/states$`));
    const states = await t.call('GET', `/v1/nodes/${node.uuid}/states`);
    expect(states.body).toEqual({
      console_enabled: false, last_error: null, power_state: 'power on', provision_state: 'enroll', target_power_state: null,
      target_provision_state: null, provision_updated_at: null, raid_config: {}, target_raid_config: {},
    });
    await t.call('PUT', `/v1/nodes/${node.uuid}/states/power`, { body: { target: 'rebooting' } });
    expect((await t.call('GET', `/v1/nodes/${node.uuid}/states`)).body.power_state).toBe('power on');
    await t.call('PUT', `/v1/nodes/${node.uuid}/states/power`, { body: { target: 'soft power off', timeout: 10 }, version: '1.27' });
    const [row] = await t.rows('SELECT power_state FROM nodes WHERE uuid = ?', [node.uuid]);
    expect(row.power_state).toBe('power off');
  });

  it.each([
    [{ target: 'power sideways' }, '1.32', 400],
    [{ target: 'soft power off' }, '1.26', 406],
    [{ target: 'power on', timeout: 0 }, '1.32', 400],
    [{}, '1.32', 400],
    [{ target: 5 }, '1.32', 400],
  ])('refuses power request %j at %s', async (body, version, status) => {
    const node = await createNode(t);
    const res = await t.call('PUT', `/v1/nodes/${node.uuid}/states/power`, { body, version });
    expect(res.status).toBe(status);
  });

  it('names the bad power target as Ironic does', async () => {
    const node = await createNode(t);
    const res = await t.call('PUT', `/v1/nodes/${node.uuid}/states/power`, { body: { target: 'power sideways' } });
    expect(fault(res).faultstring).toBe(`The requested action "power sideways" can not be performed on node "${node.uuid}" while it is in state "None".`);
  });

  it('moves a node through manage, provide, active and deleted', async () => {
    const node = await createNode(t);
    const steps: Array<[string, number, string]> = [
      ['manage', 202, 'manageable'], ['provide', 202, 'available'], ['active', 202, 'active'], ['manage', 400, 'active'], ['deleted', 202, 'available'],
    ];
    for (const [target, status, state] of steps) {
      const res = await t.call('PUT', `/v1/nodes/${node.uuid}/states/provision`, { body: { target } });
      expect(res.status).toBe(status);
      expect((await t.call('GET', `/v1/nodes/${node.uuid}/states`)).body.provision_state).toBe(state);
    }
    const bad = await t.call('PUT', `/v1/nodes/${node.uuid}/states/provision`, { body: { target: 'fly' } });
    expect(fault(bad).faultstring).toBe(`The requested action "fly" can not be performed on node "${node.uuid}" while it is in state "available".`);
  });

  it('refuses deleting an active node', async () => {
    const node = await createNode(t);
    for (const target of ['manage', 'provide', 'active']) await t.call('PUT', `/v1/nodes/${node.uuid}/states/provision`, { body: { target } });
    const res = await t.call('DELETE', `/v1/nodes/${node.uuid}`);
    expect(res.status).toBe(400);
    expect(fault(res).faultstring).toMatch(/while it is in provision state "active"/);
  });

  it('deletes a node with its connectors and targets in one go', async () => {
    const node = await createNode(t, { power: 'power on' });
    await createConnector(t, node.uuid);
    await createTarget(t, node.uuid);
    const res = await t.call('DELETE', `/v1/nodes/${node.uuid}`);
    expect(res.status).toBe(204);
    const [n] = await t.rows('SELECT COUNT(*) AS n FROM nodes WHERE uuid = ?', [node.uuid]);
    expect(Number(n.n)).toBe(0);
    const orphans = await t.rows('SELECT COUNT(*) AS n FROM volume_connectors c LEFT JOIN nodes n ON n.id = c.node_id WHERE n.id IS NULL');
    expect(Number(orphans[0].n)).toBe(0);
    expect((await t.call('GET', `/v1/nodes/${node.uuid}`)).status).toBe(404);
  });

  it('refuses deleting a node with an instance (409)', async () => {
    const instance = '22222222-3333-4444-5555-666666666666';
    const node = await createNode(t, { body: { driver: 'fake-hardware', instance_uuid: instance, name: unique('inst') } });
    const res = await t.call('DELETE', `/v1/nodes/${node.uuid}`);
    expect(res.status).toBe(409);
    expect(fault(res).faultstring).toBe(`Node ${node.uuid} is associated with instance ${instance}.`);
  });

  // Ironic's router refuses a node identifier that is neither a UUID nor a name before anything else below
  // /v1/nodes/{node}, with its framework's 400, at every microversion; its state handlers name it node_ident.
  it.each([
    ['GET', '/v1/nodes/bad%20name', '1.82'],
    ['GET', '/v1/nodes/%E2%9C%93', '1.1'],
    ['PATCH', '/v1/nodes/bad%20name', '1.82'],
    ['DELETE', '/v1/nodes/bad%20name', '1.82'],
    ['POST', '/v1/nodes/bad%20name', '1.82'],
    ['GET', '/v1/nodes/bad%20name/bogus', '1.82'],
    ['PUT', '/v1/nodes/bad%20name/states', '1.82'],
    ['GET', '/v1/nodes/bad%20name/volume/connectors?foo=1', '1.31'],
    ['POST', '/v1/nodes/bad%20name/volume/connectors', '1.32'],
  ])('%s %s at %s: the router\'s 400', async (method, path, version) => {
    const res = await t.call(method, path, { version, raw: 'not json' });
    expect([res.status, fault(res)]).toEqual([400, { code: 400, title: 'Bad Request', description: `Expected UUID or name for node: ${decodeURIComponent(path.split('/')[3])}` }]);
  });

  it.each([
    ['GET', '/v1/nodes/bad%20name/states', undefined],
    ['PUT', '/v1/nodes/bad%20name/states/power', { target: 'power on' }],
    ['PUT', '/v1/nodes/bad%20name/states/provision', { target: 'manage' }],
  ])('%s %s: 400 naming node_ident, at every microversion', async (method, path, body) => {
    for (const version of ['1.1', '1.82']) {
      const res = await t.call(method, path, { version, body });
      expect([res.status, fault(res).faultstring]).toEqual([400, 'Expected UUID or name for node_ident: bad name']);
    }
  });

  it.each([
    ['/v1/nodes/no-such-node', 404, 'Node no-such-node could not be found.'],
    ['/v1/nodes?fields=bogus', 400, 'Field(s) "bogus" are not valid'],
    ['/v1/nodes?sort_key=extra', 400, 'The sort_key value extra is an invalid field for sorting'],
  ])('GET %s answers %d', async (path, status, message) => {
    const res = await t.call('GET', path);
    expect(res.status).toBe(status);
    expect(fault(res).faultstring).toBe(message);
  });
});
