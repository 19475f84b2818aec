import type { LintContext, Rule } from '../rule.js'
import { alterTable, namesKey, relationKey } from '../sql/ast.js'

/** Dropping or renaming a column that a view reads (needs --url). */
export const banColumnReadByView: Rule = {
  id: 'ban-column-read-by-view',
  severity: 'error',
  dialects: 'all',
  summary: 'dropping or renaming a column that a view reads (needs --url)',
  why: "A view keeps reading a column by its number, not its name: DROP COLUMN fails on it (or, with CASCADE, drops the view), and a renamed column keeps the view working while code and dumps that name the column by its old name in the view's definition break. Keel reads view dependencies from the live database (`keel lint --url`, or the pending migrations' database).",
  help: 'Change or drop the view first, in its own step, then the column.',
  examples: {
    bad: 'alter table users drop column email;',
    good: 'create or replace view active_users as select id, name from users;\n-- then:\nalter table users drop column email;',
  },
  statementKinds: ['RenameStmt', 'AlterTableStmt'],
  *checkStatement({ node }, ctx) {
    const columns = touchedColumns(node, ctx.traits.defaultNamespace)
    if (columns === undefined) return
    // A view this migration dropped before (as a contract does just before its swap) reads nothing any more.
    const gone = droppedViewsBefore(ctx)
    const readers = (ctx.live.viewColumns?.get(columns.table) ?? []).filter((r) => !gone.has(r.view))
    for (const column of columns.names) {
      const views = readers.filter((r) => r.column === column).map((r) => r.view)
      if (views.length === 0) continue
      yield {
        message: `${columns.verb} ${columns.table}.${column}, which ${views.join(', ')} read${views.length === 1 ? 's' : ''}`,
      }
    }
  },
}

function touchedColumns(
  node: Parameters<typeof alterTable>[0],
  defaultNamespace: string | undefined,
): { table: string; names: string[]; verb: string } | undefined {
  if ('RenameStmt' in node && node.RenameStmt.renameType === 'OBJECT_COLUMN')
    return {
      table: relationKey(node.RenameStmt.relation, defaultNamespace),
      names: [node.RenameStmt.subname ?? ''],
      verb: 'renames',
    }
  const alter = alterTable(node, defaultNamespace)
  if (alter === undefined) return undefined
  const names = alter.cmds
    .filter((c) => c.subtype === 'AT_DropColumn' || c.subtype === 'AT_AlterColumnType')
    .map((c) => c.name ?? '')
  return names.length === 0 ? undefined : { table: alter.key, names, verb: 'drops or retypes' }
}

/** The views (by key, as live facts name them) that the statements before this one drop. */
function droppedViewsBefore(ctx: LintContext): ReadonlySet<string> {
  const gone = new Set<string>()
  for (const { node } of ctx.statements.slice(0, ctx.index)) {
    if (!('DropStmt' in node) || node.DropStmt.removeType !== 'OBJECT_VIEW') continue
    for (const object of node.DropStmt.objects ?? [])
      if ('List' in object) gone.add(namesKey(object.List.items, ctx.traits.defaultNamespace))
  }
  return gone
}
