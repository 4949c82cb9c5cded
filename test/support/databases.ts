/**
 * The databases the e2e suite runs on: SQLite always, PostgreSQL and
 * MariaDB/MySQL when TEST_POSTGRES_URL / TEST_MYSQL_URL are set.
 */
export function testDatabases(): Array<[string, string]> {
  const list: Array<[string, string]> = [['sqlite', 'sqlite']];
  if (process.env.TEST_POSTGRES_URL) list.push(['postgres', process.env.TEST_POSTGRES_URL]);
  if (process.env.TEST_MYSQL_URL) list.push(['mysql', process.env.TEST_MYSQL_URL]);
  return list;
}
