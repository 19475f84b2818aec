import { execFile } from 'node:child_process'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** `pg_dump --schema-only` of a database, as text. */
export async function pgDumpSchema(url: string, extraArgs: readonly string[] = []): Promise<string> {
  const { stdout } = await run('pg_dump', ['--schema-only', '--no-owner', ...extraArgs, url], { maxBuffer: 64 << 20 })
  return stdout
}

/**
 * Normalises pg_dump output so that two databases holding the same schema compare equal:
 * - comments, SET/set_config lines, psql `\restrict` meta-commands and blank lines are dropped;
 * - statements become a sorted list (pg_dump breaks name ties by OID, i.e. by creation order);
 * - the column lines of each CREATE TABLE are sorted, because ALTER TABLE ADD COLUMN appends a
 *   column where the target schema may declare it in the middle, and PostgreSQL cannot reorder columns.
 * Everything else (types, defaults, constraints, indexes, views, grants) must match exactly.
 */
export function normalizePgDump(dump: string): readonly string[] {
  const lines = dump
    .split('\n')
    .filter((line) => !/^\s*--/.test(line) && !/^SET /.test(line) && !/^SELECT pg_catalog\.set_config/.test(line))
    .filter((line) => !/^\\(un)?restrict /.test(line) && line.trim() !== '')
  const statements = lines
    .join('\n')
    .split(/;\n/)
    .map((s) => s.trim().replace(/;$/, ''))
    .filter((s) => s !== '' && s !== ';')
  return statements.map(sortTableColumns).sort()
}

function sortTableColumns(statement: string): string {
  const match = /^(CREATE (?:UNLOGGED )?TABLE [^\n]+\()\n([\s\S]*)\n(\)[^\n]*)$/.exec(statement)
  if (!match) return statement
  const columns = match[2]!
    .split('\n')
    .map((line) => line.trim().replace(/,$/, ''))
    .sort()
  return [match[1], ...columns, match[3]].join('\n')
}
