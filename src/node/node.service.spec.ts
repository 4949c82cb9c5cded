import { APP_CONFIG } from '../config/config.module';
import type { Tx } from '../common/db/db.service';
import type { Identity } from '../common/http/identity';
import type { ViewContext } from '../common/http/view-context';
import { newTestService } from '../../test/support/new-test-service';
import { NodeRepository, NodeRow } from './node.repository';
import { NodeService } from './node.service';
import { PowerDrivers } from './power/power-drivers';
import { HardwareInterfaces } from './hardware/hardware-interfaces';

const ADMIN: Identity = { user: 'admin', roles: ['admin'], project: null };
const MEMBER: Identity = { user: 'u', roles: ['member'], project: 'p1' };
const ctx = (caller: Identity = ADMIN, minor = 82): ViewContext => ({ base: 'http://h', minor, caller });
const TX = { query: jest.fn(), run: jest.fn() } as unknown as Tx;

function nodeRow(changes: Partial<NodeRow> = {}): NodeRow {
  return {
    id: 7, uuid: '1be26c0b-03f2-4d2e-ae87-c02d7f33c123', name: 'n1', driver: 'fake-hardware', description: null, owner: 'p2',
    lessee: null, power_state: 'power off', target_power_state: null, provision_state: 'enroll', target_provision_state: null,
    provision_updated_at: null, maintenance: 0, maintenance_reason: null, instance_uuid: null, resource_class: null,
    last_error: null, properties: '{}', extra: '{}', driver_info: '{}', instance_info: '{}', version: 3, reservation: null,
    reserved_at: null, created_at: '2026-12-01T10:00:00.000000', updated_at: null, boot_interface: 'fake',
    deploy_interface: 'fake', storage_interface: 'noop', ...changes,
  };
}

function setup() {
  const service = newTestService(NodeService, new Map([[APP_CONFIG, { maxLimit: 1000 }]]));
  const nodes = service.mock(NodeRepository);
  nodes.write.mockImplementation(async (_nodes, fn) => fn(TX));
  nodes.update.mockResolvedValue('2026-12-05T12:00:00.000000');
  const drivers = service.mock(PowerDrivers);
  drivers.has.mockImplementation((driver) => driver === 'fake-hardware');
  Object.assign(drivers, { interfaces: new HardwareInterfaces({ boot: ['fake'], deploy: ['fake'], storage: ['noop', 'external'] }) });
  return { sut: service.sut, nodes };
}

describe(NodeService.name, () => {
  describe('show', () => {
    it('answers a node the caller may see, with its ETag', async () => {
      const { sut, nodes } = setup();
      nodes.findByIdent.mockResolvedValue(nodeRow());
      const shown = await sut.show({ ident: 'n1', fields: ['uuid', 'name'] }, ctx());
      expect(nodes.findByIdent).toHaveBeenCalledWith('n1', false, undefined);
      expect(shown.body).toEqual({ uuid: nodeRow().uuid, name: 'n1', links: expect.any(Array) });
      expect(shown.etag).toBe('"3-20261201100000000000"');
    });

    it("hides another project's node as if it did not exist (404)", async () => {
      const { sut, nodes } = setup();
      nodes.findByIdent.mockResolvedValue(nodeRow({ owner: 'p2' }));
      await expect(sut.show({ ident: 'n1', fields: undefined }, ctx(MEMBER))).rejects.toMatchObject({ status: 404 });
    });

    it('names an unknown field only once the node is found, as Ironic does', async () => {
      const { sut, nodes } = setup();
      nodes.findByIdent.mockResolvedValue(null);
      await expect(sut.show({ ident: 'n1', fields: ['bogus'] }, ctx())).rejects.toMatchObject({ status: 404 });
      nodes.findByIdent.mockResolvedValue(nodeRow());
      await expect(sut.show({ ident: 'n1', fields: ['bogus'] }, ctx())).rejects.toThrow('Field bogus is not a valid field.');
    });
  });

  describe('update', () => {
    const patch = [{ op: 'add' as const, path: '/extra/a', value: 1 }];

    it('writes the patched columns under the node lock', async () => {
      const { sut, nodes } = setup();
      const row = nodeRow();
      nodes.findByIdent.mockResolvedValue(row);
      nodes.acquire.mockResolvedValue([row]);
      const updated = await sut.update({ ident: 'n1', patch }, undefined, ctx());
      expect(nodes.acquire).toHaveBeenCalledWith(TX, [row], 'node update');
      expect(nodes.update).toHaveBeenCalledWith(TX, 7, expect.objectContaining({ extra: '{"a":1}', name: 'n1' }));
      expect(updated.body).toMatchObject({ extra: { a: 1 }, updated_at: '2026-12-05T12:00:00.000000' });
      expect(updated.etag).toBe('"4-20261201100000000000"');
    });

    it('plans again on the row as it is under the lock when another change landed in between', async () => {
      const { sut, nodes } = setup();
      const planned = nodeRow();
      const landed = nodeRow({ version: 4, extra: '{"b":2}' });
      nodes.findByIdent.mockResolvedValueOnce(planned).mockResolvedValueOnce(landed);
      nodes.acquire.mockResolvedValue([landed]);
      await sut.update({ ident: 'n1', patch }, undefined, ctx());
      expect(nodes.findByIdent).toHaveBeenLastCalledWith(planned.uuid, true, TX);
      expect(nodes.update).toHaveBeenCalledWith(TX, 7, expect.objectContaining({ extra: '{"b":2,"a":1}' }));
    });

    it('refuses an invalid name before anything is written', async () => {
      const { sut, nodes } = setup();
      nodes.findByIdent.mockResolvedValue(nodeRow());
      const rename = [{ op: 'replace' as const, path: '/name', value: 'has space' }];
      await expect(sut.update({ ident: 'n1', patch: rename }, undefined, ctx())).rejects.toThrow(
        "Node n1: Cannot change name to invalid name 'has space'",
      );
      expect(nodes.write).not.toHaveBeenCalled();
    });

    it('refuses a stale If-Match (412) without writing', async () => {
      const { sut, nodes } = setup();
      nodes.findByIdent.mockResolvedValue(nodeRow());
      nodes.acquire.mockResolvedValue([nodeRow()]);
      await expect(sut.update({ ident: 'n1', patch }, '"2-x"', ctx())).rejects.toMatchObject({ status: 412 });
      expect(nodes.update).not.toHaveBeenCalled();
    });
  });

  it('refuses an interface change once deployed (409), and an interface that is not enabled (400)', async () => {
    const { sut, nodes } = setup();
    nodes.findByIdent.mockResolvedValue(nodeRow({ provision_state: 'active' }));
    const external = [{ op: 'replace' as const, path: '/storage_interface', value: 'external' }];
    await expect(sut.update({ ident: 'n1', patch: external }, undefined, ctx())).rejects.toThrow(
      `Node ${nodeRow().uuid} can not have storage_interface updated unless it is in one of allowed (enroll, inspecting, inspect wait, manageable, available) states or in maintenance mode.`,
    );
    nodes.findByIdent.mockResolvedValue(nodeRow({ provision_state: 'active', maintenance: 1 }));
    nodes.acquire.mockResolvedValue([nodeRow()]);
    await expect(sut.update({ ident: 'n1', patch: external }, undefined, ctx())).resolves.toMatchObject({ body: { storage_interface: 'external' } });
    const ipxe = [{ op: 'replace' as const, path: '/boot_interface', value: 'ipxe' }];
    await expect(sut.update({ ident: 'n1', patch: ipxe }, undefined, ctx())).rejects.toThrow(
      "Could not find the following interface in the 'ironic.hardware.interfaces.boot' entrypoint: ipxe. Valid interfaces are ['fake'].",
    );
  });

  describe('delete', () => {
    it('deletes only the node: its volume rows go with it by the foreign keys', async () => {
      const { sut, nodes } = setup();
      nodes.findByIdent.mockResolvedValue(nodeRow());
      nodes.findById.mockResolvedValue(nodeRow());
      await sut.delete('n1', undefined, ctx());
      expect(nodes.delete).toHaveBeenCalledWith(TX, 7);
      expect((TX.run as jest.Mock).mock.calls).toEqual([]);
    });

    it('refuses a node with an instance (409) and one in a state Ironic does not delete (400)', async () => {
      const { sut, nodes } = setup();
      nodes.findByIdent.mockResolvedValue(nodeRow());
      nodes.findById.mockResolvedValueOnce(nodeRow({ instance_uuid: '0b4d3a43-3ea5-4f6a-8a62-2b3b2e64a3a4' }));
      await expect(sut.delete('n1', undefined, ctx())).rejects.toMatchObject({ status: 409 });
      nodes.findById.mockResolvedValueOnce(nodeRow({ provision_state: 'active' }));
      await expect(sut.delete('n1', undefined, ctx())).rejects.toThrow('while it is in provision state "active"');
      expect(nodes.delete).not.toHaveBeenCalled();
    });
  });

  describe('create', () => {
    it('refuses a driver this service has not loaded before anything is written', async () => {
      const { sut, nodes } = setup();
      await expect(sut.create({ driver: 'redfish' }, ctx())).rejects.toThrow('No conductor service registered which supports driver redfish');
      expect(nodes.write).not.toHaveBeenCalled();
    });

    it('inserts an enrolled node and answers it as read back', async () => {
      const { sut, nodes } = setup();
      nodes.findByIdent.mockImplementation(async (uuid) => nodeRow({ uuid, name: 'new' }));
      const created = await sut.create({ driver: 'fake-hardware', name: 'new' }, ctx());
      expect(nodes.insert).toHaveBeenCalledWith(TX, expect.objectContaining({ provision_state: 'enroll', name: 'new', uuid: created.uuid }));
    });
  });
});
