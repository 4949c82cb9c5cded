import type { QueryConfig } from 'pg';

interface PgStatement {
  text: string;
  name?: string;
}

/**
 * The service's SQL as PostgreSQL takes it: "?" placeholders rewritten as
 * "$1, $2, …", and a name under which node-postgres prepares each text once
 * per connection. A named statement is parsed and planned by PostgreSQL the
 * first time a connection runs it and only bound and executed after that;
 * an unnamed one is parsed and planned on every run, by PostgreSQL's backend
 * on the same cores as the service.
 *
 * Only the first `maxNamed` texts a process meets are named: a query with an
 * IN list has one text per list length, and every named text holds a plan on
 * every pooled connection until it closes. The texts the service runs on
 * every request are met first.
 */
export class PgStatements {
  private readonly statements = new Map<string, PgStatement>();
  private named = 0;

  constructor(private readonly maxNamed: number) {}

  /** The query node-postgres runs for `sql` with `values`. */
  query(sql: string, values: readonly unknown[]): QueryConfig {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = { text: numberPlaceholders(sql) };
      if (this.named < this.maxNamed) statement.name = `ironvol_${++this.named}`;
      this.statements.set(sql, statement);
    }
    return { name: statement.name, text: statement.text, values: values as unknown[] };
  }
}

/** "?" placeholders as "$1, $2, …". The service's SQL has no "?" inside its literals. */
export function numberPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}
