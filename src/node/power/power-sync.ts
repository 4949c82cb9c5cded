import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { Logger } from 'pino';
import { POWER_CONFIG, PowerConfig } from './power-config';
import { LOGGER } from '../../observability/logger';
import { APP_CONFIG } from '../../config/config.module';
import type { ServiceConfig } from '../../config/config';
import { powerSyncCorrections, powerSyncLag } from '../../observability/metrics';
import { driverNode } from '../node.mapper';
import { NodeReservations } from '../node-reservations';
import { MachineRow, NodeRepository } from '../node.repository';
import type { PowerState } from './power-driver';
import { PowerDrivers } from './power-drivers';
import { PowerEvents } from './power-events';

/** last_error written by the sync, and cleared by it once the BMC answers again. */
const SYNC_ERROR = 'Power state sync';

/**
 * Ironic's sync_power_state: every POWER_SYNC_INTERVAL_SECONDS, the BMC of
 * each node whose driver reads the machine is asked for the machine's power
 * (enrolled nodes and nodes in maintenance are left alone, as in Ironic),
 * a few BMCs at a time. When the machine differs from the record, the
 * machine is put back to the recorded state (POWER_SYNC_FORCE, Ironic's
 * force_power_state_during_sync) or the record takes the machine's state.
 * A node is synced under its reservation, so with several replicas each
 * node is synced by one at a time, and never during a power action.
 *
 * Ironic's power_state_sync_max_retries puts a node whose BMC keeps failing
 * into maintenance with power_state None; here the recorded power_state
 * stays as it was (the powered-off rule keeps trusting nothing it cannot
 * confirm: the live check refuses changes while the BMC is silent), and
 * after POWER_SYNC_MAX_RETRIES failures in a row last_error says so, until
 * the BMC answers again.
 */
@Injectable()
export class PowerSync implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly failures = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private pass: Promise<void> | null = null;
  private lastPassAt = Date.now();

  constructor(
    private readonly nodes: NodeRepository,
    private readonly reservations: NodeReservations,
    @Inject(POWER_CONFIG) private readonly power: PowerConfig,
    private readonly drivers: PowerDrivers,
    private readonly events: PowerEvents,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(APP_CONFIG) private readonly service: ServiceConfig,
  ) {}

  onApplicationBootstrap(): void {
    const interval = this.power.syncIntervalMs;
    if (interval === 0 || this.drivers.machineReaders().length === 0) return;
    // Under WORKERS the first worker polls the BMCs; the others would only ask them again.
    if ((this.service.workerSlot ?? 0) !== 0) return;
    this.timer = setInterval(() => void this.runPass(), interval);
    this.timer.unref();
    powerSyncLag.reset();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.pass;
  }

  /** One pass over the nodes; a pass still running when the next is due is not doubled. */
  runPass(): Promise<void> {
    this.pass ??= this.syncAll()
      .catch((error: Error) => this.logger.warn({ err: error.message }, 'power state sync pass failed'))
      .finally(() => {
        this.pass = null;
        this.lastPassAt = Date.now();
        powerSyncLag.set(0);
      });
    return this.pass;
  }

  private async syncAll(): Promise<void> {
    const started = Date.now();
    powerSyncLag.set((started - this.lastPassAt) / 1000);
    const drivers = this.drivers.machineReaders();
    const rows = await this.nodes.machinesToSync(drivers);
    let next = 0;
    const worker = async () => {
      while (next < rows.length) await this.syncOne(rows[next++]);
    };
    await Promise.all(Array.from({ length: Math.min(this.power.syncConcurrency, rows.length) }, worker));
    this.logger.info({ nodes: rows.length, duration_ms: Date.now() - started }, 'power state sync pass');
  }

  private async syncOne(listed: MachineRow): Promise<void> {
    const driver = this.drivers.get(listed.driver)!;
    let row = listed;
    const reservedAt = await this.reservations.tryReserve(listed, 'power state sync', async (tx) => {
      // The record as it is now, under the lock: a power action may have changed it since the listing.
      row = await this.nodes.machine(tx, listed.id);
    });
    if (!reservedAt) return; // another replica, or a power action, holds the node
    const node = driverNode(row);
    let powerState = row.power_state;
    let lastError = row.last_error;
    let forced: 'end' | 'error' | null = null;
    try {
      const machine = await driver.getPowerState!(node, { once: true });
      this.failures.delete(row.uuid);
      if (lastError?.startsWith(SYNC_ERROR)) lastError = null;
      if (row.power_state === null) {
        powerState = machine;
      } else if (machine !== row.power_state) {
        if (this.power.syncForce) {
          this.logger.warn({ node: row.uuid, machine, recorded: row.power_state }, 'power state sync: machine differs from the record; putting it back');
          forced = 'error';
          await driver.setPowerState(node, row.power_state as PowerState);
          forced = 'end';
          powerSyncCorrections.inc({ action: 'forced' });
        } else {
          this.logger.warn({ node: row.uuid, machine, recorded: row.power_state }, 'power state sync: machine differs from the record; recording it');
          powerState = machine;
          powerSyncCorrections.inc({ action: 'recorded' });
        }
      }
    } catch (error) {
      const failures = (this.failures.get(row.uuid) ?? 0) + 1;
      this.failures.set(row.uuid, failures);
      if (failures >= this.power.syncMaxRetries) {
        lastError = `${SYNC_ERROR} failed ${failures} times in a row for node ${row.uuid}; its power state stays as recorded: ${(error as Error).message}`;
      }
    }
    await this.reservations.release(row, reservedAt, async (tx, at) => {
      if (powerState !== row.power_state || lastError !== row.last_error) {
        await this.nodes.update(tx, row.id, { power_state: powerState, last_error: lastError }, at);
      }
      // Ironic forces the state through its power action, which announces itself; both events are written once its outcome is known.
      if (forced) {
        await this.events.powerSet(tx, row.id, 'start', row.power_state!);
        await this.events.powerSet(tx, row.id, forced, row.power_state!);
      }
      if (powerState !== row.power_state) await this.events.corrected(tx, row.id, row.power_state);
    });
  }
}
