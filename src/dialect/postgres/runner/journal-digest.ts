/**
 * The SQL that gives the digest of the journal `table` as its server computes it: the SHA-256 of every row's
 * `columns` in version order, each row as the server writes a record (`row(...)::text`, which quotes a value holding a
 * comma, a quote or a parenthesis, and writes NULL as nothing: two different rows never read the same), with, unless
 * the digest is the text of parameter $1, the rows as one JSON array of `jsonColumns` (as Journal.listSummaries reads
 * them). One statement: the digest and the rows are of one snapshot of the table.
 *
 * `keel status` sends the digest it recorded beside its checksum cache (migrate/status-snapshot.ts): while the journal is the
 * same, the server sends 64 characters instead of every row (2.2 MB at 10,000), which the client would then parse.
 * Any change of a row, by any writer, changes the digest (JournalHooks.listWithDigest).
 *
 * The server formats the rows with its session's settings (TimeZone, DateStyle): another setting gives another
 * digest, and the rows are then sent, never a digest taken for another journal's.
 */
export function postgresJournalDigest(table: string, columns: string, jsonColumns: string): string {
  // sha256() is PostgreSQL 11's (PGlite's too); md5() would be refused by a server in FIPS mode.
  return `with d as (
  select encode(sha256(convert_to(coalesce(string_agg(row(${columns})::text, E'\\n' order by version), ''), 'UTF8')), 'hex') as digest
  from ${table}
)
select digest, case when digest = $1 then null
  else (select coalesce(json_agg(j order by j.version), '[]')::text from (select ${jsonColumns} from ${table}) j) end as rows
from d`
}
