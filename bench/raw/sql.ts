import type { Pool, QueryResult, QueryResultRow } from 'pg';

/**
 * Plain parameterised queries by default, what a minimal implementation sends; with RAW_PREPARED_STATEMENTS=1
 * (`BENCH_RAW_PREPARED=1`) each constant text is prepared once per connection, as the service does by default.
 */
const PREPARE = process.env.RAW_PREPARED_STATEMENTS === '1';
const names = new Map<string, string>();

export function query<R extends QueryResultRow>(
  pool: Pool,
  text: string,
  values: unknown[] = [],
): Promise<QueryResult<R>> {
  if (!PREPARE) return pool.query<R>(text, values);
  let name = names.get(text);
  if (name === undefined) {
    name = `raw_${names.size}`;
    names.set(text, name);
  }
  return pool.query<R>({ name, text, values });
}
