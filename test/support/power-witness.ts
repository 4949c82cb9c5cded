import type { DataSource } from 'typeorm';

/**
 * Installs, in a PostgreSQL test database only, a trigger that records every
 * connector or target change that lands while a node it is on (or moves to)
 * has a committed power state other than "power off". The service must
 * never let it record anything.
 */
export async function installPowerWitness(db: DataSource): Promise<void> {
  await db.query('DROP TABLE IF EXISTS power_violations');
  await db.query('CREATE TABLE power_violations (id serial PRIMARY KEY, tbl text, operation text, node_id integer, state text)');
  await db.query(`
    CREATE OR REPLACE FUNCTION power_witness() RETURNS trigger AS $$
    DECLARE
      ids integer[];
      n record;
    BEGIN
      IF TG_OP = 'DELETE' THEN ids := ARRAY[OLD.node_id]; ELSE ids := ARRAY[OLD.node_id, NEW.node_id]; END IF;
      FOR n IN SELECT id, power_state FROM nodes WHERE id = ANY(ids) LOOP
        IF n.power_state IS DISTINCT FROM 'power off' THEN
          INSERT INTO power_violations (tbl, operation, node_id, state) VALUES (TG_TABLE_NAME, TG_OP, n.id, n.power_state);
        END IF;
      END LOOP;
      IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql`);
  for (const table of ['volume_connectors', 'volume_targets']) {
    await db.query(`DROP TRIGGER IF EXISTS power_witness ON ${table}`);
    await db.query(`CREATE TRIGGER power_witness BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION power_witness()`);
  }
}

export async function powerViolations(db: DataSource): Promise<unknown[]> {
  return db.query('SELECT * FROM power_violations');
}

export async function removePowerWitness(db: DataSource): Promise<void> {
  for (const table of ['volume_connectors', 'volume_targets']) {
    await db.query(`DROP TRIGGER IF EXISTS power_witness ON ${table}`).catch(() => undefined);
  }
}
