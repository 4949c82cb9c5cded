import { Injectable } from '@nestjs/common';
import { Db, Tx } from '../common/db/db.service';
import type { ConnectorRecord, TargetRecord } from './boot-plan';

/** What the boot listener reads of a node before it writes the node's script. */
export interface BootNode {
  id: number;
  uuid: string;
  provision_state: string;
  boot_interface: string | null;
  storage_interface: string | null;
  last_error: string | null;
}

const BOOT_NODE = 'n.id, n.uuid, n.provision_state, n.boot_interface, n.storage_interface, n.last_error';

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

  /** Ironic's external storage interface on tear down: every volume target of the node goes (its connectors stay). */
  async deleteTargets(tx: Tx, nodeId: number): Promise<void> {
    await tx.run('DELETE FROM volume_targets WHERE node_id = ?', [nodeId]);
  }

  /**
   * The nodes whose mac connector names this NIC, written with colons or
   * hyphens, in lower or upper case: four exact forms, so the lookup is one
   * probe of the (type, connector_id) unique index however many connectors
   * there are (a boot storm asks this of every machine).
   */
  nodesByMac(mac: string): Promise<BootNode[]> {
    const hyphens = mac.replace(/:/g, '-');
    return this.db.query<BootNode>(
      `SELECT DISTINCT ${BOOT_NODE} FROM volume_connectors c JOIN nodes n ON n.id = c.node_id WHERE c.type = 'mac' AND c.connector_id IN (?, ?, ?, ?)`,
      [mac, mac.toUpperCase(), hyphens, hyphens.toUpperCase()],
    );
  }

  async nodeByUuid(uuid: string): Promise<BootNode | null> {
    const [node] = await this.db.query<BootNode>(`SELECT ${BOOT_NODE} FROM nodes n WHERE n.uuid = ?`, [uuid]);
    return node ?? null;
  }
}
