import { Injectable } from '@nestjs/common';
import { Db } from '../common/db/db.service';
import type { ConnectorRecord, TargetRecord } from './boot-plan';

/** What booting a node reads of its volume records, in two queries. */
@Injectable()
export class BootRepository {
  constructor(private readonly db: Db) {}

  /** The node's connectors and targets, each in the order they were made. */
  async volumesOf(nodeId: number): Promise<{ connectors: ConnectorRecord[]; targets: TargetRecord[] }> {
    const [connectors, targets] = await Promise.all([
      this.db.query<ConnectorRecord>('SELECT type, connector_id FROM volume_connectors WHERE node_id = ? ORDER BY id', [nodeId]),
      this.db.query<Omit<TargetRecord, 'properties'> & { properties: string }>(
        'SELECT uuid, volume_type, boot_index, properties FROM volume_targets WHERE node_id = ? ORDER BY id',
        [nodeId],
      ),
    ]);
    return { connectors, targets: targets.map((target) => ({ ...target, properties: JSON.parse(target.properties || '{}') as Record<string, unknown> })) };
  }
}
