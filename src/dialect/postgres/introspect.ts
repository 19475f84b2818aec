import type { Connection } from '../../db/connection.js'
import type { AttachedIndex, Index, Schema, Table, TableExt, View } from '../../schema/model.js'
import type { IntrospectOptions } from '../dialect.js'
import { catalogQuery, readCatalogQueries, SESSION_SETTINGS_SQL } from './catalog-read.js'
import { buildAttachedIndexes } from './introspect-attached.js'
import { buildColumn, buildSequence, type CommentLookup } from './introspect-columns.js'
import { buildConstraints, buildIndexes } from './introspect-constraints.js'
import { buildPartitionFacts, buildRules, tableExtOf } from './introspect-partitions.js'
import {
  buildRoutineObjects,
  type RoutineCatalogRows,
  routineCatalogOf,
  routineCatalogQueries,
} from './introspect-routines.js'
import { attachSecurity, type SecurityCatalogRows, securityCatalogQueries } from './introspect-security.js'
import { normalizePostgres } from './normalize.js'
import { ATTACHED_INDEXES_SQL, type AttachedIndexRow } from './queries/attached-indexes.js'
import { COMMENTS_SQL, type CommentRow } from './queries/comments.js'
import { type ConstraintRow, constraintsSql } from './queries/constraints.js'
import { ENUMS_SQL, type EnumRow } from './queries/enums.js'
import { EXTENSIONS_SQL, type ExtensionRow } from './queries/extensions.js'
import { groupIndexRows, type IndexPartFlatRow, type IndexRow, indexesSql } from './queries/indexes.js'
import { NAMESPACES_SQL, type NamespaceRow } from './queries/namespaces.js'
import { PARTITIONS_SQL, type PartitionRow } from './queries/partitions.js'
import { RULES_SQL, type RuleRow } from './queries/rules.js'
import { SEQUENCES_SQL, type SequenceRow } from './queries/sequences.js'
import { COLUMNS_SQL, type ColumnRow, TABLES_SQL, type TableRow } from './queries/tables.js'
import { UNMANAGED_SQL, type UnmanagedRow } from './queries/unmanaged.js'
import { VIEWS_SQL, type ViewRow } from './queries/views.js'
import { unqualifySingleRelationView } from './view-definition.js'

/** Every catalog row introspection reads: one query per object family, for the whole database. */
interface CatalogRows {
  readonly serverVersion: number
  readonly namespaces: readonly NamespaceRow[]
  readonly extensions: readonly ExtensionRow[]
  readonly enums: readonly EnumRow[]
  readonly sequences: readonly SequenceRow[]
  readonly tables: readonly TableRow[]
  readonly columns: readonly ColumnRow[]
  readonly constraints: readonly ConstraintRow[]
  readonly indexes: readonly IndexRow[]
  readonly views: readonly ViewRow[]
  readonly comments: readonly CommentRow[]
  readonly partitions: readonly PartitionRow[]
  readonly rules: readonly RuleRow[]
  readonly attachedIndexes: readonly AttachedIndexRow[]
  readonly routines: RoutineCatalogRows
  readonly security: SecurityCatalogRows
  /** Read only when asked for (`options.unmanaged`). */
  readonly unmanaged: readonly UnmanagedRow[] | undefined
}

/**
 * Reads the schema of a PostgreSQL (13+) or PGlite database, normalised. A fixed handful of catalog
 * queries covers the whole database, whatever its size. System namespaces, objects that belong to
 * extensions, partitioned tables and their partitions, and the namespaces and tables that `options`
 * leave out are not reported. Domains, routines, triggers, privileges (not ownership), row-level
 * security, policies and collations are (a column of a domain type has a `native` type naming the domain).
 *
 * Expressions, types and view definitions are printed with `search_path` set to `public` for the
 * duration, so that they name objects the same way whatever the session's own setting (and with JIT
 * compilation off: see catalog-read.ts).
 * @example const schema = await introspectPostgres(conn, { excludeTables: ['keel_migrations'] })
 */
export async function introspectPostgres(conn: Connection, options: IntrospectOptions = {}): Promise<Schema> {
  const rows = await readCatalog(conn, options)
  const schema = normalizePostgres(attachSecurity(buildSchema(rows, options), rows.security))
  if (rows.unmanaged === undefined || rows.unmanaged.length === 0) return schema
  return {
    ...schema,
    unmanaged: rows.unmanaged.map((row) => ({
      kind: row.kind,
      name: row.schema === null ? row.name : `${row.schema}.${row.name}`,
    })),
  }
}

/** The catalog queries of a server of version `serverVersion` (server_version_num), all in one round trip if it can. */
function catalogQueries(serverVersion: number, options: IntrospectOptions) {
  const params = [options.namespaces ?? null, options.excludeNamespaces ?? []]
  return {
    namespaces: catalogQuery<NamespaceRow>(NAMESPACES_SQL, params),
    extensions: catalogQuery<ExtensionRow>(EXTENSIONS_SQL, params),
    enums: catalogQuery<EnumRow>(ENUMS_SQL, params),
    sequences: catalogQuery<SequenceRow>(SEQUENCES_SQL, params),
    tables: catalogQuery<TableRow>(TABLES_SQL, params),
    columns: catalogQuery<ColumnRow>(COLUMNS_SQL, params),
    constraints: catalogQuery<ConstraintRow>(constraintsSql(serverVersion), params),
    indexes: catalogQuery<IndexPartFlatRow>(indexesSql(serverVersion), params),
    views: catalogQuery<ViewRow>(VIEWS_SQL, params),
    comments: catalogQuery<CommentRow>(COMMENTS_SQL),
    partitions: catalogQuery<PartitionRow>(PARTITIONS_SQL, params),
    rules: catalogQuery<RuleRow>(RULES_SQL, params),
    attachedIndexes: catalogQuery<AttachedIndexRow>(ATTACHED_INDEXES_SQL, params),
    ...routineCatalogQueries(params),
    ...securityCatalogQueries(params),
    // Only `inspect` and `diff` list what Keel leaves alone; the others do not pay for the query.
    ...(options.unmanaged === true ? { unmanaged: catalogQuery<UnmanagedRow>(UNMANAGED_SQL, params) } : {}),
  }
}

/**
 * From how many relations (tables, indexes, sequences, views) a caller that allows it (`options.parallel`) has the
 * catalog read on two sessions: below it, the second session's connect costs more than the half of the server's
 * work it takes over (1,000 tables of the bench's shape are ~4,000 relations; their catalog, ~0.5 s of server time).
 */
const PARALLEL_READ_RELATIONS = 500

/**
 * The queries a second session runs when there is one: columns, the largest (about 40% of the server's time at
 * 1,000 tables), and enough of the small ones that both sessions take about as long (1,000 tables, each session's
 * batch in a new session: 67 and 63 ms of server CPU; with the unmanaged objects on the first, 74 and 59).
 */
const ON_SIBLING: ReadonlySet<string> = new Set([
  'columns',
  'unmanaged',
  'views',
  'comments',
  'partitions',
  'rules',
  'attachedIndexes',
  'domains',
  'routines',
  'routineDependencies',
  'triggers',
])

async function readCatalog(conn: Connection, options: IntrospectOptions): Promise<CatalogRows> {
  const [settings] = await conn.query<{ search_path: string; jit: string | null; version: number; relations: number }>(
    SESSION_SETTINGS_SQL,
  )
  const serverVersion = settings?.version ?? 0
  const previous = { searchPath: settings?.search_path ?? 'public', jit: settings?.jit ?? null }
  const parallel = options.parallel === true && (settings?.relations ?? 0) >= PARALLEL_READ_RELATIONS
  const queries = catalogQueries(serverVersion, options)
  const rows = await readCatalogQueries(conn, queries, previous, parallel ? ON_SIBLING : undefined)
  return {
    ...rows,
    serverVersion,
    indexes: groupIndexRows(rows.indexes),
    routines: routineCatalogOf(rows),
    security: rows,
    unmanaged: 'unmanaged' in rows ? rows.unmanaged : undefined,
  }
}

function buildSchema(rows: CatalogRows, options: IntrospectOptions): Schema {
  const comments = commentLookup(rows.comments)
  const excluded = new Set(options.excludeTables ?? [])
  const isExcluded = (table: TableRow) => excluded.has(table.name) || excluded.has(`${table.schema}.${table.name}`)
  const excludedOids = new Set(rows.tables.filter(isExcluded).map((t) => t.oid))
  const impliedSequences = new Set<string>()
  const indexes = buildIndexes(rows.indexes, comments)
  const tables = buildTables(
    rows,
    rows.tables.filter((t) => !isExcluded(t)),
    { comments, indexes, impliedSequences },
  )
  const sequences = rows.sequences
    .filter((s) => s.owner_kind !== 'i' && !impliedSequences.has(s.oid))
    // A sequence owned by a left-out table (the journal's serial id) goes with it.
    .filter((s) => s.owner_table_oid === null || !excludedOids.has(s.owner_table_oid))
    .map((s) => buildSequence(s, comments))
  return {
    namespaces: rows.namespaces.map((n) => withComment({ name: n.name }, comments('pg_namespace', n.oid))),
    extensions: rows.extensions.map((e) => ({ name: e.name, schema: e.schema, version: e.version })),
    enums: rows.enums.map((e) =>
      withComment({ name: { schema: e.schema, name: e.name }, values: e.values }, comments('pg_type', e.oid)),
    ),
    sequences,
    tables,
    views: rows.views.map((v) => buildView(v, rows.serverVersion, indexes.get(v.oid) ?? [], comments)),
    ...rulesOf(rows.rules, excludedOids),
    ...buildRoutineObjects(rows.routines, [...tables, ...rows.views].map(relationName)),
  }
}

interface TableContext {
  readonly comments: CommentLookup
  readonly indexes: ReadonlyMap<string, readonly Index[]>
  readonly impliedSequences: Set<string>
}

function buildTables(rows: CatalogRows, tables: readonly TableRow[], shared: TableContext): Table[] {
  const { comments, indexes, impliedSequences } = shared
  const sequencesByOid = new Map(rows.sequences.map((s) => [s.oid, s]))
  const identitySequences = new Map(
    rows.sequences.filter((s) => s.owner_kind === 'i').map((s) => [`${s.owner_table_oid}:${s.owner_column}`, s]),
  )
  const columnsByTable = columnsInOrder(rows.columns)
  const constraints = buildConstraints(rows.constraints, comments)
  const partitionFacts = buildPartitionFacts(rows.partitions)
  const attached = buildAttachedIndexes(rows.attachedIndexes)
  return tables.map((table) => {
    const context = { table, sequencesByOid, identitySequences, comments, impliedSequences }
    const own = constraints.get(table.oid)
    return withComment(
      {
        name: { schema: table.schema, name: table.name },
        columns: (columnsByTable.get(table.oid) ?? []).map((row) => buildColumn(row, context)),
        ...(own?.primaryKey ? { primaryKey: own.primaryKey } : {}),
        uniques: own?.uniques ?? [],
        indexes: indexes.get(table.oid) ?? [],
        foreignKeys: own?.foreignKeys ?? [],
        checks: own?.checks ?? [],
        ...(own?.exclusions.length ? { exclusions: own.exclusions } : {}),
        ...tableExtOf(table.unlogged, withAttached(partitionFacts.get(table.oid), attached.get(table.oid))),
      },
      comments('pg_class', table.oid),
    )
  })
}

/** `rules` when there are any (the field is omitted otherwise); rules of left-out tables go with them. */
function rulesOf(
  rows: readonly RuleRow[],
  excludedOids: ReadonlySet<string>,
): { readonly rules?: NonNullable<Schema['rules']> } {
  const rules = buildRules(rows, (oid) => !excludedOids.has(oid))
  return rules.length === 0 ? {} : { rules }
}

function buildView(row: ViewRow, serverVersion: number, indexes: View['indexes'], comments: CommentLookup): View {
  return withComment(
    {
      name: { schema: row.schema, name: row.name },
      // PostgreSQL 16 changed how single-relation views print; see view-definition.ts.
      definition: serverVersion < 160000 ? unqualifySingleRelationView(row.definition) : row.definition,
      materialized: row.materialized,
      dependsOn: row.depends_on.map((d) => ({ schema: d.schema, name: d.name })),
      indexes,
    },
    comments('pg_class', row.oid),
  )
}

function commentLookup(rows: readonly CommentRow[]): CommentLookup {
  // Most schemas have few comments or none; then no key string is built for each of their columns and indexes.
  if (rows.length === 0) return () => undefined
  const byKey = new Map(rows.map((r) => [`${r.catalog}:${r.oid}:${r.sub}`, r.description]))
  return (catalog, oid, sub = 0) => byKey.get(`${catalog}:${oid}:${sub}`)
}

function withComment<T extends object>(value: T, comment: string | undefined): T & { readonly comment?: string } {
  return comment === undefined ? value : { ...value, comment }
}

/** The column rows of each table (by OID), in attnum order: the columns query returns them in no order. */
function columnsInOrder(rows: readonly ColumnRow[]): Map<string, ColumnRow[]> {
  const byTable = groupBy(rows, (c) => c.table_oid)
  for (const columns of byTable.values()) {
    // Usually in order already (pg_attribute's rows lie in the order ADD COLUMN wrote them): sorted only if not.
    for (let i = 1; i < columns.length; i++) {
      if ((columns[i - 1] as ColumnRow).attnum > (columns[i] as ColumnRow).attnum) {
        columns.sort((a, b) => a.attnum - b.attnum)
        break
      }
    }
  }
  return byTable
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>()
  for (const item of items) {
    const group = groups.get(key(item))
    if (group === undefined) groups.set(key(item), [item])
    else group.push(item)
  }
  return groups
}

/** The name of a built table, or of a view row. */
function relationName(relation: Table | ViewRow): { readonly schema?: string; readonly name: string } {
  return 'columns' in relation ? relation.name : { schema: relation.schema, name: relation.name }
}

/** A partition's facts with its custom-named attached indexes, sorted by parent index. */
function withAttached(
  facts: NonNullable<TableExt['postgres']> | undefined,
  attached: readonly AttachedIndex[] | undefined,
): NonNullable<TableExt['postgres']> | undefined {
  if (attached === undefined || attached.length === 0) return facts
  const sorted = [...attached].sort((a, b) => (a.parent < b.parent ? -1 : a.parent > b.parent ? 1 : 0))
  return { ...facts, attachedIndexes: sorted }
}
