/**
 * The SQLite planner: what `ALTER TABLE` can do (rename a table or column, add a plain column, drop an
 * unreferenced one) it does; everything else rebuilds the table the way SQLite's documentation says
 * (https://www.sqlite.org/lang_altertable.html#otheralter), as Alembic's batch mode does, without asking:
 * foreign keys off *outside* the transaction, create the new table, copy every row, drop the old one,
 * rename, recreate indexes, triggers and the views that mention the table, `foreign_key_check`, commit,
 * foreign keys on. With foreign keys off, the DROP fires no ON DELETE CASCADE in the children.
 */
import type { Change } from '../../diff/change.js'
import { KeelError } from '../../errors.js'
import type { Policy } from '../../plan/policy.js'
import type { Lock, Plan, Reverse, Step } from '../../plan/step.js'
import type { Column, QualifiedName, Schema, Table, Trigger, View } from '../../schema/model.js'
import type { PlanSchemas } from '../dialect.js'
import { quoteIdent } from './quote.js'
import { renderColumn, renderCreateIndex, renderCreateTable, renderCreateTrigger, renderCreateView } from './render.js'
import { sameColumns } from './same-identifier.js'

type Draft = Omit<Step, 'phase'>

const writeLock = (table: string): Lock => ({ mode: 'database write lock', blocks: 'writes', on: [{ name: table }] })
const none: Reverse = { sql: '' }

function draft(
  sql: string,
  reverse: Reverse,
  source: Change,
  comment: string,
  table: string,
  more: Partial<Draft> = {},
): Draft {
  return {
    sql,
    reverse,
    transactional: true,
    lock: writeLock(table),
    rewritesTable: false,
    scansTable: false,
    dataLoss: 'none',
    source,
    comment,
    ...more,
  }
}

/** Whether `text` mentions `name` as a word (quoted or not): views and triggers that must be rebuilt with a table. */
function mentions(text: string, name: string): boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  return new RegExp(`(^|[^A-Za-z0-9_$])["\`[]?${escaped}["\`\\]]?($|[^A-Za-z0-9_$])`, 'i').test(text)
}

/** Whether ALTER TABLE ADD COLUMN can add this column (https://www.sqlite.org/lang_altertable.html#altertabaddcol). */
function addable(column: Column): boolean {
  if (column.generated?.stored) return false
  const d = column.default?.sql.trim()
  if (d !== undefined && (/^\(/.test(d) || /^CURRENT_/i.test(d))) return false
  if (!column.nullable && (d === undefined || /^NULL$/i.test(d))) return false
  return column.identity === undefined
}

/** Whether ALTER TABLE DROP COLUMN can drop it: nothing in the table, its views or triggers refers to it. */
function droppable(table: Table, column: string, from: Schema): boolean {
  const uses = (names: readonly string[]) => names.includes(column)
  if (table.primaryKey && uses(table.primaryKey.columns)) return false
  if (table.uniques.some((u) => uses(u.columns)) || table.foreignKeys.some((f) => uses(f.columns))) return false
  if (
    table.indexes.some((i) =>
      i.parts.some((p) => p.column === column || mentions(p.expr ?? '', column) || mentions(i.where ?? '', column)),
    )
  )
    return false
  if (
    table.checks.some((c) => mentions(c.expr, column)) ||
    table.columns.some((c) => c.generated && mentions(c.generated.expr, column))
  )
    return false
  const dependents = [...from.views.map((v) => v.definition), ...(from.triggers ?? []).map((t) => t.definition)]
  return !dependents.some((text) => mentions(text, column))
}

/** Change kinds SQLite has no objects for: refused by name rather than rendered as nothing. */
function unsupported(change: Change): never {
  throw new KeelError(
    'UNSUPPORTED',
    `SQLite has nothing that carries out a ${change.kind} change`,
    'SQLite has no namespaces, enums, sequences, extensions, routines, domains, comments, grants, policies, partitions or exclusion constraints; leave them out of a SQLite schema.',
  )
}

interface Context {
  readonly from: Schema
  readonly to: Schema
  /** Tables (by their new name) rebuilt by this plan, with the renames of their columns (new → old). */
  readonly rebuilt: Map<string, Map<string, string>>
  /** Old name of each renamed table, by new name. */
  readonly renamedTables: Map<string, string>
}

function tableIn(schema: Schema, name: string): Table | undefined {
  return schema.tables.find((t) => t.name.name === name)
}

/**
 * Plans `changes` for SQLite. A table rebuild needs both whole schemas (`schemas`): the new table is
 * written from `to`, and its reverse from `from`. The policy changes nothing: SQLite has no online DDL.
 */
export function planSqlite(changes: readonly Change[], _policy: Policy, schemas?: PlanSchemas): Plan {
  const from = schemas?.from ?? { namespaces: [], extensions: [], enums: [], sequences: [], tables: [], views: [] }
  const to = schemas?.to ?? from
  const ctx: Context = { from, to, rebuilt: new Map(), renamedTables: new Map() }
  for (const c of changes) if (c.kind === 'renameTable') ctx.renamedTables.set(c.to.name, c.from.name)
  const rebuildCauses = new Map<string, Change>()
  for (const c of changes) {
    const table = needsRebuild(c, ctx)
    if (table !== undefined && !rebuildCauses.has(table)) rebuildCauses.set(table, c)
  }
  if (rebuildCauses.size > 0 && schemas === undefined) {
    throw new KeelError(
      'UNSUPPORTED',
      `SQLite rebuilds ${[...rebuildCauses.keys()].join(', ')} for this change, which needs the whole schema before and after`,
      'Plan through keel diff, push or generate, which pass both schemas.',
    )
  }
  for (const [table] of rebuildCauses) ctx.rebuilt.set(table, new Map())
  for (const c of changes)
    if (c.kind === 'renameColumn' && ctx.rebuilt.has(c.table.name)) ctx.rebuilt.get(c.table.name)?.set(c.to, c.from)

  const early: Draft[] = []
  const middle: Draft[] = []
  const drops: { table: Table; draft: Draft }[] = []
  const late: Draft[] = []
  for (const c of changes) {
    switch (c.kind) {
      case 'createTable':
        middle.push(
          draft(
            renderCreateTable(c.table),
            { sql: `DROP TABLE ${quoteIdent(c.table.name.name)}` },
            c,
            `Create table ${c.table.name.name}`,
            c.table.name.name,
          ),
        )
        for (const index of c.table.indexes)
          late.push(
            draft(
              renderCreateIndex(c.table.name.name, index),
              { sql: `DROP INDEX ${quoteIdent(index.name)}` },
              c,
              `Create index ${index.name}`,
              c.table.name.name,
            ),
          )
        break
      case 'dropTable': {
        const recreate = [
          renderCreateTable(c.table),
          ...c.table.indexes.map((i) => renderCreateIndex(c.table.name.name, i)),
        ].join(';\n')
        drops.push({
          table: c.table,
          draft: draft(
            `DROP TABLE ${quoteIdent(c.table.name.name)}`,
            { sql: recreate },
            c,
            `Drop table ${c.table.name.name}`,
            c.table.name.name,
            {
              dataLoss: 'certain',
            },
          ),
        })
        break
      }
      case 'renameTable':
        early.push(
          draft(
            `ALTER TABLE ${quoteIdent(c.from.name)} RENAME TO ${quoteIdent(c.to.name)}`,
            { sql: `ALTER TABLE ${quoteIdent(c.to.name)} RENAME TO ${quoteIdent(c.from.name)}` },
            c,
            `Rename table ${c.from.name} to ${c.to.name}`,
            c.to.name,
          ),
        )
        break
      case 'renameColumn':
        if (!ctx.rebuilt.has(c.table.name))
          middle.push(
            draft(
              `ALTER TABLE ${quoteIdent(c.table.name)} RENAME COLUMN ${quoteIdent(c.from)} TO ${quoteIdent(c.to)}`,
              {
                sql: `ALTER TABLE ${quoteIdent(c.table.name)} RENAME COLUMN ${quoteIdent(c.to)} TO ${quoteIdent(c.from)}`,
              },
              c,
              `Rename column ${c.table.name}.${c.from} to ${c.to}`,
              c.table.name,
            ),
          )
        break
      case 'addColumn':
        if (!ctx.rebuilt.has(c.table.name))
          middle.push(
            draft(
              `ALTER TABLE ${quoteIdent(c.table.name)} ADD COLUMN ${renderColumn(c.column)}`,
              { sql: `ALTER TABLE ${quoteIdent(c.table.name)} DROP COLUMN ${quoteIdent(c.column.name)}` },
              c,
              `Add column ${c.table.name}.${c.column.name}`,
              c.table.name,
            ),
          )
        break
      case 'dropColumn':
        if (!ctx.rebuilt.has(c.table.name))
          middle.push(
            draft(
              `ALTER TABLE ${quoteIdent(c.table.name)} DROP COLUMN ${quoteIdent(c.column.name)}`,
              // A column ALTER cannot add back is dropped by a rebuild (needsRebuild).
              { sql: `ALTER TABLE ${quoteIdent(c.table.name)} ADD COLUMN ${renderColumn(c.column)}` },
              c,
              `Drop column ${c.table.name}.${c.column.name}`,
              c.table.name,
              { dataLoss: 'certain', rewritesTable: true },
            ),
          )
        break
      case 'createIndex':
        if (!ctx.rebuilt.has(c.table.name))
          late.push(
            draft(
              renderCreateIndex(c.table.name, c.index),
              { sql: `DROP INDEX ${quoteIdent(c.index.name)}` },
              c,
              `Create index ${c.index.name}`,
              c.table.name,
              { scansTable: true },
            ),
          )
        break
      case 'dropIndex':
        if (!ctx.rebuilt.has(c.table.name))
          early.push(
            draft(
              `DROP INDEX ${quoteIdent(c.index.name)}`,
              { sql: renderCreateIndex(c.table.name, c.index) },
              c,
              `Drop index ${c.index.name}`,
              c.table.name,
            ),
          )
        break
      case 'createView':
        late.push(createViewDraft(c.view, c))
        break
      case 'dropView':
        early.unshift(dropViewDraft(c.view, c))
        break
      case 'createTrigger':
        late.push(createTriggerDraft(c.trigger, c))
        break
      case 'dropTrigger':
        early.unshift(dropTriggerDraft(c.trigger, c))
        break
      case 'alterTrigger':
        // SQLite cannot alter a trigger: the old one goes first, the new one comes after the tables.
        early.unshift(dropTriggerDraft(c.from, c))
        late.push(createTriggerDraft(c.to, c))
        break
      default:
        if (!isRebuildKind(c)) unsupported(c)
    }
  }
  for (const [table, cause] of rebuildCauses) middle.push(...rebuildTable(table, cause, ctx))
  const steps = [...early, ...middle, ...orderDrops(drops), ...late].map((d): Step => ({ ...d, phase: 'expand' }))
  return { dialect: 'sqlite', steps }
}

/** A view's CREATE and DROP, each the other's reverse (views are named after themselves for the lock). */
function createViewDraft(view: View, source: Change): Draft {
  const name = view.name.name
  return draft(renderCreateView(view), { sql: `DROP VIEW ${quoteIdent(name)}` }, source, `Create view ${name}`, name)
}

function dropViewDraft(view: View, source: Change): Draft {
  const name = view.name.name
  return draft(`DROP VIEW ${quoteIdent(name)}`, { sql: renderCreateView(view) }, source, `Drop view ${name}`, name)
}

/** A trigger's CREATE and DROP, each the other's reverse; both lock the trigger's table. */
function createTriggerDraft(trigger: Trigger, source: Change): Draft {
  return draft(
    renderCreateTrigger(trigger),
    { sql: `DROP TRIGGER ${quoteIdent(trigger.name)}` },
    source,
    `Create trigger ${trigger.name}`,
    trigger.table.name,
  )
}

function dropTriggerDraft(trigger: Trigger, source: Change): Draft {
  return draft(
    `DROP TRIGGER ${quoteIdent(trigger.name)}`,
    { sql: renderCreateTrigger(trigger) },
    source,
    `Drop trigger ${trigger.name}`,
    trigger.table.name,
  )
}

/** Whether a view is the same on both sides (the plan has no step of its own for it). */
function keptView(view: View, before: Schema, after: Schema): boolean {
  const same = (schema: Schema) =>
    schema.views.some((v) => v.name.name === view.name.name && v.definition === view.definition)
  return same(before) && same(after)
}

/** Whether a trigger is the same on both sides (the plan has no step of its own for it). */
function keptTrigger(trigger: Trigger, before: Schema, after: Schema): boolean {
  const same = (schema: Schema) =>
    (schema.triggers ?? []).some(
      (t) => t.name === trigger.name && t.definition === trigger.definition && t.table.name === trigger.table.name,
    )
  return same(before) && same(after)
}

const REBUILD_KINDS = new Set<Change['kind']>([
  'alterColumn',
  'addPrimaryKey',
  'dropPrimaryKey',
  'addUnique',
  'dropUnique',
  'addForeignKey',
  'dropForeignKey',
  'addCheck',
  'dropCheck',
  'alterTable',
  'renameConstraint',
  'renameIndex',
])

function isRebuildKind(c: Change): boolean {
  return REBUILD_KINDS.has(c.kind)
}

/** The table a change rebuilds (by its new name), if it needs one. */
function needsRebuild(c: Change, ctx: Context): string | undefined {
  // Every rebuild kind names its table by a QualifiedName.
  if (isRebuildKind(c)) return (c as { readonly table: QualifiedName }).table.name
  if (c.kind === 'addColumn' && !addable(c.column)) return c.table.name
  if (c.kind === 'dropColumn') {
    // ALTER TABLE DROP COLUMN rewrites the table too, but has no reverse when ALTER cannot add the column
    // back (stored generated, NOT NULL without a default...): a rebuild has one, at the same cost.
    if (!addable(c.column)) return c.table.name
    const old = tableIn(ctx.from, ctx.renamedTables.get(c.table.name) ?? c.table.name)
    if (old === undefined || !droppable(old, c.column.name, ctx.from)) return c.table.name
  }
  return undefined
}

/** Drops of tables: children before the parents they reference, so that no foreign key points at a dropped table. */
function orderDrops(drops: readonly { table: Table; draft: Draft }[]): Draft[] {
  const left = [...drops]
  const out: Draft[] = []
  while (left.length > 0) {
    const i = left.findIndex(
      (d) =>
        !left.some((o) => o !== d && o.table.foreignKeys.some((fk) => fk.references.table.name === d.table.name.name)),
    )
    const [next] = left.splice(i === -1 ? 0 : i, 1)
    if (next) out.push(next.draft)
  }
  return out
}

/** The statements that rebuild `fromTable` as `toTable`, copying every row (column renames: new → old). */
function rebuildSql(
  fromTable: Table,
  toTable: Table,
  renames: ReadonlyMap<string, string>,
  before: Schema,
  after: Schema,
): string[] {
  const name = toTable.name.name
  const temp = `_keel_new_${name}`
  const sources = new Map(fromTable.columns.filter((c) => c.generated === undefined).map((c) => [c.name, c]))
  const copied = toTable.columns.filter((c) => c.generated === undefined && sources.has(renames.get(c.name) ?? c.name))
  // Only the views and triggers that the plan keeps as they are: one the plan drops, adds or changes has its
  // own step (dropped early, created late), so that the rebuild and its reverse neither drop it twice nor
  // create it twice.
  const dependents = (schema: Schema) => [
    ...schema.views
      .filter((v) => mentions(v.definition, name) && keptView(v, before, after))
      .map((v) => ({ drop: `DROP VIEW ${quoteIdent(v.name.name)}`, create: renderCreateView(v) })),
    ...(schema.triggers ?? [])
      .filter((t) => t.table.name !== name && mentions(t.definition, name) && keptTrigger(t, before, after))
      .map((t) => ({ drop: `DROP TRIGGER ${quoteIdent(t.name)}`, create: renderCreateTrigger(t) })),
  ]
  return [
    ...dependents(before).map((d) => d.drop),
    renderCreateTable(toTable, temp),
    `INSERT INTO ${quoteIdent(temp)} (${copied.map((c) => quoteIdent(c.name)).join(', ')}) SELECT ${copied
      .map((c) => quoteIdent(renames.get(c.name) ?? c.name))
      .join(', ')} FROM ${quoteIdent(name)}`,
    `DROP TABLE ${quoteIdent(name)}`,
    `ALTER TABLE ${quoteIdent(temp)} RENAME TO ${quoteIdent(name)}`,
    ...toTable.indexes.map((i) => renderCreateIndex(name, i)),
    // DROP TABLE took the table's own triggers with it.
    ...(after.triggers ?? [])
      .filter((t) => t.table.name === name && keptTrigger(t, before, after))
      .map(renderCreateTrigger),
    ...dependents(after).map((d) => d.create),
    // PRAGMA foreign_key_check only lists violations; a CHECK on a temporary table turns any into an error.
    `CREATE TEMP TABLE IF NOT EXISTS keel_foreign_key_check (violations INTEGER CONSTRAINT "foreign_key_check finds no violations" CHECK (violations = 0))`,
    `INSERT INTO temp.keel_foreign_key_check SELECT count(*) FROM pragma_foreign_key_check`,
    `DELETE FROM temp.keel_foreign_key_check`,
  ]
}

/**
 * `table` with the names `other` gives the same constraints where `table` states none: a source that
 * names no constraint leaves the database's `CONSTRAINT [PK_Album]` as it is, and diff sees no difference in it
 * (PrimaryKey.declaredName), so a rebuild for another change must not drop it.
 */
function keepNames(table: Table, other: Table): Table {
  // By name, or by columns: a table renamed with its rebuild gives its constraints other default names.
  const named = <
    T extends { readonly name: string; readonly columns: readonly string[]; readonly declaredName?: string },
  >(
    item: T,
    others: readonly T[],
  ): T => {
    if (item.declaredName !== undefined) return item
    const same = others.find((o) => o.name === item.name) ?? others.find((o) => sameColumns(o.columns, item.columns))
    return same?.declaredName === undefined ? item : { ...item, declaredName: same.declaredName }
  }
  return {
    ...table,
    ...(table.primaryKey === undefined
      ? {}
      : { primaryKey: named(table.primaryKey, other.primaryKey === undefined ? [] : [other.primaryKey]) }),
    uniques: table.uniques.map((u) => named(u, other.uniques)),
    foreignKeys: table.foreignKeys.map((fk) => named(fk, other.foreignKeys)),
  }
}

/** A rebuild as steps: foreign keys off alone, the copy in one transaction, foreign keys on alone. */
function rebuildTable(name: string, cause: Change, ctx: Context): Draft[] {
  const oldName = ctx.renamedTables.get(name) ?? name
  const toTable = tableIn(ctx.to, name)
  const fromTable = tableIn(ctx.from, oldName)
  if (toTable === undefined || fromTable === undefined) {
    throw new KeelError('UNSUPPORTED', `cannot rebuild ${name}: the plan's schemas do not hold it before and after`)
  }
  const renames = ctx.rebuilt.get(name) ?? new Map<string, string>()
  const back = new Map([...renames].map(([n, o]) => [o, n]))
  // The reverse runs after the rename of the table is undone: it rebuilds under the new name, as forward.
  const forward = rebuildSql(fromTable, keepNames(toTable, fromTable), renames, ctx.from, ctx.to)
  const reverse = rebuildSql(
    { ...toTable, name: fromTable.name },
    { ...keepNames(fromTable, toTable), name: toTable.name },
    back,
    ctx.to,
    ctx.from,
  )
  const lost = fromTable.columns.filter((c) => !toTable.columns.some((t) => (renames.get(t.name) ?? t.name) === c.name))
  const comment = `Rebuild table ${name} (${cause.kind}): SQLite cannot ALTER this; every row is copied into a new table`
  const off = 'PRAGMA foreign_keys = OFF'
  const on = 'PRAGMA foreign_keys = ON'
  return [
    draft(off, none, cause, `Foreign keys off for the rebuild of ${name} (outside its transaction)`, name, {
      transactional: false,
    }),
    ...forward.map((sql) =>
      draft(sql, none, cause, comment, name, {
        rewritesTable: true,
        scansTable: true,
        dataLoss: lost.length > 0 && sql.startsWith('DROP TABLE') ? 'certain' : 'none',
      }),
    ),
    draft(
      on,
      { sql: [off, ...reverse, on].join(';\n') },
      cause,
      `Foreign keys back on after the rebuild of ${name}`,
      name,
      { transactional: false },
    ),
  ]
}
