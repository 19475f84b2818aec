import type { AttachedIndex, Index, Schema, Table, TableExt, View } from '../../schema/model.js'
import type { IntrospectOptions } from '../dialect.js'
import { buildAttachedIndexes, buildExpressionIndexCopies } from './introspect-attached.js'
import { buildColumn, buildSequence, type CommentLookup } from './introspect-columns.js'
import { buildConstraints, buildIndexes } from './introspect-constraints.js'
import { buildPartitionFacts, buildRules, tableExtOf } from './introspect-partitions.js'
import type { CatalogRows } from './introspect-read.js'
import { buildRoutineObjects } from './introspect-routines.js'
import { attachSecurity } from './introspect-security.js'
import { normalizePostgres } from './normalize.js'
import type { CommentRow } from './queries/comments.js'
import type { RuleRow } from './queries/rules.js'
import type { ColumnRow, TableRow } from './queries/tables.js'
import type { ViewRow } from './queries/views.js'
import { unqualifySingleRelationView } from './view-definition.js'

/** The normalised schema of the catalog rows `readCatalog` read, with what Keel leaves alone when they list it. */
export function buildIntrospected(rows: CatalogRows, options: IntrospectOptions): Schema {
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
  const expressionCopies = buildExpressionIndexCopies(rows.attachedIndexes)
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
        ...tableExtOf(
          table.unlogged,
          withAttached(partitionFacts.get(table.oid), attached.get(table.oid), expressionCopies.get(table.oid)),
        ),
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

/** A partition's facts with its custom-named attached indexes and its expression indexes' copies, by parent index. */
function withAttached(
  facts: NonNullable<TableExt['postgres']> | undefined,
  attached: readonly AttachedIndex[] | undefined,
  expressionCopies: readonly { parent: string; name: string }[] | undefined,
): NonNullable<TableExt['postgres']> | undefined {
  const byParent = <T extends { readonly parent: string }>(list: readonly T[]) =>
    [...list].sort((a, b) => (a.parent < b.parent ? -1 : a.parent > b.parent ? 1 : 0))
  const withCopies =
    expressionCopies === undefined || expressionCopies.length === 0
      ? facts
      : { ...facts, expressionIndexCopies: byParent(expressionCopies) }
  if (attached === undefined || attached.length === 0) return withCopies
  return { ...withCopies, attachedIndexes: byParent(attached) }
}
