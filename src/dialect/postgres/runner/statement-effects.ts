import type { IndexStmt, Node, RangeVar } from 'libpg-query'
import type { Connection } from '../../../db/connection.js'
import type { ParsedStatement } from '../../../lint/sql/parse.js'
import type { StatementEffect } from '../../runner.js'
import { quoteIdent } from '../quote.js'
import { defaultIndexName } from './index-name.js'

/** What else the caller knows about when the statement may have run. */
export interface EffectOptions {
  /**
   * A transaction id (as text) that committed before the statement started: the journal row's last
   * write. An index the catalog shows as created after it was built by the statement (unless someone
   * else ran DDL meanwhile), which is how a valid index without a name is told from an older twin.
   */
  readonly builtAfter?: string
}

/** The effect of a statement, or undefined when Keel cannot tell from the catalog. */
export async function statementEffect(
  conn: Connection,
  statement: ParsedStatement,
  options: EffectOptions = {},
): Promise<StatementEffect | undefined> {
  const node = statement.node
  if ('CreateStmt' in node) return relationEffect(conn, 'table', node.CreateStmt.relation, 'present')
  if ('ViewStmt' in node) return relationEffect(conn, 'view', node.ViewStmt.view, 'present')
  if ('CreateSeqStmt' in node) return relationEffect(conn, 'sequence', node.CreateSeqStmt.sequence, 'present')
  if ('CreateTableAsStmt' in node) return relationEffect(conn, 'relation', node.CreateTableAsStmt.into?.rel, 'present')
  if ('IndexStmt' in node) {
    const { idxname, relation } = node.IndexStmt
    if (idxname === undefined) return unnamedIndexEffect(conn, node.IndexStmt, options.builtAfter)
    return indexEffect(conn, relation, idxname)
  }
  if ('CreateEnumStmt' in node) return typeEffect(conn, names(node.CreateEnumStmt.typeName), 'present')
  if ('CompositeTypeStmt' in node) return relationEffect(conn, 'type', node.CompositeTypeStmt.typevar, 'present')
  if ('AlterEnumStmt' in node) return enumValueEffect(conn, node)
  if ('CreateSchemaStmt' in node) return namespaceEffect(conn, node.CreateSchemaStmt.schemaname)
  if ('CreateExtensionStmt' in node) return extensionEffect(conn, node.CreateExtensionStmt.extname)
  if ('AlterTableStmt' in node) return alterTableEffect(conn, node)
  if ('DropStmt' in node) return dropEffect(conn, node)
  if ('CreatedbStmt' in node) return sharedObjectEffect(conn, 'database', node.CreatedbStmt.dbname, 'present')
  if ('DropdbStmt' in node) return sharedObjectEffect(conn, 'database', node.DropdbStmt.dbname, 'absent')
  if ('CreateTableSpaceStmt' in node)
    return sharedObjectEffect(conn, 'tablespace', node.CreateTableSpaceStmt.tablespacename, 'present')
  if ('DropTableSpaceStmt' in node)
    return sharedObjectEffect(conn, 'tablespace', node.DropTableSpaceStmt.tablespacename, 'absent')
  if ('CreateSubscriptionStmt' in node)
    return sharedObjectEffect(conn, 'subscription', node.CreateSubscriptionStmt.subname, 'present')
  if ('DropSubscriptionStmt' in node)
    return sharedObjectEffect(conn, 'subscription', node.DropSubscriptionStmt.subname, 'absent')
  return undefined
}

const SHARED_OBJECTS = {
  database: 'select 1 from pg_catalog.pg_database where datname = $1',
  tablespace: 'select 1 from pg_catalog.pg_tablespace where spcname = $1',
  // Subscription names are unique per database; subconninfo (not read here) is the only column hidden from others.
  subscription: `select 1 from pg_catalog.pg_subscription
    where subname = $1 and subdbid = (select oid from pg_catalog.pg_database where datname = current_database())`,
} as const

/** A database, tablespace or subscription: objects of the cluster, created and dropped outside a transaction. */
async function sharedObjectEffect(
  conn: Connection,
  what: keyof typeof SHARED_OBJECTS,
  name: string | undefined,
  expected: 'present' | 'absent',
): Promise<StatementEffect | undefined> {
  if (name === undefined) return undefined
  const rows = await conn.query(SHARED_OBJECTS[what], [name])
  return { object: `${what} ${name}`, expected, actual: rows.length > 0 ? 'present' : 'absent' }
}

async function relationEffect(
  conn: Connection,
  what: string,
  rel: RangeVar | undefined,
  expected: 'present' | 'absent',
): Promise<StatementEffect | undefined> {
  if (rel?.relname === undefined) return undefined
  const name = regName(rel.schemaname, rel.relname)
  const [row] = await conn.query<{ found: boolean }>('select to_regclass($1) is not null as found', [name])
  return {
    object: `${what} ${display(rel.schemaname, rel.relname)}`,
    expected,
    actual: row?.found ? 'present' : 'absent',
  }
}

/** An index lives in its table's namespace; an interrupted concurrent build leaves it INVALID. */
export async function indexEffect(
  conn: Connection,
  table: RangeVar | undefined,
  index: string,
): Promise<StatementEffect | undefined> {
  if (table?.relname === undefined) return undefined
  const rows = await conn.query<{ valid: boolean; nspname: string }>(
    `select i.indisvalid as valid, n.nspname from pg_catalog.pg_class c
       join pg_catalog.pg_index i on i.indexrelid = c.oid join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where c.relname = $1 and c.relnamespace = (select relnamespace from pg_catalog.pg_class where oid = to_regclass($2))`,
    [index, regName(table.schemaname, table.relname)],
  )
  const row = rows[0]
  const object = `index ${row === undefined ? display(table.schemaname, index) : display(row.nspname, index)}`
  if (row === undefined) return { object, expected: 'present', actual: 'absent' }
  return { object, expected: 'present', actual: row.valid ? 'present' : 'invalid', schema: row.nspname }
}

/** An index of the statement's table that a CREATE INDEX without a name may have built. */
interface IndexCandidate {
  readonly schema: string
  readonly name: string
  readonly valid: boolean
  /** Created after the `builtAfter` transaction (false when there is none). */
  readonly recent: boolean
}

/**
 * The index of a CREATE INDEX without a name: among the indexes of its table, those named as
 * PostgreSQL names it (`things_a_lower_idx`, `..._idx1`, ...; see index-name.ts) and of its shape.
 * One INVALID such index is its leftover. A valid one may be an older twin, so it counts as present
 * only when the catalog shows it was created after `builtAfter`; without that, Keel cannot tell.
 */
async function unnamedIndexEffect(
  conn: Connection,
  stmt: IndexStmt,
  builtAfter: string | undefined,
): Promise<StatementEffect | undefined> {
  const family = defaultIndexName(stmt)
  const table = stmt.relation
  if (family === undefined || table?.relname === undefined) return undefined
  const rows = await conn.query<IndexRow>(INDEXES_OF_TABLE, [
    regName(table.schemaname, table.relname),
    builtAfter ?? null,
  ])
  const candidates = rows.filter((row) => family.passOf(row.name) !== undefined && sameShape(stmt, row))
  let invalid = candidates.filter((c) => !c.valid)
  // After an interruption, an INVALID index older than the statement is someone else's leftover.
  if (invalid.length > 1 && invalid.filter((c) => c.recent).length === 1) invalid = invalid.filter((c) => c.recent)
  const [only] = invalid
  if (invalid.length > 1) {
    const suspects = invalid.map((c) => display(c.schema, c.name))
    return { object: `index ${suspects.join(' or ')}`, expected: 'present', actual: 'invalid', suspects }
  }
  if (only !== undefined) return found(only, 'invalid')
  const built = candidates.filter((c) => c.valid && c.recent)
  if (built.length === 1) return found(built[0] as IndexCandidate, 'present')
  if (built.length > 1 || (builtAfter === undefined && candidates.length > 0)) return undefined
  return { object: `index ${display(table.schemaname, family.base)}`, expected: 'present', actual: 'absent' }
}

function found(index: IndexCandidate, actual: 'present' | 'invalid'): StatementEffect {
  const { schema, name } = index
  return { object: `index ${display(schema, name)}`, expected: 'present', actual, schema, name }
}

interface IndexRow extends IndexCandidate {
  readonly unique: boolean
  readonly method: string
  readonly keys: number
  /** JSON array of the indexed columns' names, key columns first, null for an expression. */
  readonly columns: string
  readonly partial: boolean
}

// `age(xmin)` orders transaction ids modulo wraparound; the index's pg_class row is written by the
// first transaction of CREATE INDEX CONCURRENTLY and left alone by the later phases.
const INDEXES_OF_TABLE = `
select c.relname as name, n.nspname as schema, i.indisvalid as valid, i.indisunique as "unique",
       am.amname as method, i.indnkeyatts as keys, i.indpred is not null as partial,
       coalesce(age(c.xmin) < age($2::text::xid), false) as recent,
       (select coalesce(json_agg(a.attname order by k.ord), '[]')::text
          from unnest(i.indkey::int2[]) with ordinality k(attnum, ord)
          left join pg_catalog.pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum) as columns
  from pg_catalog.pg_index i
  join pg_catalog.pg_class c on c.oid = i.indexrelid
  join pg_catalog.pg_namespace n on n.oid = c.relnamespace
  join pg_catalog.pg_am am on am.oid = c.relam
 where i.indrelid = to_regclass($1)`

/**
 * Whether an index has the statement's shape: uniqueness, method, partial or not, its key and INCLUDE
 * columns. An expression may be stored as a plain column (`(a)`), so only named columns are compared.
 */
function sameShape(stmt: IndexStmt, row: IndexRow): boolean {
  const keys = stmt.indexParams ?? []
  const elements = [...keys, ...(stmt.indexIncludingParams ?? [])]
  const columns = JSON.parse(row.columns) as readonly (string | null)[]
  return (
    row.unique === (stmt.unique === true) &&
    row.method === (stmt.accessMethod ?? 'btree') &&
    row.partial === (stmt.whereClause !== undefined) &&
    Number(row.keys) === keys.length &&
    columns.length === elements.length &&
    elements.every((element, i) => {
      const name = 'IndexElem' in element ? element.IndexElem.name : undefined
      return name === undefined || columns[i] === name
    })
  )
}

async function typeEffect(
  conn: Connection,
  parts: readonly string[],
  expected: 'present' | 'absent',
): Promise<StatementEffect | undefined> {
  if (parts.length === 0) return undefined
  const [row] = await conn.query<{ found: boolean }>('select to_regtype($1) is not null as found', [
    parts.map(quoteIdent).join('.'),
  ])
  return { object: `type ${parts.join('.')}`, expected, actual: row?.found ? 'present' : 'absent' }
}

async function enumValueEffect(conn: Connection, node: Node): Promise<StatementEffect | undefined> {
  if (!('AlterEnumStmt' in node)) return undefined
  const stmt = node.AlterEnumStmt
  const parts = names(stmt.typeName)
  if (stmt.oldVal !== undefined || stmt.newVal === undefined || parts.length === 0) return undefined
  const [row] = await conn.query<{ found: boolean }>(
    `select exists (select 1 from pg_catalog.pg_enum where enumtypid = to_regtype($1) and enumlabel = $2) as found`,
    [parts.map(quoteIdent).join('.'), stmt.newVal],
  )
  return {
    object: `value '${stmt.newVal}' of type ${parts.join('.')}`,
    expected: 'present',
    actual: row?.found ? 'present' : 'absent',
  }
}

async function namespaceEffect(conn: Connection, name: string | undefined): Promise<StatementEffect | undefined> {
  if (name === undefined) return undefined
  const rows = await conn.query('select 1 from pg_catalog.pg_namespace where nspname = $1', [name])
  return { object: `schema ${name}`, expected: 'present', actual: rows.length > 0 ? 'present' : 'absent' }
}

async function extensionEffect(conn: Connection, name: string | undefined): Promise<StatementEffect | undefined> {
  if (name === undefined) return undefined
  const rows = await conn.query('select 1 from pg_catalog.pg_extension where extname = $1', [name])
  return { object: `extension ${name}`, expected: 'present', actual: rows.length > 0 ? 'present' : 'absent' }
}

/** The first ADD COLUMN / DROP COLUMN / ADD CONSTRAINT of an ALTER TABLE. */
async function alterTableEffect(conn: Connection, node: Node): Promise<StatementEffect | undefined> {
  if (!('AlterTableStmt' in node)) return undefined
  const rel = node.AlterTableStmt.relation
  if (rel?.relname === undefined) return undefined
  for (const item of node.AlterTableStmt.cmds ?? []) {
    if (!('AlterTableCmd' in item)) continue
    const cmd = item.AlterTableCmd
    const def = cmd.def
    if (cmd.subtype === 'AT_AddColumn' && def !== undefined && 'ColumnDef' in def && def.ColumnDef.colname) {
      return columnEffect(conn, rel, def.ColumnDef.colname, 'present')
    }
    if (cmd.subtype === 'AT_DropColumn' && cmd.name) return columnEffect(conn, rel, cmd.name, 'absent')
    if (cmd.subtype === 'AT_AddConstraint' && def !== undefined && 'Constraint' in def && def.Constraint.conname) {
      const rows = await conn.query(
        'select 1 from pg_catalog.pg_constraint where conrelid = to_regclass($1) and conname = $2',
        [regName(rel.schemaname, rel.relname), def.Constraint.conname],
      )
      const object = `constraint ${def.Constraint.conname} on ${display(rel.schemaname, rel.relname)}`
      return { object, expected: 'present', actual: rows.length > 0 ? 'present' : 'absent' }
    }
  }
  return undefined
}

async function columnEffect(
  conn: Connection,
  rel: RangeVar,
  column: string,
  expected: 'present' | 'absent',
): Promise<StatementEffect> {
  const rows = await conn.query(
    'select 1 from pg_catalog.pg_attribute where attrelid = to_regclass($1) and attname = $2 and attnum > 0 and not attisdropped',
    [regName(rel.schemaname, rel.relname as string), column],
  )
  return {
    object: `column ${display(rel.schemaname, rel.relname as string)}.${column}`,
    expected,
    actual: rows.length > 0 ? 'present' : 'absent',
  }
}

async function dropEffect(conn: Connection, node: Node): Promise<StatementEffect | undefined> {
  if (!('DropStmt' in node)) return undefined
  const { removeType, objects } = node.DropStmt
  const first = objects?.[0]
  const parts = first !== undefined && 'List' in first ? names(first.List.items) : []
  if (parts.length === 0) return undefined
  const what = {
    OBJECT_TABLE: 'table',
    OBJECT_INDEX: 'index',
    OBJECT_VIEW: 'view',
    OBJECT_SEQUENCE: 'sequence',
    OBJECT_MATVIEW: 'materialized view',
  }[removeType as string]
  if (what !== undefined) {
    const [row] = await conn.query<{ found: boolean }>('select to_regclass($1) is not null as found', [
      parts.map(quoteIdent).join('.'),
    ])
    return { object: `${what} ${parts.join('.')}`, expected: 'absent', actual: row?.found ? 'present' : 'absent' }
  }
  if (removeType === 'OBJECT_TYPE' && first !== undefined && 'TypeName' in first) {
    return typeEffect(conn, names(first.TypeName.names), 'absent')
  }
  return undefined
}

function names(list: readonly Node[] | undefined): string[] {
  return (list ?? []).flatMap((item) => ('String' in item && item.String.sval !== undefined ? [item.String.sval] : []))
}

function regName(schema: string | undefined, name: string): string {
  return schema === undefined ? quoteIdent(name) : `${quoteIdent(schema)}.${quoteIdent(name)}`
}

function display(schema: string | undefined, name: string): string {
  return schema === undefined ? name : `${schema}.${name}`
}
