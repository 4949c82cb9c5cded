import Database from 'better-sqlite3';
import fc from 'fast-check';
import { PreparedRead, prepared, StatementCache } from './sqlite-statements';

describe('StatementCache', () => {
  it('keeps the most recently used statements, up to its capacity, as a reference list would', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.array(fc.integer({ min: 0, max: 15 }), { maxLength: 300 }), (capacity, uses) => {
        const cache = new StatementCache<string>(capacity);
        let recent: number[] = [];
        for (const key of uses) {
          const sql = `SELECT ${key}`;
          const hit = cache.get(sql);
          expect(hit).toBe(recent.includes(key) ? `statement ${key}` : undefined);
          if (hit === undefined) cache.set(sql, `statement ${key}`);
          recent = [...recent.filter((k) => k !== key), key].slice(-capacity);
          expect(cache.size).toBe(recent.length);
        }
      }),
    );
  });
});

describe('PreparedRead', () => {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, size REAL, data BLOB, note TEXT)');

  it('gives the rows better-sqlite3 gives, for any table content', () => {
    const row = fc.record({
      name: fc.option(fc.string(), { nil: null }),
      size: fc.option(fc.double({ noNaN: true, noDefaultInfinity: true }), { nil: null }),
      note: fc.option(fc.string(), { nil: null }),
    });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 20 }), (rows) => {
        db.exec('DELETE FROM t');
        const insert = db.prepare('INSERT INTO t (name, size, data, note) VALUES (?, ?, ?, ?)');
        rows.forEach((r, i) => insert.run(r.name, r.size, Buffer.from([i]), r.note));
        // Two columns named id: the later one wins in both.
        const sql = 'SELECT id, name, size, data, note, id * 2 AS id FROM t ORDER BY id';
        const read = prepared(db.prepare(sql));
        expect(read).toBeInstanceOf(PreparedRead);
        expect((read as PreparedRead).all([])).toEqual(db.prepare(sql).all());
      }),
      { numRuns: 50 },
    );
  });

  it('leaves writes as they are', () => {
    expect(prepared(db.prepare('DELETE FROM t'))).not.toBeInstanceOf(PreparedRead);
  });
});
