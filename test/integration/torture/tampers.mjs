// Tamper and corruption cases for the torture loop (torture.mjs): between two kills, with the database
// half-migrated, one of these edits keel.sum, a migration's files or the journal, the runner is run once and
// must refuse with the case's error code while leaving the database exactly as it found it; then the case is
// undone and the episode goes on to the end, where the usual exactly-once and schema checks still apply.
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const SUM = 'keel.sum'
const ZERO = '0'.repeat(64)

/** The journal rows a case looks at; none while keel_migrations does not exist yet. */
export async function journalRows(conn) {
  const [table] = await conn.query("select to_regclass('public.keel_migrations') is not null as present")
  if (!table?.present) return []
  return conn.query(
    'select version, name, status, completed_statements::int as completed, total_statements::int as total, checksum, statement_hashes::text as hashes from keel_migrations order by version',
  )
}

/**
 * What "the database untouched" means, in one cheap look: every journal row in full, the ledger and the
 * backfill's counters, and every relation of the public schema with its columns and, for an index, whether it
 * is valid.
 */
export async function fingerprint(conn) {
  const journal =
    (await journalRows(conn)).length === 0 ? [] : await conn.query('select * from keel_migrations order by version')
  const relations = await conn.query(
    `select c.relname, c.relkind, coalesce(i.indisvalid, true) as valid,
            (select string_agg(a.attname || ':' || a.atttypid::regtype, ',' order by a.attnum) from pg_attribute a
              where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped) as columns
       from pg_class c left join pg_index i on i.indexrelid = c.oid
      where c.relnamespace = 'public'::regnamespace order by c.relname`,
  )
  const has = new Set(relations.map((r) => r.relname))
  const ledger = has.has('ledger')
    ? await conn.query('select tag, count(*)::int as n from ledger group by tag order by tag')
    : []
  const hits = has.has('t')
    ? await conn.query('select hits, count(*)::int as n from t group by hits order by hits')
    : []
  return JSON.stringify({ journal, relations, ledger, hits })
}

/** Waits until no other session works on the database (a killed runner's server session finishing). */
export async function quiesce(conn, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const [row] = await conn.query(
      "select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and state <> 'idle'",
    )
    if ((row?.n ?? 0) === 0) return
    if (Date.now() > deadline) throw new Error('a killed runner’s session was still working after 60 s')
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** Replaces a file's text; the undo puts the original back. */
function edit(file, change) {
  const before = readFileSync(file, 'utf8')
  const after = change(before)
  if (after === before) throw new Error(`tamper: the edit of ${file} changed nothing`)
  writeFileSync(file, after)
  return () => writeFileSync(file, before)
}

/** Undo several changes, last first. */
const all =
  (...undos) =>
  async () => {
    for (const undo of undos.reverse()) await undo()
  }

/** The first file of a migration folder (up.sql or migration.ts). */
function firstFile(migrations, id) {
  for (const name of ['up.sql', 'migration.ts'])
    if (existsSync(join(migrations, id, name))) return join(migrations, id, name)
  throw new Error(`tamper: ${id} has no up.sql or migration.ts`)
}

/** An edit of the first statement of each no-transaction migration that changes what it does. */
const FIRST_STATEMENT_EDITS = {
  '20260102000000_no_tx_mix': ['pg_sleep(0.05)', 'pg_sleep(0.06)'],
  '20260103000000_backfill': ['hits + 1', 'hits + 2'],
  '20260107000000_no_tx_tail': ['(id, t_id)', '(t_id, id)'],
}

/**
 * The cases. `when(rows)` picks the journal row a case works on (or true for a case that needs none), or
 * returns undefined when the case does not apply to the database as it stands. `apply` makes the change and
 * returns its undo. `ids` maps a version to its folder name.
 */
export const TAMPERS = [
  {
    name: 'an applied migration edited, keel.sum rehashed (only the journal can tell)',
    code: 'CHECKSUM_MISMATCH',
    when: (rows) => rows.find((r) => r.status === 'applied'),
    apply: async ({ migrations, ids, rehash }, row) => {
      const undoSum = keepSum(migrations)
      const undo = edit(firstFile(migrations, ids[row.version]), (text) => `${text}\n// edited after it was applied\n`)
      await rehash()
      return all(undoSum, undo)
    },
  },
  {
    name: 'an applied migration edited, keel.sum not rehashed',
    code: 'SUM_MISMATCH',
    when: (rows) => rows.find((r) => r.status === 'applied'),
    apply: async ({ migrations, ids }, row) =>
      edit(firstFile(migrations, ids[row.version]), (text) => `${text}\n// edited after it was applied\n`),
  },
  {
    name: "a migration's checksum in keel.sum altered",
    code: 'SUM_MISMATCH',
    when: () => true,
    apply: async ({ migrations }) =>
      edit(join(migrations, SUM), (text) => flipDigit(text, /^(\d{14}_\S+ [a-z0-9]+:)([0-9a-f])/m)),
  },
  {
    name: "keel.sum's total altered",
    code: 'SUM_MISMATCH',
    when: () => true,
    apply: async ({ migrations }) =>
      edit(join(migrations, SUM), (text) => flipDigit(text, /^(total [a-z0-9]+:)([0-9a-f])/m)),
  },
  {
    name: 'keel.sum cut in the middle of a line',
    code: 'SUM_MISMATCH',
    when: () => true,
    apply: async ({ migrations }) => edit(join(migrations, SUM), (text) => text.slice(0, Math.floor(text.length / 2))),
  },
  {
    name: 'keel.sum deleted',
    code: 'SUM_MISMATCH',
    when: () => true,
    apply: async ({ migrations }) => {
      const file = join(migrations, SUM)
      const before = readFileSync(file, 'utf8')
      rmSync(file)
      return () => writeFileSync(file, before)
    },
  },
  {
    name: 'a merged branch: a migration older than an applied one, not in keel.sum',
    code: 'SUM_MISMATCH',
    when: (rows) => rows.find((r) => r.version > '20260101000001'),
    apply: async ({ addFolder }) =>
      addFolder('20260101000001_merged', { 'up.sql': "insert into ledger (tag) values ('merged');\n" }),
  },
  {
    name: "an applied migration's folder removed, keel.sum rehashed",
    code: 'MISSING_MIGRATION',
    when: (rows) => rows.find((r) => r.status === 'applied'),
    apply: async ({ migrations, ids, rehash }, row) => {
      const undoSum = keepSum(migrations)
      const from = join(migrations, ids[row.version])
      const aside = join(migrations, '..', `removed-${ids[row.version]}`)
      renameSync(from, aside)
      await rehash()
      return all(undoSum, () => renameSync(aside, from))
    },
  },
  {
    name: 'a committed statement of a half-applied migration edited, keel.sum rehashed',
    code: 'CHECKSUM_MISMATCH',
    when: (rows) =>
      rows.find((r) => r.status !== 'applied' && r.completed > 0 && FIRST_STATEMENT_EDITS[`${r.version}_${r.name}`]),
    apply: async ({ migrations, ids, rehash }, row) => {
      const [from, to] = FIRST_STATEMENT_EDITS[ids[row.version]]
      const undoSum = keepSum(migrations)
      const undo = edit(join(migrations, ids[row.version], 'up.sql'), (text) => text.replace(from, to))
      await rehash()
      return all(undoSum, undo)
    },
  },
  {
    name: "the journal's checksum of an applied migration altered",
    code: 'CHECKSUM_MISMATCH',
    when: (rows) => rows.find((r) => r.status === 'applied'),
    apply: async ({ conn }, row) => {
      await conn.query('update keel_migrations set checksum = $2 where version = $1', [row.version, `n1:${ZERO}`])
      return () =>
        conn.query('update keel_migrations set checksum = $2 where version = $1', [row.version, row.checksum])
    },
  },
  {
    name: "the journal's proof of a half-applied migration's committed statements altered",
    code: 'CHECKSUM_MISMATCH',
    when: (rows) => rows.find((r) => r.status !== 'applied' && r.completed > 0),
    apply: async ({ conn }, row) => {
      await conn.query('update keel_migrations set statement_hashes = $2::jsonb where version = $1', [
        row.version,
        JSON.stringify([`chain:n1:${ZERO}`]),
      ])
      return () =>
        conn.query('update keel_migrations set statement_hashes = $2::jsonb where version = $1', [
          row.version,
          row.hashes,
        ])
    },
  },
  {
    name: 'the journal counting more committed statements than the file has',
    code: 'CHECKSUM_MISMATCH',
    when: (rows) => rows.find((r) => r.status !== 'applied' && r.total !== null),
    apply: async ({ conn }, row) => {
      await conn.query('update keel_migrations set completed_statements = $2 where version = $1', [
        row.version,
        row.total + 3,
      ])
      return () =>
        conn.query('update keel_migrations set completed_statements = $2 where version = $1', [
          row.version,
          row.completed,
        ])
    },
  },
  {
    name: 'a journal row of a migration that is in no folder',
    code: 'MISSING_MIGRATION',
    when: () => true,
    apply: async ({ conn, ensureJournal }) => {
      await ensureJournal()
      await conn.query(
        "insert into keel_migrations (version, name, checksum, status, batch) values ('20251231000000', 'ghost', $1, 'applied', 1)",
        [`n1:${ZERO}`],
      )
      return () => conn.query("delete from keel_migrations where version = '20251231000000'")
    },
  },
]

/** keel.sum's text now; the undo writes it back. */
function keepSum(migrations) {
  const file = join(migrations, SUM)
  const before = readFileSync(file, 'utf8')
  return () => writeFileSync(file, before)
}

/** `text` with the hex digit that `pattern` captures second changed (its first capture is kept). */
function flipDigit(text, pattern) {
  return text.replace(pattern, (_, head, digit) => `${head}${digit === '0' ? '1' : '0'}`)
}
