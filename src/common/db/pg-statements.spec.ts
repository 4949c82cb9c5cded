import fc from 'fast-check';
import { Client } from 'pg';
import { numberPlaceholders, PgStatements } from './pg-statements';

describe('numberPlaceholders', () => {
  it('numbers every "?" from $1 in order and leaves the rest of the text alone', () => {
    const piece = fc.string().map((s) => s.replace(/[?$]/g, ''));
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 12 }), (pieces) => {
        const text = numberPlaceholders(pieces.join('?'));
        expect(text).toBe(pieces.map((p, i) => (i ? `$${i}${p}` : p)).join(''));
      }),
    );
  });
});

describe('PgStatements', () => {
  it('gives each text one name for good, names no more texts than allowed, and passes the values on', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 6 }), fc.array(fc.integer({ min: 0, max: 12 }), { maxLength: 100 }), (maxNamed, uses) => {
        const statements = new PgStatements(maxNamed);
        const names = new Map<number, string | undefined>();
        for (const key of uses) {
          const values = [key, `v${key}`];
          const query = statements.query(`SELECT ? AS n, ? AS s FROM t${key}`, values);
          expect(query.text).toBe(`SELECT $1 AS n, $2 AS s FROM t${key}`);
          expect(query.values).toBe(values);
          if (!names.has(key)) names.set(key, query.name);
          expect(query.name).toBe(names.get(key));
        }
        const given = [...names.values()].filter((name) => name !== undefined);
        expect(new Set(given).size).toBe(given.length);
        expect(given.length).toBe(Math.min(maxNamed, names.size));
        // The texts met first are the ones named.
        const order = [...names.keys()];
        order.forEach((key, i) => expect(names.get(key) !== undefined).toBe(i < maxNamed));
      }),
    );
  });
});

const postgresUrl = process.env.TEST_POSTGRES_URL;
(postgresUrl ? describe : describe.skip)('PgStatements on PostgreSQL', () => {
  const client = new Client({ connectionString: postgresUrl });
  beforeAll(() => client.connect());
  afterAll(() => client.end());

  it('prepares a named text once on a connection and answers from it with each run\'s values', async () => {
    const statements = new PgStatements(10);
    const sql = 'SELECT ?::int + 1 AS next, ?::text AS label';
    for (let i = 0; i < 5; i++) {
      const { rows } = await client.query(statements.query(sql, [i, `run ${i}`]));
      expect(rows).toEqual([{ next: i + 1, label: `run ${i}` }]);
    }
    const { name } = statements.query(sql, []);
    const prepared = await client.query('SELECT statement FROM pg_prepared_statements WHERE name = $1', [name]);
    expect(prepared.rows).toEqual([{ statement: 'SELECT $1::int + 1 AS next, $2::text AS label' }]);
  });
});
