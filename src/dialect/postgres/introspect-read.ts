import type { Connection } from '../../db/connection.js'
import type { IntrospectOptions } from '../dialect.js'
import {
  type CatalogParams,
  catalogQuery,
  isSiblingCapable,
  type RowsOf,
  readCatalogInSnapshot,
  readCatalogQueries,
  SESSION_SETTINGS_SQL,
} from './catalog-read.js'
import { ATTACHED_INDEXES_SQL, type AttachedIndexRow } from './queries/attached-indexes.js'
import { COLLATIONS_SQL, type CollationRow } from './queries/collations.js'
import { COMMENTS_SQL, type CommentRow } from './queries/comments.js'
import { type ConstraintRow, constraintsSql } from './queries/constraints.js'
import { DOMAINS_SQL, type DomainRow } from './queries/domains.js'
import { ENUMS_SQL, type EnumRow } from './queries/enums.js'
import { EXTENSIONS_SQL, type ExtensionRow } from './queries/extensions.js'
import { groupIndexRows, type IndexPartFlatRow, type IndexRow, indexesSql } from './queries/indexes.js'
import { NAMESPACES_SQL, type NamespaceRow } from './queries/namespaces.js'
import { PARTITIONS_SQL, type PartitionRow } from './queries/partitions.js'
import { PRIVILEGES_SQL, type PrivilegeRow } from './queries/privileges.js'
import {
  ROUTINE_DEPENDENCIES_SQL,
  ROUTINES_SQL,
  type RoutineDependencyByOidRow,
  type RoutineDependencyRow,
  type RoutineRow,
} from './queries/routines.js'
import { ROW_SECURITY_SQL, type RowSecurityRow } from './queries/row-security.js'
import { RULES_SQL, type RuleRow } from './queries/rules.js'
import { SEQUENCES_SQL, type SequenceRow } from './queries/sequences.js'
import { COLUMNS_SQL, type ColumnRow, TABLES_SQL, type TableRow } from './queries/tables.js'
import { TRIGGERS_SQL, type TriggerRow } from './queries/triggers.js'
import { UNMANAGED_SQL, type UnmanagedRow } from './queries/unmanaged.js'
import { VIEWS_SQL, type ViewRow } from './queries/views.js'

/*
 * Reading the catalog: the queries and the sessions they run on. This module and the queries are all that must be
 * loaded before the first query goes out; the builders and the normaliser (introspect-build.ts) load while the
 * server works.
 */

/** Every catalog row introspection reads: one query per object family, for the whole database. */
export interface CatalogRows {
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

/** The catalog rows for domains, routines and triggers: one query per family, for the whole database. */
export interface RoutineCatalogRows {
  readonly domains: readonly DomainRow[]
  readonly routines: readonly RoutineRow[]
  readonly triggers: readonly TriggerRow[]
}

/** The catalog queries for domains, routines and triggers; `params` are the namespace filters every one takes. */
export function routineCatalogQueries(params: CatalogParams) {
  return {
    domains: catalogQuery<DomainRow>(DOMAINS_SQL, params),
    routines: catalogQuery<Omit<RoutineRow, 'depends_on'>>(ROUTINES_SQL, params),
    routineDependencies: catalogQuery<RoutineDependencyByOidRow>(ROUTINE_DEPENDENCIES_SQL, params),
    triggers: catalogQuery<TriggerRow>(TRIGGERS_SQL, params),
  }
}

/** The rows of `routineCatalogQueries`, each routine with its dependencies (grouped by routine OID). */
export function routineCatalogOf(rows: RowsOf<ReturnType<typeof routineCatalogQueries>>): RoutineCatalogRows {
  const dependencies = new Map<string, RoutineDependencyRow[]>()
  for (const { routine_oid, ...dependency } of rows.routineDependencies) {
    const list = dependencies.get(routine_oid)
    if (list === undefined) dependencies.set(routine_oid, [dependency])
    else list.push(dependency)
  }
  return {
    domains: rows.domains,
    routines: rows.routines.map((row) => ({ ...row, depends_on: dependencies.get(row.oid) ?? [] })),
    triggers: rows.triggers,
  }
}

/** The catalog rows for privileges, row-level security and collations: one query per family. */
export interface SecurityCatalogRows {
  readonly privileges: readonly PrivilegeRow[]
  readonly rowSecurity: readonly RowSecurityRow[]
  readonly collations: readonly CollationRow[]
}

/** The catalog queries for privileges, row-level security and collations; `params`: the namespace filters. */
export function securityCatalogQueries(params: CatalogParams) {
  return {
    privileges: catalogQuery<PrivilegeRow>(PRIVILEGES_SQL, params),
    rowSecurity: catalogQuery<RowSecurityRow>(ROW_SECURITY_SQL, params),
    collations: catalogQuery<CollationRow>(COLLATIONS_SQL, params),
  }
}

/**
 * From how many relations (tables, indexes, sequences, views) a caller that allows it (`options.parallel`) has the
 * catalog read on two sessions: below it, the second session's connect costs more than the half of the server's
 * work it takes over (1,000 tables of the bench's shape are ~4,000 relations; their catalog, ~0.5 s of server time).
 */
const PARALLEL_READ_RELATIONS = 500

/**
 * The queries a second session runs when there is one: columns, the largest on a schema of plain tables (at 1,000
 * tables about 40% of the server's time), views and partitions, the largest beside them on a production-shaped one,
 * and the small ones that follow them, so that both sessions take about as long on either shape. Each session's
 * batch in a new session, the server's CPU time (/proc/<pid>/schedstat, median of 7; the bench's schemas):
 * production-shaped, 800 tables: 99 and 92 ms (with attached indexes, triggers, comments and rules here, as before:
 * 69 and 126); 1,000 tables: 93 and 92 (89 and 98); 300 tables: 40 and 41 (35 and 45).
 */
const ON_SIBLING: ReadonlySet<string> = new Set([
  'columns',
  'views',
  'partitions',
  'domains',
  'routines',
  'routineDependencies',
  'unmanaged',
])

export async function readCatalog(conn: Connection, options: IntrospectOptions): Promise<CatalogRows> {
  const read =
    options.parallel === true && isSiblingCapable(conn)
      ? await readCatalogInSnapshot(
          conn,
          (version) => catalogQueries(version, options),
          PARALLEL_READ_RELATIONS,
          ON_SIBLING,
        )
      : undefined
  const { serverVersion, rows } = read ?? (await readOnThisSession(conn, options))
  return {
    ...rows,
    serverVersion,
    indexes: groupIndexRows(rows.indexes),
    routines: routineCatalogOf(rows),
    security: rows,
    unmanaged: 'unmanaged' in rows ? rows.unmanaged : undefined,
  }
}

/** The catalog read on `conn` alone, which may be in a transaction of the caller's. */
async function readOnThisSession(conn: Connection, options: IntrospectOptions) {
  const [settings] = await conn.query<{ search_path: string; jit: string | null; version: number }>(
    SESSION_SETTINGS_SQL,
  )
  const serverVersion = settings?.version ?? 0
  const previous = { searchPath: settings?.search_path ?? 'public', jit: settings?.jit ?? null }
  return { serverVersion, rows: await readCatalogQueries(conn, catalogQueries(serverVersion, options), previous) }
}
