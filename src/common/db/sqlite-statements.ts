import type { Statement } from 'better-sqlite3';

/**
 * A SQLite read: its rows come back as arrays and are made into objects with
 * the statement's column names (a later column of the same name wins, as in
 * better-sqlite3's own rows).
 */
export class PreparedRead {
  private readonly names: string[];

  constructor(readonly statement: Statement) {
    statement.raw(true);
    this.names = statement.columns().map((column) => column.name);
  }

  all(params: unknown[]): Record<string, unknown>[] {
    const rows = this.statement.all(...params) as unknown[][];
    const names = this.names;
    const objects = new Array<Record<string, unknown>>(rows.length);
    for (let r = 0; r < rows.length; r++) {
      const values = rows[r];
      const object: Record<string, unknown> = {};
      for (let c = 0; c < names.length; c++) object[names[c]] = values[c];
      objects[r] = object;
    }
    return objects;
  }
}

export function prepared(statement: Statement): PreparedRead | Statement {
  return statement.reader ? new PreparedRead(statement) : statement;
}

/** The most recently used prepared statements, by SQL text; the least recently used one goes first. */
export class StatementCache<S = PreparedRead | Statement> {
  private readonly entries = new Map<string, S>();

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.entries.size;
  }

  get(sql: string): S | undefined {
    const statement = this.entries.get(sql);
    if (statement !== undefined) {
      this.entries.delete(sql);
      this.entries.set(sql, statement);
    }
    return statement;
  }

  set(sql: string, statement: S): void {
    this.entries.set(sql, statement);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }
}
