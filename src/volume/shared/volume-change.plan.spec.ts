import type { Identity } from '../../common/http/identity';
import { NodeService } from '../../node/node.service';
import { newTestService } from '../../../test/support/new-test-service';
import { CONNECTOR_KIND, ConnectorData } from '../connectors/connector.kind';
import { VolumePlanner } from './volume-change.plan';
import { VOLUME_KIND, VolumeRow } from './volume-kind';
import { VolumeRepository } from './volume.repository';

const ADMIN: Identity = { user: 'admin', roles: ['admin'], project: null };
const MEMBER: Identity = { user: 'u', roles: ['member'], project: 'p1' };
const SOURCE = '1be26c0b-03f2-4d2e-ae87-c02d7f33c123';
const DESTINATION = { id: 9, uuid: '6d85703a-565d-469a-96ce-30b6de53079d', power_state: 'power off', owner: null, lessee: null };
const ITEM = '0b4d3a43-3ea5-4f6a-8a62-2b3b2e64a3a4';

function connectorRow(changes: Partial<VolumeRow<ConnectorData>> = {}): VolumeRow<ConnectorData> {
  return {
    id: 1, uuid: ITEM, node_id: 7, node_uuid: SOURCE, node_power_state: 'power off', node_owner: 'p1', node_lessee: null,
    version: 2, created_at: '2026-12-01T10:00:00.000000', updated_at: null,
    connector_id: 'iqn.2026-12.org.example:n1', type: 'iqn', extra: '{}', ...changes,
  };
}

function setup(row: VolumeRow<ConnectorData> | null = connectorRow()) {
  const service = newTestService(VolumePlanner, new Map([[VOLUME_KIND, CONNECTOR_KIND]]));
  const rows = service.mock(VolumeRepository) as jest.Mocked<VolumeRepository<ConnectorData>>;
  rows.findByUuid.mockResolvedValue(row);
  rows.data.mockImplementation((r) => ({ connector_id: r.connector_id, type: r.type, extra: JSON.parse(r.extra) }));
  const nodes = service.mock(NodeService);
  nodes.findRefByUuid.mockImplementation(async (uuid) => (uuid === DESTINATION.uuid ? DESTINATION : null));
  return { sut: service.sut as VolumePlanner<ConnectorData>, rows, nodes };
}

describe(VolumePlanner.name, () => {
  it('plans a PATCH against the item as read: the patched data and its node', async () => {
    const { sut } = setup();
    const plan = await sut.update(ITEM, [{ op: 'replace', path: '/connector_id', value: 'iqn.2026-12.org.example:n2' }], ADMIN);
    expect(plan.data).toEqual({ connector_id: 'iqn.2026-12.org.example:n2', extra: {}, type: 'iqn' });
    expect(plan.destination).toBeNull();
    expect(plan.nodes).toEqual([{ uuid: SOURCE, power_state: 'power off' }]);
  });

  it('plans a move with the destination node after the source, for the powered-off rule to check both', async () => {
    const { sut } = setup();
    const plan = await sut.update(ITEM, [{ op: 'replace', path: '/node_uuid', value: DESTINATION.uuid.toUpperCase() }], ADMIN);
    expect(plan.destination).toBe(DESTINATION);
    expect(plan.nodes.map((node) => node.uuid)).toEqual([SOURCE, DESTINATION.uuid]);
  });

  it('refuses a move to a node that does not exist (400), after the item was found', async () => {
    const { sut } = setup();
    const missing = '8f4c5b9e-66f1-4a43-9d0c-6f2ad1d1f0a3';
    await expect(sut.update(ITEM, [{ op: 'replace', path: '/node_uuid', value: missing }], ADMIN)).rejects.toMatchObject({ status: 400 });
  });

  it('answers 404 for an item on a node the caller may not see, before reading the patch further', async () => {
    const { sut } = setup(connectorRow({ node_owner: 'p2' }));
    await expect(sut.update(ITEM, [{ op: 'replace', path: '/bogus', value: 1 }], MEMBER)).rejects.toMatchObject({ status: 404 });
  });

  it('looks the item up before refusing a null document, as Ironic does', async () => {
    const missing = setup(null);
    await expect(missing.sut.update(ITEM, null, ADMIN)).rejects.toMatchObject({ status: 404 });
    const found = setup();
    await expect(found.sut.update(ITEM, null, ADMIN)).rejects.toMatchObject({ status: 400 });
    expect(found.rows.findByUuid).toHaveBeenCalledWith(ITEM);
  });

  it('plans a DELETE with the node as it was read', async () => {
    const { sut } = setup(connectorRow({ node_power_state: 'power on' }));
    const plan = await sut.delete(ITEM, ADMIN);
    expect(plan.nodes).toEqual([{ uuid: SOURCE, power_state: 'power on' }]);
  });

  it('refuses a reader (403) once the item is found', async () => {
    const { sut } = setup();
    await expect(sut.delete(ITEM, { user: 'r', roles: ['reader'], project: 'p1' })).rejects.toMatchObject({ status: 403 });
  });
});
