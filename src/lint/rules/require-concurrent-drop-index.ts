import type { QualifiedName } from '../../schema/model.js'
import type { LintContext, Rule } from '../rule.js'
import {
  alterTable,
  builtinName,
  calledFunctions,
  columnConstraints,
  columnDefOf,
  namesKey,
  relationKey,
  typeOf,
} from '../sql/ast.js'
import type { AlterTableCmd, RangeVar } from '../sql/tree.js'
import { VOLATILE_FUNCTIONS } from '../sql/volatile-functions.js'

/**
 * DROP INDEX without CONCURRENTLY, unless the migration holds the table anyway: the index was built earlier in it,
 * or the same transaction rewrites the index's table (ACCESS EXCLUSIVE until the commit, and every index rebuilt:
 * see {@link rewrittenTables} for which statements do). Keel's own in-place enum recreation drops an index that reads a converted column that way
 * and makes it again after the conversion: dropped concurrently in a migration of its own, it would still wait for
 * the same lock at the rewrite, and a failure of the rewrite would leave the table without the index. A contract
 * that drops an index for good on a table the recreation converts runs it in that transaction too (dropped
 * concurrently, it would split the run): the index's table is then the generated step's, as nothing builds it here.
 */
export const requireConcurrentDropIndex: Rule = {
  id: 'require-concurrent-drop-index',
  severity: 'warning',
  dialects: ['postgres', 'pglite'],
  summary: 'DROP INDEX without CONCURRENTLY',
  why: "DROP INDEX takes ACCESS EXCLUSIVE on the index's table: quick, but it waits behind every transaction using the table, and every query queued after it waits too. DROP INDEX CONCURRENTLY waits without blocking. Not flagged: a DROP INDEX in the transaction that also rewrites the index's table (ALTER COLUMN TYPE; ADD COLUMN with a volatile default, a serial type, an identity or a stored generated column; SET LOGGED or UNLOGGED; SET ACCESS METHOD; CLUSTER) takes no lock the rewrite does not take (the lock hazard is the rewrite's: ban-alter-column-type, ban-volatile-default, ban-add-stored-generated-column and ban-cluster flag it), where the index's table is known: the migration makes the index again, or a generated plan's step drops it (`keel generate`, `keel diff`; a contract dropping an index for good on a table an enum recreated in place converts). Still flagged: a DROP INDEX alone, one beside a change of its table that does not rewrite it (DROP COLUMN, ADD COLUMN with a constant or STABLE default or one calling a function that is not built in, whose volatility lint cannot know, SET NOT NULL, SET TABLESPACE, SET (storage parameters)), one in a transaction that rewrites another table, one whose table is unknown, and one past a COMMIT or past a VALIDATE CONSTRAINT or ADD VALUE, which Keel's runner commits on its own.",
  help: 'Use DROP INDEX CONCURRENTLY in a migration of its own that starts with `-- keel:no-transaction`.',
  examples: {
    bad: 'drop index users_email_idx;',
    good: '-- keel:no-transaction\ndrop index concurrently users_email_idx;',
  },
  statementKinds: ['DropStmt'],
  *checkStatement({ node, step }, ctx) {
    if (!('DropStmt' in node) || node.DropStmt.removeType !== 'OBJECT_INDEX' || node.DropStmt.concurrent === true)
      return
    const names = (node.DropStmt.objects ?? []).map((o) =>
      'List' in o ? namesKey(o.List.items, ctx.traits.defaultNamespace) : '',
    )
    const tables = indexTables(ctx)
    // Indexes built earlier in this migration are on tables it holds anyway.
    const built = new Set([...tables.entries()].filter(([, { at }]) => at < ctx.index).map(([name]) => name))
    const rewritten = ctx.inTransaction ? rewrittenTables(ctx, transactionAround(ctx)) : new Set<string>()
    // A generated step that drops one index locks that index's table alone: its table even where nothing builds it.
    const stepTable = step?.lock.on.length === 1 && names.length === 1 ? qualifiedKey(step.lock.on[0], ctx) : ''
    const tableOf = (name: string) => tables.get(name)?.table ?? stepTable
    const held = (name: string) => built.has(name) || rewritten.has(tableOf(name))
    if (names.every(held)) return
    yield { message: `drops ${names.join(', ')} under ACCESS EXCLUSIVE on its table` }
  },
}

/**
 * The table of each index this migration builds (CREATE INDEX), by the index's key (an index lives in its table's
 * schema), with the position of its first build: where the index is made again after it is dropped, its table.
 */
function indexTables(ctx: LintContext): Map<string, { readonly table: string; readonly at: number }> {
  const tables = new Map<string, { table: string; at: number }>()
  ctx.statements.forEach(({ node }, at) => {
    if (!('IndexStmt' in node)) return
    const { relation, idxname } = node.IndexStmt
    const key = indexKey(relation, idxname ?? '', ctx.traits.defaultNamespace)
    if (!tables.has(key)) tables.set(key, { table: relationKey(relation, ctx.traits.defaultNamespace), at })
  })
  return tables
}

/** A planner's name as {@link relationKey} keys a table; '' (no table) for none. */
function qualifiedKey(name: QualifiedName | undefined, ctx: LintContext): string {
  if (name === undefined) return ''
  const { schema } = name
  return relationKey(
    { ...(schema === undefined ? {} : { schemaname: schema }), relname: name.name },
    ctx.traits.defaultNamespace,
  )
}

/** An index's key: its name in its table's schema. */
function indexKey(table: RangeVar | undefined, name: string, defaultNamespace: string | undefined): string {
  const schemaname = table?.schemaname
  return relationKey({ ...(schemaname === undefined ? {} : { schemaname }), relname: name }, defaultNamespace)
}

/**
 * Tables that statements among `statements` rewrite (ACCESS EXCLUSIVE until the commit, every index rebuilt), as
 * PostgreSQL 15's ALTER TABLE notes list them: ALTER COLUMN TYPE; ADD COLUMN whose value is computed for every row
 * (a default calling a volatile built-in function, a serial type's nextval, an identity, a stored generated column);
 * SET LOGGED or UNLOGGED; SET ACCESS METHOD; and CLUSTER. Not counted: what changes the catalog or scans only (DROP
 * COLUMN, a constant or STABLE default, SET NOT NULL, ADD CONSTRAINT), SET TABLESPACE (it copies the files, and
 * leaves the indexes where they are), and a default calling a function that is not built in, whose volatility lint
 * cannot know: taken for a rewrite, a drop that waits for its own lock would go unflagged.
 */
function rewrittenTables(ctx: LintContext, statements: readonly LintContext['statements'][number][]): Set<string> {
  const keys = statements.flatMap(({ node }) => {
    if ('ClusterStmt' in node && node.ClusterStmt.relation !== undefined)
      return [relationKey(node.ClusterStmt.relation, ctx.traits.defaultNamespace)]
    const alter = alterTable(node, ctx.traits.defaultNamespace)
    return alter?.cmds.some((cmd) => rewrites(cmd, ctx)) ? [alter.key] : []
  })
  return new Set(keys)
}

/** ALTER TABLE subcommands that rewrite the table whatever they are given. */
const REWRITING: ReadonlySet<string> = new Set([
  'AT_AlterColumnType',
  'AT_SetLogged',
  'AT_SetUnLogged',
  'AT_SetAccessMethod',
])

/** The serial types, whose default is nextval(): an ADD COLUMN of one fills every row. */
const SERIAL: ReadonlySet<string> = new Set(['serial', 'bigserial', 'smallserial', 'serial4', 'serial8', 'serial2'])

/** Whether an ALTER TABLE subcommand rewrites its table (see {@link rewrittenTables}). */
function rewrites(cmd: AlterTableCmd, ctx: LintContext): boolean {
  if (REWRITING.has(cmd.subtype ?? '')) return true
  const column = cmd.subtype === 'AT_AddColumn' ? columnDefOf(cmd) : undefined
  if (column === undefined) return false
  if (SERIAL.has(builtinName(typeOf(column.typeName), ctx.traits.builtinTypes) ?? '')) return true
  return columnConstraints(column).some(
    (c) =>
      c.contype === 'CONSTR_IDENTITY' ||
      c.contype === 'CONSTR_GENERATED' ||
      (c.contype === 'CONSTR_DEFAULT' && calledFunctions(c.raw_expr).some((f) => VOLATILE_FUNCTIONS.has(f))),
  )
}

/**
 * The statements of the transaction the current statement runs in: up to the BEGIN or COMMIT around it, and in a
 * migration, up to a statement Keel's runner commits on its own (VALIDATE CONSTRAINT, ADD VALUE: a commit before it
 * and after it). A rewrite past either takes its lock in another transaction, after the drop's was released.
 */
function transactionAround(ctx: LintContext): LintContext['statements'][number][] {
  const ends = (i: number) => {
    const { node } = ctx.statements[i] as LintContext['statements'][number]
    if ('TransactionStmt' in node) return true
    if (ctx.migration === undefined) return false
    const validates = alterTable(node, ctx.traits.defaultNamespace)?.cmds.some(
      (cmd) => cmd.subtype === 'AT_ValidateConstraint',
    )
    return validates === true || ('AlterEnumStmt' in node && node.AlterEnumStmt.oldVal === undefined)
  }
  let first = ctx.index
  while (first > 0 && !ends(first - 1)) first--
  let last = ctx.index
  while (last < ctx.statements.length - 1 && !ends(last + 1)) last++
  return ctx.statements.slice(first, last + 1)
}
