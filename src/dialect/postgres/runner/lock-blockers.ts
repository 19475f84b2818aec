import type { Connection } from '../../../db/connection.js'
import type { ParsedStatement } from '../../../lint/sql/parse.js'
import type { LockBlocker } from '../../runner.js'
import { quoteQualified } from '../quote.js'

/**
 * The sessions that hold locks on the relations a statement names, asked right after the statement gave
 * up waiting (lock_timeout): the blocker of a DDL is usually a transaction left open, and still there.
 * Empty when there is none left, or the server cannot say (PGlite has one session).
 */
export async function findLockBlockers(
  conn: Connection,
  statement: Pick<ParsedStatement, 'node'>,
): Promise<readonly LockBlocker[]> {
  const relations = relationsOf(statement.node)
  if (relations.length === 0) return []
  try {
    const rows = await conn.query<{
      pid: number
      application_name: string | null
      state: string | null
      xact_s: number | null
      query: string | null
      backend_type: string | null
    }>(
      // An autovacuum's query is read whole: whether it prevents wraparound is said at its end (autovacuum-blockers.ts).
      `select a.pid, a.application_name, a.state, a.backend_type,
              extract(epoch from clock_timestamp() - a.xact_start)::float8 as xact_s,
              case when a.backend_type = 'autovacuum worker' then a.query
                   else left(regexp_replace(a.query, '\\s+', ' ', 'g'), 200) end as query
         from pg_catalog.pg_stat_activity a
        where a.pid <> pg_backend_pid()
          and a.pid in (select l.pid from pg_catalog.pg_locks l
                         where l.granted and l.relation in (select to_regclass(n) from unnest($1::text[]) n))
        order by a.xact_start nulls last, a.pid`,
      [relations],
    )
    return rows.map((r) => ({
      pid: Number(r.pid),
      applicationName: r.application_name ?? '',
      state: r.state ?? 'unknown',
      transactionSeconds: r.xact_s === null ? undefined : Number(r.xact_s),
      query: r.query ?? '',
      ...(r.backend_type === null ? {} : { backendType: r.backend_type }),
    }))
  } catch {
    return []
  }
}

/** Every relation a statement's parse tree names (RangeVar nodes), quoted for to_regclass by the dialect's quoter. */
function relationsOf(node: unknown): string[] {
  const found = new Set<string>()
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item)
      return
    }
    if (value === null || typeof value !== 'object') return
    for (const [key, child] of Object.entries(value)) {
      if ((key === 'RangeVar' || key === 'relation') && child && typeof child === 'object' && 'relname' in child) {
        const { schemaname, relname } = child as { schemaname?: string; relname: string }
        found.add(quoteQualified(schemaname === undefined ? { name: relname } : { schema: schemaname, name: relname }))
      }
      visit(child)
    }
  }
  visit(node)
  return [...found]
}
