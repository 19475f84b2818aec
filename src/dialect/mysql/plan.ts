/**
 * The MySQL / MariaDB planner. Every ALTER TABLE states its algorithm (plan-facts.ts), so that the server refuses a
 * statement it cannot run as planned rather than copying the table behind the plan's back; each step says whether
 * it rewrites or scans the table and what it blocks, for lint and review. DDL commits implicitly in MySQL: no
 * step is transactional, and the runner records progress statement by statement.
 *
 * Order (each reason beside its group in `planMysql`): what depends on what goes first, foreign keys before the
 * keys and indexes they use, renames, drops, creates (tables in foreign-key order), columns (added where `to` puts
 * them, with AFTER), keys, checks, foreign keys, options, then views, routines and triggers.
 */
import type { Change } from '../../diff/change.js'
import { KeelError } from '../../errors.js'
import { topoSort } from '../../plan/order.js'
import type { Policy } from '../../plan/policy.js'
import type { Plan, Reverse, Step } from '../../plan/step.js'
import type { Check, Column, ForeignKey, Schema, Table, View } from '../../schema/model.js'
import type { PlanSchemas } from '../dialect.js'
import {
  type AlterFact,
  addColumnFact,
  COPY,
  forTable,
  INPLACE_INDEX,
  INPLACE_REBUILD,
  INSTANT,
  modifyColumnFact,
} from './plan-facts.js'
import { quoteIdent, quoteLiteral } from './quote.js'
import {
  columnCheck,
  renderCheck,
  renderColumn,
  renderCreateRoutine,
  renderCreateTable,
  renderCreateTrigger,
  renderCreateView,
  renderDropRoutine,
  renderForeignKey,
  renderIndex,
  renderUnique,
} from './render.js'

type Draft = Omit<Step, 'phase'>

/** One ALTER TABLE statement with the facts of how the server runs it. */
interface Op {
  readonly sql: string
  readonly fact?: AlterFact
}

const q = quoteIdent

/** `ALTER TABLE t <clause>, ALGORITHM=..., LOCK=...`. */
function alter(table: string, clause: string, fact: AlterFact): Op {
  const lock = fact.lock === undefined ? '' : `, LOCK=${fact.lock}`
  return { sql: `ALTER TABLE ${q(table)} ${clause}, ALGORITHM=${fact.algorithm}${lock}`, fact }
}

function step(
  op: Op,
  reverse: Reverse | Op,
  source: Change,
  comment: string,
  table: string,
  more: Partial<Draft> = {},
): Draft {
  const fact = op.fact
  const blocks = fact === undefined ? 'readsAndWrites' : fact.lock === 'SHARED' ? 'writes' : 'nothing'
  const mode =
    fact === undefined ? 'metadata lock' : `ALGORITHM=${fact.algorithm}${fact.lock ? `, LOCK=${fact.lock}` : ''}`
  return {
    sql: op.sql,
    reverse: 'irreversible' in reverse ? reverse : { sql: reverse.sql },
    transactional: false,
    lock: { mode, blocks, on: [{ name: table }] },
    rewritesTable: fact?.rewrites ?? false,
    scansTable: fact?.scans ?? false,
    dataLoss: 'none',
    source,
    comment,
    ...(fact === undefined ? {} : { algorithm: fact.algorithm }),
    ...more,
  }
}

/** Change kinds MySQL has no objects for: refused by name rather than rendered as nothing. */
function unsupported(change: Change): never {
  throw new KeelError(
    'UNSUPPORTED',
    `MySQL has nothing that carries out a ${change.kind} change`,
    'MySQL has no namespaces inside a database, named enums, sequences Keel manages, extensions, domains, collations, grants, policies, partitions, rules or exclusion constraints; leave them out of a MySQL schema.',
  )
}

/** What the plan knows of both schemas. */
interface Context {
  readonly from: Schema
  readonly to: Schema
  /** Old table name by new name, for renamed tables. */
  readonly oldNames: ReadonlyMap<string, string>
  /** Per table (new name): columns dropped by this plan (their old names). */
  readonly dropped: ReadonlyMap<string, ReadonlySet<string>>
  /** Old column name by `table\u0000new name`, for renamed columns (table by its new name). */
  readonly oldColumns: ReadonlyMap<string, string>
}

const tableIn = (schema: Schema, name: string): Table | undefined => schema.tables.find((t) => t.name.name === name)

/** The table as it is before the plan, under its new name. */
const before = (ctx: Context, name: string) => tableIn(ctx.from, ctx.oldNames.get(name) ?? name)

/** The table before and after the plan (what the server holds while a statement on it runs is in between). */
const sides = (ctx: Context, name: string): Sides => [before(ctx, name), tableIn(ctx.to, name)]

/** `FIRST` or `AFTER prev`: where `column` sits in `table`, after the nearest earlier column that exists then. */
function position(table: Table | undefined, column: string, skip: ReadonlySet<string> = new Set()): string {
  const columns = table?.columns ?? []
  const at = columns.findIndex((c) => c.name === column)
  for (let i = at - 1; i >= 0; i--) {
    const prev = columns[i] as Column
    if (!skip.has(prev.name)) return ` AFTER ${q(prev.name)}`
  }
  return ' FIRST'
}

type Sides = readonly (Table | undefined)[]

/** The column check `column` (named as in `to`) has after the plan. */
const checkAfter = (ctx: Context, table: string, column: string) => columnCheck(tableIn(ctx.to, table), column)
/** The column check `column` (named as in `to`) has before the plan. */
const checkBefore = (ctx: Context, table: string, column: string) =>
  columnCheck(before(ctx, table), ctx.oldColumns.get(`${table}\u0000${column}`) ?? column)

/**
 * A column placed before a VIRTUAL generated column that exists while the statement runs cannot be added
 * instantly ("INPLACE ADD or DROP of virtual columns cannot be combined with other ALTER TABLE actions"): a copy.
 */
function virtualAfter(table: Table | undefined, column: string, t: Sides): boolean {
  const columns = table?.columns ?? []
  const at = columns.findIndex((c) => c.name === column)
  return columns
    .slice(at + 1)
    .some(
      (c) =>
        c.generated !== undefined &&
        !c.generated.stored &&
        t.every((side) => side === undefined || side.columns.some((o) => o.name === c.name)),
    )
}

const addColumn = (table: string, column: Column, where: string, t: Sides, check?: Check, placed?: Table) =>
  alter(
    table,
    `ADD COLUMN ${renderColumn(column, check)}${where}`,
    forTable(
      check !== undefined || (where !== '' && virtualAfter(placed, column.name, t)) ? COPY : addColumnFact(column),
      ...t,
    ),
  )
const dropColumn = (table: string, column: Column, t: Sides) =>
  alter(table, `DROP COLUMN ${q(column.name)}`, forTable(INSTANT, ...t))
/**
 * MODIFY COLUMN. On a table without a primary key, InnoDB's clustered index may be a unique index over NOT NULL
 * columns, and changing a column's nullability may then make or unmake it: a copy.
 */
const modifyColumn = (
  table: string,
  from: Column,
  to: Column,
  t: Sides,
  checks: { readonly from?: Check | undefined; readonly to?: Check | undefined } = {},
) =>
  alter(
    table,
    `MODIFY COLUMN ${renderColumn(to, checks.to)}`,
    // A column check stated anew is validated only by a copy (an instant MODIFY takes it unchecked).
    (from.nullable !== to.nullable && t.some((side) => side !== undefined && side.primaryKey === undefined)) ||
      (checks.to !== undefined && checks.to.expr !== checks.from?.expr)
      ? COPY
      : forTable(modifyColumnFact(from, to), ...t),
  )

function indexFact(method: string | undefined): AlterFact {
  // FULLTEXT and SPATIAL index builds need LOCK=SHARED; the first FULLTEXT index also rebuilds the table.
  return method === undefined ? INPLACE_INDEX : { ...INPLACE_INDEX, lock: 'SHARED', rewrites: true }
}

/**
 * Tables to create, parents before children. A foreign key is written into CREATE TABLE unless its parent is
 * created later or is an existing table that gains keys in this plan (`keyed`: the key it needs may not exist yet,
 * errno 150); those are added with the other foreign keys, after the keys.
 */
function createOrder(
  tables: readonly Table[],
  keyed: ReadonlySet<string>,
): { table: Table; inline: ForeignKey[]; later: ForeignKey[] }[] {
  const left = [...tables]
  const done = new Set<string>()
  const creating = new Set(tables.map((t) => t.name.name))
  const out: { table: Table; inline: ForeignKey[]; later: ForeignKey[] }[] = []
  const ready = (t: Table) =>
    t.foreignKeys.every(
      (fk) =>
        fk.references.table.name === t.name.name ||
        !creating.has(fk.references.table.name) ||
        done.has(fk.references.table.name),
    )
  while (left.length > 0) {
    const i = left.findIndex(ready)
    const [table] = left.splice(i === -1 ? 0 : i, 1) as [Table]
    const waits = (fk: ForeignKey) =>
      fk.references.table.name !== table.name.name &&
      ((creating.has(fk.references.table.name) && !done.has(fk.references.table.name)) ||
        keyed.has(fk.references.table.name))
    out.push({
      table,
      inline: table.foreignKeys.filter((fk) => !waits(fk)),
      later: table.foreignKeys.filter(waits),
    })
    done.add(table.name.name)
  }
  return out
}

/** Tables to drop, children before the parents they reference (a table waits for the tables that reference it). */
function dropOrder(tables: readonly Table[]): Table[] {
  const referencing = (t: Table) =>
    tables.filter((o) => o.foreignKeys.some((fk) => fk.references.table.name === t.name.name)).map((o) => o.name.name)
  return topoSort(tables, (t) => t.name.name, referencing)
}

/** Views in dependency order (those a view reads first); reversed for drops. */
function viewOrder(views: readonly View[]): View[] {
  return topoSort(
    views,
    (v) => v.name.name,
    (v) => v.dependsOn.map((d) => d.name),
  )
}

/**
 * Plans `changes` for MySQL and MariaDB. `schemas` gives column positions (AFTER) and the full definitions that
 * comment changes need (MODIFY COLUMN restates the column); without them new columns go last. The policy changes
 * nothing: every statement already states the least disruptive algorithm the server has for it.
 */
export function planMysql(changes: readonly Change[], _policy: Policy, schemas?: PlanSchemas): Plan {
  const from = schemas?.from ?? { namespaces: [], extensions: [], enums: [], sequences: [], tables: [], views: [] }
  const to = schemas?.to ?? from
  const oldNames = new Map<string, string>()
  for (const c of changes) if (c.kind === 'renameTable') oldNames.set(c.to.name, c.from.name)
  const dropped = new Map<string, Set<string>>()
  for (const c of changes)
    if (c.kind === 'dropColumn')
      dropped.set(c.table.name, new Set([...(dropped.get(c.table.name) ?? []), c.column.name]))
  const oldColumns = new Map<string, string>()
  for (const c of changes) if (c.kind === 'renameColumn') oldColumns.set(`${c.table.name}\u0000${c.to}`, c.from)
  const ctx: Context = { from, to: schemas ? to : from, oldNames, dropped, oldColumns }
  /** Columns whose whole definition a step restates (added, dropped, altered): their column checks go with them. */
  const restated = new Set(
    changes.flatMap((c) =>
      c.kind === 'addColumn' || c.kind === 'dropColumn'
        ? [`${c.table.name}\u0000${c.column.name}`]
        : c.kind === 'alterColumn'
          ? [`${c.table.name}\u0000${c.to.name}`]
          : [],
    ),
  )
  /** Columns whose column check changes alone, restated once each. */
  const checkRestated = new Set<string>()
  const haveSchemas = schemas !== undefined

  // Groups, in the order they run.
  const dependentsOut: Draft[] = [] // triggers, routines, views: they read what changes below
  const fkDrops: Draft[] = [] // before the indexes and keys they use, and before their tables go
  const renames: Draft[] = [] // before anything that names the new names
  const earlyColumns: Draft[] = [] // AUTO_INCREMENT removed before its key goes
  const keyDrops: Draft[] = [] // checks, indexes, uniques, primary keys
  const tableDrops: Table[] = []
  const tableDropSources = new Map<Table, Change>()
  const droppedColumns: {
    readonly table: { readonly name: string }
    readonly column: Column
    readonly change: Change
  }[] = []
  const creates: Table[] = []
  const createSources = new Map<Table, Change>()
  const earlyOptions: Draft[] = [] // a table's new default collation, before its columns are added or changed
  const columnAdds: Draft[] = []
  const columnAlters: Draft[] = []
  const keyAdds: Draft[] = []
  const lateColumns: Draft[] = [] // AUTO_INCREMENT added once its key exists
  const checkAdds: Draft[] = []
  const fkAdds: Draft[] = []
  const options: Draft[] = []
  const viewCreates: View[] = []
  const viewSources = new Map<View, Change>()
  const viewDrops: View[] = []
  const routinesIn: Draft[] = []
  const triggersIn: Draft[] = []

  for (const c of changes) {
    switch (c.kind) {
      case 'createTable':
        creates.push(c.table)
        createSources.set(c.table, c)
        break
      case 'dropTable':
        tableDrops.push(c.table)
        tableDropSources.set(c.table, c)
        break
      case 'renameTable':
        renames.push(
          step(
            { sql: `RENAME TABLE ${q(c.from.name)} TO ${q(c.to.name)}` },
            { sql: `RENAME TABLE ${q(c.to.name)} TO ${q(c.from.name)}` },
            c,
            `Rename table ${c.from.name} to ${c.to.name}`,
            c.to.name,
          ),
        )
        break
      case 'renameColumn': {
        const fact = INSTANT
        renames.push(
          step(
            alter(c.table.name, `RENAME COLUMN ${q(c.from)} TO ${q(c.to)}`, fact),
            alter(c.table.name, `RENAME COLUMN ${q(c.to)} TO ${q(c.from)}`, fact),
            c,
            `Rename column ${c.table.name}.${c.from} to ${c.to}`,
            c.table.name,
          ),
        )
        break
      }
      case 'addColumn': {
        const t = c.table.name
        const where = haveSchemas ? position(tableIn(ctx.to, t), c.column.name) : ''
        const op = addColumn(t, c.column, where, sides(ctx, t), checkAfter(ctx, t, c.column.name), tableIn(ctx.to, t))
        columnAdds.push(
          step(
            op,
            dropColumn(t, c.column, sides(ctx, t)),
            c,
            `Add column ${t}.${c.column.name} (${op.fact?.algorithm})`,
            t,
          ),
        )
        break
      }
      case 'dropColumn':
        droppedColumns.push({ table: c.table, column: c.column, change: c })
        break
      case 'alterColumn': {
        const t = c.table.name
        const checks = { from: checkBefore(ctx, t, c.to.name), to: checkAfter(ctx, t, c.to.name) }
        const op = modifyColumn(t, c.from, c.to, sides(ctx, t), checks)
        const draft = step(
          op,
          modifyColumn(t, c.to, c.from, sides(ctx, t), { from: checks.to, to: checks.from }),
          c,
          `Change column ${t}.${c.to.name} (${c.aspects.join(', ')}; ${op.fact?.algorithm})`,
          t,
          c.aspects.includes('type') ? { dataLoss: 'possible' } : {},
        )
        if (c.from.identity && !c.to.identity) earlyColumns.push(draft)
        else if (c.to.identity && !c.from.identity) lateColumns.push(draft)
        else columnAlters.push(draft)
        break
      }
      case 'addPrimaryKey':
      case 'dropPrimaryKey': {
        const t = c.table.name
        const add = alter(
          t,
          `ADD PRIMARY KEY (${c.primaryKey.columns.map(q).join(', ')})`,
          forTable(INPLACE_REBUILD, ...sides(ctx, t)),
        )
        // Dropping a primary key without adding another is a copy (InnoDB must invent a hidden row id).
        const drop = alter(t, 'DROP PRIMARY KEY', COPY)
        if (c.kind === 'addPrimaryKey') keyAdds.push(step(add, drop, c, `Add primary key on ${t}`, t))
        else keyDrops.push(step(drop, add, c, `Drop primary key of ${t}`, t))
        break
      }
      case 'addUnique':
      case 'dropUnique': {
        const t = c.table.name
        const add = alter(
          t,
          `ADD ${renderUnique(c.unique.name, c.unique.columns)}`,
          forTable(INPLACE_INDEX, ...sides(ctx, t)),
        )
        const drop = alter(
          t,
          `DROP INDEX ${q(c.unique.name)}`,
          forTable(dropIndexFact(sides(ctx, t), c.unique.columns), ...sides(ctx, t)),
        )
        if (c.kind === 'addUnique') keyAdds.push(step(add, drop, c, `Add unique ${c.unique.name}`, t))
        else keyDrops.push(step(drop, add, c, `Drop unique ${c.unique.name}`, t))
        break
      }
      case 'createIndex':
      case 'dropIndex': {
        const t = c.table.name
        const add = alter(t, `ADD ${renderIndex(c.index)}`, forTable(indexFact(c.index.method), ...sides(ctx, t)))
        const drop = alter(
          t,
          `DROP INDEX ${q(c.index.name)}`,
          forTable(
            c.index.unique
              ? dropIndexFact(
                  sides(ctx, t),
                  c.index.parts.map((p) => p.column ?? ''),
                )
              : INPLACE_INDEX_DROP,
            ...sides(ctx, t),
          ),
        )
        if (c.kind === 'createIndex') keyAdds.push(step(add, drop, c, `Create index ${c.index.name}`, t))
        else keyDrops.push(step(drop, add, c, `Drop index ${c.index.name}`, t))
        break
      }
      case 'renameIndex': {
        const t = c.table.name
        renames.push(
          step(
            alter(t, `RENAME INDEX ${q(c.from)} TO ${q(c.to)}`, INSTANT),
            alter(t, `RENAME INDEX ${q(c.to)} TO ${q(c.from)}`, INSTANT),
            c,
            `Rename index ${c.from} to ${c.to}`,
            t,
          ),
        )
        break
      }
      case 'addForeignKey':
      case 'dropForeignKey': {
        const t = c.table.name
        // Adding a foreign key with its checks on is a copy in InnoDB (INPLACE needs foreign_key_checks=OFF, which
        // would leave existing rows unchecked).
        // Foreign keys are dropped before renames: a renamed table still has its old name then.
        const at = c.kind === 'dropForeignKey' ? (ctx.oldNames.get(t) ?? t) : t
        const add = alter(at, `ADD ${renderForeignKey(c.foreignKey)}`, COPY)
        const drop = alter(at, `DROP FOREIGN KEY ${q(c.foreignKey.name)}`, INSTANT)
        if (c.kind === 'addForeignKey') fkAdds.push(step(add, drop, c, `Add foreign key ${c.foreignKey.name}`, t))
        else fkDrops.push(step(drop, add, c, `Drop foreign key ${c.foreignKey.name}`, at))
        break
      }
      case 'addCheck':
      case 'dropCheck': {
        const t = c.table.name
        if (c.check.column !== undefined) {
          // A column check is part of its column: restated with it (a MODIFY COLUMN), or gone with it.
          const column = c.kind === 'dropCheck' ? (newColumnName(ctx, t, c.check.column) ?? '') : c.check.column
          const key = `${t}\u0000${column}`
          if (restated.has(key) || checkRestated.has(key) || column === '') break
          checkRestated.add(key)
          const def = tableIn(ctx.to, t)?.columns.find((col) => col.name === column)
          if (def === undefined) unsupported(c)
          const checks = { from: checkBefore(ctx, t, column), to: checkAfter(ctx, t, column) }
          checkAdds.push(
            step(
              modifyColumn(t, def, def, sides(ctx, t), checks),
              modifyColumn(t, def, def, sides(ctx, t), { from: checks.to, to: checks.from }),
              c,
              `Change the check of column ${t}.${column}`,
              t,
            ),
          )
          break
        }
        // MariaDB validates a new check by copying the table.
        const add = alter(t, `ADD ${renderCheck(c.check)}`, COPY)
        const drop = alter(t, `DROP CONSTRAINT ${q(c.check.name)}`, INSTANT)
        if (c.kind === 'addCheck') checkAdds.push(step(add, drop, c, `Add check ${c.check.name}`, t))
        else keyDrops.unshift(step(drop, add, c, `Drop check ${c.check.name}`, t))
        break
      }
      case 'renameConstraint': {
        // MySQL renames indexes only: a unique constraint is one; a check or a foreign key is dropped and re-added.
        const t = c.table.name
        const old = before(ctx, t)
        const target = tableIn(ctx.to, t)
        const unique = old?.uniques.find((u) => u.name === c.from)
        const check = old?.checks.find((k) => k.name === c.from && k.column === undefined)
        const fk = old?.foreignKeys.find((f) => f.name === c.from)
        const newCheck = target?.checks.find((k) => k.name === c.to)
        const newFk = target?.foreignKeys.find((f) => f.name === c.to)
        if (unique !== undefined) {
          renames.push(
            step(
              alter(t, `RENAME INDEX ${q(c.from)} TO ${q(c.to)}`, INSTANT),
              alter(t, `RENAME INDEX ${q(c.to)} TO ${q(c.from)}`, INSTANT),
              c,
              `Rename unique ${c.from} to ${c.to}`,
              t,
            ),
          )
        } else if (check !== undefined && newCheck !== undefined) {
          const add = (k: Check) => alter(t, `ADD ${renderCheck(k)}`, COPY)
          const drop = (k: Check) => alter(t, `DROP CONSTRAINT ${q(k.name)}`, INSTANT)
          keyDrops.unshift(step(drop(check), add(check), c, `Drop check ${c.from} (renamed ${c.to})`, t))
          checkAdds.push(step(add(newCheck), drop(newCheck), c, `Add check ${c.to} (renamed from ${c.from})`, t))
        } else if (fk !== undefined && newFk !== undefined) {
          const at = ctx.oldNames.get(t) ?? t
          fkDrops.push(
            step(
              alter(at, `DROP FOREIGN KEY ${q(fk.name)}`, INSTANT),
              alter(at, `ADD ${renderForeignKey(fk)}`, COPY),
              c,
              `Drop foreign key ${c.from} (renamed ${c.to})`,
              at,
            ),
          )
          fkAdds.push(
            step(
              alter(t, `ADD ${renderForeignKey(newFk)}`, COPY),
              alter(t, `DROP FOREIGN KEY ${q(newFk.name)}`, INSTANT),
              c,
              `Add foreign key ${c.to} (renamed from ${c.from})`,
              t,
            ),
          )
        } else if (!old?.checks.some((k) => k.name === c.from && k.column !== undefined)) unsupported(c)
        break
      }
      case 'alterTable': {
        const t = c.table.name
        // A new default collation reaches the string columns that follow the table's (restated here, as a column
        // keeps the collation it was made with); it goes before the columns added or changed in this plan, so that
        // those take it too.
        const inherit = (c.from.ext?.mysql?.collation === c.to.ext?.mysql?.collation ? [] : c.to.columns)
          .filter(
            (col) =>
              col.collation === undefined &&
              isStringType(col) &&
              !restated.has(`${t}\u0000${col.name}`) &&
              before(ctx, t)?.columns.some((o) => o.name === (ctx.oldColumns.get(`${t}\u0000${col.name}`) ?? col.name)),
          )
          .map((col) => `, MODIFY COLUMN ${renderColumn(col, checkAfter(ctx, t, col.name))}`)
          .join('')
        const draft = step(
          tableOptions(t, c.from, c.to, inherit),
          tableOptions(t, c.to, c.from, inherit),
          c,
          `Change options of ${t}`,
          t,
        )
        ;(c.from.ext?.mysql?.collation === c.to.ext?.mysql?.collation ? options : earlyOptions).push(draft)
        break
      }
      case 'setComment':
        options.push(commentStep(c, ctx))
        break
      case 'createView':
        viewCreates.push(c.view)
        viewSources.set(c.view, c)
        break
      case 'dropView':
        viewDrops.push(c.view)
        viewSources.set(c.view, c)
        break
      case 'createRoutine':
      case 'dropRoutine': {
        const create = { sql: renderCreateRoutine(c.routine) }
        const drop = { sql: renderDropRoutine(c.routine) }
        const name = c.routine.name.name
        if (c.kind === 'createRoutine') routinesIn.push(step(create, drop, c, `Create ${c.routine.kind} ${name}`, name))
        else dependentsOut.push(step(drop, create, c, `Drop ${c.routine.kind} ${name}`, name))
        break
      }
      case 'alterRoutine': {
        const name = c.to.name.name
        dependentsOut.push(
          step(
            { sql: renderDropRoutine(c.from) },
            { sql: renderCreateRoutine(c.from) },
            c,
            `Drop ${c.from.kind} ${name} to recreate it`,
            name,
          ),
        )
        routinesIn.push(
          step(
            { sql: renderCreateRoutine(c.to) },
            { sql: renderDropRoutine(c.to) },
            c,
            `Create ${c.to.kind} ${name}`,
            name,
          ),
        )
        break
      }
      case 'createTrigger':
      case 'dropTrigger': {
        const t = c.trigger.table.name
        const create = { sql: renderCreateTrigger(c.trigger) }
        const drop = { sql: `DROP TRIGGER ${q(c.trigger.name)}` }
        if (c.kind === 'createTrigger') triggersIn.push(step(create, drop, c, `Create trigger ${c.trigger.name}`, t))
        else dependentsOut.unshift(step(drop, create, c, `Drop trigger ${c.trigger.name}`, t))
        break
      }
      case 'alterTrigger': {
        const t = c.to.table.name
        dependentsOut.unshift(
          step(
            { sql: `DROP TRIGGER ${q(c.from.name)}` },
            { sql: renderCreateTrigger(c.from) },
            c,
            `Drop trigger ${c.from.name}`,
            t,
          ),
        )
        triggersIn.push(
          step(
            { sql: renderCreateTrigger(c.to) },
            { sql: `DROP TRIGGER ${q(c.to.name)}` },
            c,
            `Create trigger ${c.to.name}`,
            t,
          ),
        )
        break
      }
      default:
        unsupported(c)
    }
  }

  const columnDrops = orderColumnDrops(droppedColumns).map((c, i, all) => {
    const t = c.table.name
    // The reverse runs the re-adds last drop first: when this one comes back, the columns dropped before it are
    // still missing, so it goes after the nearest earlier column that is there (each of those comes back after its
    // own predecessor later, which restores the order).
    const missing = new Set(all.slice(0, i).flatMap((d) => (d.table.name === t ? [d.column.name] : [])))
    const where = haveSchemas ? position(before(ctx, t), c.column.name, missing) : ''
    return step(
      dropColumn(t, c.column, sides(ctx, t)),
      addColumn(t, c.column, where, sides(ctx, t), columnCheck(before(ctx, t), c.column.name), before(ctx, t)),
      c.change,
      `Drop column ${t}.${c.column.name}`,
      t,
      { dataLoss: 'certain' },
    )
  })
  const dropViews = viewOrder(viewDrops)
    .reverse()
    .map((v) =>
      step(
        { sql: `DROP VIEW ${q(v.name.name)}` },
        { sql: renderCreateView(v) },
        viewSources.get(v) as Change,
        `Drop view ${v.name.name}`,
        v.name.name,
      ),
    )
  const createViews = viewOrder(viewCreates).map((v) =>
    step(
      { sql: renderCreateView(v) },
      { sql: `DROP VIEW ${q(v.name.name)}` },
      viewSources.get(v) as Change,
      `Create view ${v.name.name}`,
      v.name.name,
    ),
  )
  // Tables referencing each other in a cycle (Sakila's store.manager_staff_id and staff.store_id) have no order
  // in which each goes after all that reference it: a foreign key from a table dropped later to one dropped
  // earlier is dropped first, and the reverse's CREATE TABLE of the later table leaves it out (those tables come
  // back first, and the foreign key step's reverse re-adds it once both exist).
  const dropSequence = dropOrder(tableDrops)
  const dropPosition = new Map(dropSequence.map((t, i) => [t.name.name, i]))
  const goesBefore = (t: Table, fk: ForeignKey) =>
    fk.references.table.name !== t.name.name &&
    (dropPosition.get(fk.references.table.name) ?? Number.POSITIVE_INFINITY) < (dropPosition.get(t.name.name) ?? 0)
  for (const t of dropSequence)
    for (const fk of t.foreignKeys.filter((k) => goesBefore(t, k)))
      fkDrops.push(
        step(
          alter(t.name.name, `DROP FOREIGN KEY ${q(fk.name)}`, INSTANT),
          alter(t.name.name, `ADD ${renderForeignKey(fk)}`, COPY),
          tableDropSources.get(t) as Change,
          `Drop foreign key ${fk.name} (${fk.references.table.name} is dropped before ${t.name.name})`,
          t.name.name,
        ),
      )
  const drops = dropSequence.map((t) =>
    step(
      { sql: `DROP TABLE ${q(t.name.name)}` },
      {
        sql: renderCreateTable(
          t,
          t.foreignKeys.filter((k) => !goesBefore(t, k)),
        ),
      },
      tableDropSources.get(t) as Change,
      `Drop table ${t.name.name}`,
      t.name.name,
      { dataLoss: 'certain' },
    ),
  )
  const created: Draft[] = []
  const keyed = new Set(
    changes.flatMap((c) =>
      c.kind === 'addPrimaryKey' || c.kind === 'addUnique' || c.kind === 'createIndex' ? [c.table.name] : [],
    ),
  )
  for (const { table, inline, later } of createOrder(creates, keyed)) {
    const source = createSources.get(table) as Change
    const name = table.name.name
    created.push(
      step(
        { sql: renderCreateTable(table, inline) },
        { sql: `DROP TABLE ${q(name)}` },
        source,
        `Create table ${name}`,
        name,
      ),
    )
    for (const fk of later)
      fkAdds.push(
        step(
          alter(name, `ADD ${renderForeignKey(fk)}`, COPY),
          alter(name, `DROP FOREIGN KEY ${q(fk.name)}`, INSTANT),
          source,
          `Add foreign key ${fk.name} (its table is created after ${name})`,
          name,
        ),
      )
  }
  const steps = [
    ...dependentsOut,
    ...dropViews,
    ...fkDrops,
    ...renames,
    ...earlyColumns,
    ...keyDrops,
    ...drops,
    ...columnDrops,
    ...created,
    ...earlyOptions,
    ...columnAdds,
    ...columnAlters,
    ...keyAdds,
    ...lateColumns,
    ...checkAdds,
    ...fkAdds,
    ...options,
    ...createViews,
    ...routinesIn,
    ...triggersIn,
  ].map((d): Step => ({ ...d, phase: 'expand' }))
  return { dialect: 'mysql', steps }
}

/** A column of a type that has a character set: CHAR, VARCHAR, the TEXTs, ENUM, SET. */
function isStringType(column: Column): boolean {
  const type = column.type
  return type.kind === 'text' || (type.kind === 'native' && /^(enum|set|tinytext|mediumtext|longtext)\b/.test(type.sql))
}

/** The name after this plan of a column named `old` before it, or undefined when the plan drops it. */
function newColumnName(ctx: Context, table: string, old: string): string | undefined {
  for (const [key, from] of ctx.oldColumns)
    if (from === old && key.startsWith(`${table}\u0000`)) return key.slice(table.length + 1)
  return ctx.dropped.get(table)?.has(old) ? undefined : old
}

/** Generated columns first: MySQL refuses to drop a column that a generated one still reads. */
function orderColumnDrops<T extends { readonly column: Column }>(drops: readonly T[]): T[] {
  return [...drops.filter((d) => d.column.generated), ...drops.filter((d) => !d.column.generated)]
}

/** DROP INDEX: no rebuild, no wait for DML (InnoDB calls it NOCOPY; INPLACE asks for at least that). */
const INPLACE_INDEX_DROP: AlterFact = { algorithm: 'INPLACE', lock: 'NONE', rewrites: false, scans: false }

/**
 * DROP INDEX of a unique index: InnoDB makes the first unique index over NOT NULL columns of a table without a
 * primary key its clustered index, and dropping that one is a copy ("Dropping a primary key is not allowed without
 * also adding a new primary key"). Whether it is that one depends on the moment, so either side counts.
 */
function dropIndexFact(tables: Sides, columns: readonly string[]): AlterFact {
  const clustered = tables.some(
    (t) =>
      t !== undefined &&
      t.primaryKey === undefined &&
      columns.every((name) => t.columns.some((c) => c.name === name && !c.nullable)),
  )
  const noPk = tables.some((t) => t !== undefined && t.primaryKey === undefined)
  return clustered ||
    (noPk &&
      tables.some(
        (t) => t !== undefined && columns.every((name) => t.columns.some((c) => c.name === name && !c.nullable)),
      ))
    ? COPY
    : INPLACE_INDEX_DROP
}

/** ALTER TABLE for changed table options: an engine change copies, a row format rebuilds, a default collation is instant. */
function tableOptions(name: string, from: Table, to: Table, restate = ''): Op {
  const a = from.ext?.mysql ?? {}
  const b = to.ext?.mysql ?? {}
  const clauses: string[] = []
  let fact = INSTANT
  if (a.engine !== b.engine) {
    clauses.push(`ENGINE=${b.engine ?? 'InnoDB'}`)
    fact = COPY
  }
  if (a.rowFormat !== b.rowFormat) {
    clauses.push(`ROW_FORMAT=${b.rowFormat ?? 'DEFAULT'}`)
    if (fact !== COPY) fact = INPLACE_REBUILD
  }
  if (a.collation !== b.collation) {
    // Back to the database's default: MySQL takes DEFAULT for the character set (and so its default collation;
    // a database whose collation is not its character set's default would need that collation named).
    clauses.push(b.collation === undefined ? 'DEFAULT CHARACTER SET=DEFAULT' : `DEFAULT COLLATE=${b.collation}`)
  }
  // Columns restated to take the new default collation are converted: a copy.
  return alter(name, `${clauses.join(' ')}${restate}`, restate === '' ? fact : COPY)
}

/** Comments: a table's is a table option; a column's is restated with the whole column (MODIFY COLUMN, instant). */
function commentStep(c: Extract<Change, { kind: 'setComment' }>, ctx: Context): Draft {
  const target = c.target
  if (target.kind === 'table') {
    const t = target.name.name
    const set = (text: string | undefined) => alter(t, `COMMENT=${quoteLiteral(text ?? '')}`, INSTANT)
    return step(set(c.to), set(c.from), c, `Comment on table ${t}`, t)
  }
  if (target.kind === 'column') {
    const t = target.table.name
    const column = tableIn(ctx.to, t)?.columns.find((col) => col.name === target.column)
    if (column === undefined)
      throw new KeelError(
        'UNSUPPORTED',
        `MySQL restates ${t}.${target.column} to change its comment, which needs the whole schema`,
        'Plan through keel diff, push or generate, which pass both schemas.',
      )
    const withComment = (text: string | undefined): Column => {
      const { comment: _c, ...rest } = column
      return text === undefined ? rest : { ...rest, comment: text }
    }
    const check = checkAfter(ctx, t, column.name)
    return step(
      alter(t, `MODIFY COLUMN ${renderColumn(withComment(c.to), check)}`, INSTANT),
      alter(t, `MODIFY COLUMN ${renderColumn(withComment(c.from), check)}`, INSTANT),
      c,
      `Comment on column ${t}.${target.column}`,
      t,
    )
  }
  throw new KeelError(
    'UNSUPPORTED',
    `MySQL keeps no separate comment on a ${target.kind}; change it with the object`,
    'Comments exist on tables, columns and indexes; an index comment changes by recreating the index.',
  )
}
