import type { Connection } from '../../../db/connection.js'
import type { StatementEffectVerdict } from '../../runner.js'
import { stripComments, topLevelCommaSplit } from './statement-text.js'

/**
 * Whether a DDL statement of a migration took effect, from the catalog, for a runner that stopped with
 * that statement next (killed between the statement's implicit commit and its journal write, or before
 * the statement ran at all). MySQL's DDL is atomic (MariaDB 10.6+, MySQL 8), so its objects are either
 * all there or none is. Undefined when the statement is of a form this does not read: the runner then
 * stops and a person decides with `keel resolve`.
 *
 * Read: CREATE / DROP of TABLE, VIEW, INDEX, PROCEDURE, FUNCTION, TRIGGER, EVENT, SEQUENCE; RENAME TABLE;
 * ALTER TABLE whose every clause is ADD / DROP of a COLUMN, INDEX or KEY, a FOREIGN KEY or CONSTRAINT
 * with a name, or RENAME [TO | COLUMN]. Statements that are safe to run again (CREATE OR REPLACE, the
 * IF [NOT] EXISTS forms) are run again.
 */
export async function mysqlStatementEffect(conn: Connection, sql: string): Promise<StatementEffectVerdict | undefined> {
  const text = stripComments(sql).trim().replace(/\s+/g, ' ')
  if (
    /^CREATE (OR REPLACE )?(TEMPORARY )?(TABLE|VIEW|SEQUENCE|PROCEDURE|FUNCTION|TRIGGER|EVENT|INDEX)\b[^(]*\bIF NOT EXISTS\b/i.test(
      text,
    )
  )
    return { repeatable: 'IF NOT EXISTS makes running it again harmless' }
  if (/^CREATE OR REPLACE\b/i.test(text)) return { repeatable: 'CREATE OR REPLACE makes running it again harmless' }
  if (/^DROP (TEMPORARY )?\w+ IF EXISTS\b/i.test(text) || /^DROP INDEX IF EXISTS\b/i.test(text))
    return { repeatable: 'IF EXISTS makes running it again harmless' }

  const ident = String.raw`(?:\x60(?:[^\x60]|\x60\x60)+\x60|[A-Za-z0-9_$]+)`
  const qualified = String.raw`(${ident}(?:\.${ident})?)`
  const definer = String.raw`(?:DEFINER ?= ?\S+ )?`
  const kinds = 'TABLE|VIEW|SEQUENCE|PROCEDURE|FUNCTION|TRIGGER|EVENT'

  const create = new RegExp(
    String.raw`^CREATE (?:ALGORITHM ?= ?\w+ )?${definer}(?:SQL SECURITY \w+ )?(?:AGGREGATE )?(${kinds})\s*${qualified}`,
    'i',
  ).exec(text)
  if (create) return presence(conn, kind(create[1]), [name(create[2] as string)], true)

  const createIndex = new RegExp(
    String.raw`^CREATE (?:UNIQUE |FULLTEXT |SPATIAL )?INDEX ${qualified}(?: USING \w+)? ON ${qualified}`,
    'i',
  ).exec(text)
  if (createIndex) return indexPresence(conn, name(createIndex[2] as string), [name(createIndex[1] as string)], true)

  const drop = new RegExp(
    String.raw`^DROP (${kinds}) ((?:${qualified}(?:\s*,\s*)?)+)(?: RESTRICT| CASCADE)?$`,
    'i',
  ).exec(text)
  if (drop) return presence(conn, kind(drop[1]), listOf(drop[2] as string), false)

  const dropIndex = new RegExp(`^DROP INDEX ${qualified} ON ${qualified}`, 'i').exec(text)
  if (dropIndex) return indexPresence(conn, name(dropIndex[2] as string), [name(dropIndex[1] as string)], false)

  const rename = new RegExp(`^RENAME TABLE ${qualified} TO ${qualified}$`, 'i').exec(text)
  if (rename) {
    const [from, to] = [name(rename[1] as string), name(rename[2] as string)]
    const [gone, there] = await Promise.all([exists(conn, 'table', from), exists(conn, 'table', to)])
    if (!gone && there) return { done: true, object: `table ${from} is already renamed to ${to}` }
    if (gone && !there) return { done: false, object: `table ${from} is not renamed yet` }
    return undefined
  }

  const alter = new RegExp(`^ALTER (?:ONLINE )?(?:IGNORE )?TABLE ${qualified} (.*)$`, 'i').exec(text)
  if (alter) return alterTableEffect(conn, name(alter[1] as string), alter[2] as string)
  return undefined
}

const IDENT = String.raw`(\x60(?:[^\x60]|\x60\x60)+\x60|[A-Za-z0-9_$]+)`

/**
 * The ALTER TABLE clauses read, in order (the first that matches decides): what each looks up, and whether
 * the thing is there after the clause ran (true) or before (false). A clause of another form (MODIFY,
 * CHANGE, an unnamed constraint, a partition...) makes the statement unreadable.
 */
const CLAUSES: readonly {
  readonly pattern: RegExp
  readonly look: 'index' | 'constraint' | 'column'
  readonly after: boolean
  /** Which capture names the thing looked up. */
  readonly group?: number
}[] = [
  {
    pattern: new RegExp(`^ADD (?:UNIQUE |FULLTEXT |SPATIAL )?(?:INDEX|KEY) ${IDENT}`, 'i'),
    look: 'index',
    after: true,
  },
  { pattern: new RegExp(`^DROP (?:INDEX|KEY) ${IDENT}$`, 'i'), look: 'index', after: false },
  {
    pattern: new RegExp(`^ADD CONSTRAINT ${IDENT} (?:UNIQUE|FOREIGN KEY|CHECK|PRIMARY KEY)`, 'i'),
    look: 'constraint',
    after: true,
  },
  { pattern: new RegExp(`^DROP (?:FOREIGN KEY|CONSTRAINT|CHECK) ${IDENT}$`, 'i'), look: 'constraint', after: false },
  { pattern: new RegExp(`^RENAME COLUMN ${IDENT} TO ${IDENT}$`, 'i'), look: 'column', after: true, group: 2 },
  {
    pattern:
      /^(?:ADD|DROP) (?:INDEX|KEY|CONSTRAINT|FOREIGN|PRIMARY|UNIQUE|FULLTEXT|SPATIAL|CHECK|PARTITION|PERIOD|SYSTEM)\b/i,
    look: 'column',
    after: true,
    group: -1,
  },
  { pattern: new RegExp(`^ADD (?:COLUMN )?${IDENT}`, 'i'), look: 'column', after: true },
  { pattern: new RegExp(`^DROP (?:COLUMN )?${IDENT}$`, 'i'), look: 'column', after: false },
]

/** Each clause of an ALTER TABLE: present after it ran (true) or before (false), or unreadable. */
async function alterTableEffect(
  conn: Connection,
  table: string,
  body: string,
): Promise<StatementEffectVerdict | undefined> {
  const checks: Promise<boolean>[] = []
  const expected: boolean[] = []
  for (const raw of topLevelCommaSplit(body)) {
    const clause = raw.trim()
    if (/^(ALGORITHM|LOCK)\s*=?\s*\w+$/i.test(clause)) continue
    const rule = CLAUSES.find((r) => r.pattern.test(clause))
    const thing = rule === undefined ? undefined : rule.pattern.exec(clause)?.[rule.group ?? 1]
    if (rule === undefined || thing === undefined || rule.group === -1) return undefined
    const object = name(thing)
    const look = { index: indexExists, constraint: constraintExists, column: columnExists }[rule.look]
    checks.push(look(conn, table, object))
    expected.push(rule.after)
  }
  if (checks.length === 0) return undefined
  const found = await Promise.all(checks)
  if (found.every((present, i) => present === expected[i]))
    return { done: true, object: `every change of this ALTER TABLE ${table} is in the catalog` }
  if (found.every((present, i) => present !== expected[i]))
    return { done: false, object: `no change of this ALTER TABLE ${table} is in the catalog` }
  return undefined
}

async function presence(
  conn: Connection,
  what: Kind,
  names: readonly string[],
  afterRun: boolean,
): Promise<StatementEffectVerdict | undefined> {
  const found = await Promise.all(names.map((n) => exists(conn, what, n)))
  const list = names.join(', ')
  if (found.every((present) => present === afterRun))
    return { done: true, object: `${what} ${list} ${afterRun ? 'exists' : 'is gone'}` }
  if (found.every((present) => present !== afterRun))
    return { done: false, object: `${what} ${list} ${afterRun ? 'does not exist yet' : 'is still there'}` }
  return undefined
}

async function indexPresence(
  conn: Connection,
  table: string,
  [index]: readonly string[],
  afterRun: boolean,
): Promise<StatementEffectVerdict> {
  const present = await indexExists(conn, table, index as string)
  return present === afterRun
    ? { done: true, object: `index ${index} on ${table} ${afterRun ? 'exists' : 'is gone'}` }
    : { done: false, object: `index ${index} on ${table} ${afterRun ? 'does not exist yet' : 'is still there'}` }
}

type Kind = 'table' | 'view' | 'sequence' | 'procedure' | 'function' | 'trigger' | 'event'

function kind(word: string | undefined): Kind {
  return (word ?? 'table').toLowerCase() as Kind
}

/** Whether an object exists in the session's database (a qualified name's database part is dropped: migrations run in one). */
async function exists(conn: Connection, what: Kind, object: string): Promise<boolean> {
  const queries: Record<Kind, string> = {
    table: `SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = $1 AND TABLE_TYPE <> 'VIEW'`,
    view: `SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = $1 AND TABLE_TYPE = 'VIEW'`,
    sequence: `SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = $1 AND TABLE_TYPE = 'SEQUENCE'`,
    procedure: `SELECT 1 FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE() AND ROUTINE_NAME = $1 AND ROUTINE_TYPE = 'PROCEDURE'`,
    function: `SELECT 1 FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE() AND ROUTINE_NAME = $1 AND ROUTINE_TYPE = 'FUNCTION'`,
    trigger: 'SELECT 1 FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() AND TRIGGER_NAME = $1',
    event: 'SELECT 1 FROM information_schema.EVENTS WHERE EVENT_SCHEMA = DATABASE() AND EVENT_NAME = $1',
  }
  return (await conn.query(queries[what], [object])).length > 0
}

async function indexExists(conn: Connection, table: string, index: string): Promise<boolean> {
  const rows = await conn.query(
    'SELECT 1 FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = $1 AND INDEX_NAME = $2',
    [table, index],
  )
  return rows.length > 0
}

async function constraintExists(conn: Connection, table: string, constraint: string): Promise<boolean> {
  const rows = await conn.query(
    `SELECT 1 FROM information_schema.TABLE_CONSTRAINTS
      WHERE CONSTRAINT_SCHEMA = DATABASE() AND TABLE_NAME = $1 AND CONSTRAINT_NAME = $2`,
    [table, constraint],
  )
  return rows.length > 0
}

async function columnExists(conn: Connection, table: string, column: string): Promise<boolean> {
  const rows = await conn.query(
    'SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = $1 AND COLUMN_NAME = $2',
    [table, column],
  )
  return rows.length > 0
}

/** The object part of a possibly qualified, possibly backticked name. */
function name(qualified: string): string {
  const parts = qualified.match(/`(?:[^`]|``)+`|[A-Za-z0-9_$]+/g) ?? [qualified]
  const last = parts.at(-1) as string
  return last.startsWith('`') ? last.slice(1, -1).replace(/``/g, '`') : last
}

function listOf(names: string): readonly string[] {
  return topLevelCommaSplit(names).map((n) => name(n.trim()))
}
