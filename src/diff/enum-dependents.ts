import type { ReadReferences } from '../plan/phase-sql.js'
import type { Column, ColumnType, Domain, QualifiedName, Routine, Schema, Table, View } from '../schema/model.js'
import { displayName, nameKey, sameName } from '../schema/name.js'
import type { Change, EnumDomain, EnumUsage } from './change.js'
import { indexExpressionsUse, indexUsesColumns } from './diff-indexes.js'
import { routineKey as boundKey, routinesBoundTo } from './diff-routines.js'
import { namesDomain, onlyAddsValues, usesEnum } from './diff-types.js'
import { viewsReading } from './diff-views.js'
import { markPartitioned } from './mark-partitioned.js'
import { mentionsIdentifier } from './rename-identifier.js'
import type { TableHierarchy } from './table-hierarchy.js'

/**
 * An enum that only gains values is changed with ALTER TYPE ... ADD VALUE, which leaves everything that uses it
 * alone. Its reverse cannot: PostgreSQL has no way to remove a value, so the reverse recreates the type and
 * converts its columns, and that needs what the forward recreation needs (see diffTables): checks, index
 * expressions and predicates, generated columns and views that read those columns, and routines that take the
 * type, dropped before and created again after. This gives each such `alterEnum` those objects, as the drops to
 * run (`dependents`); the planner runs them, and their inverses, around the recreation in the reverse.
 *
 * They are the objects as the database holds them when the reverse runs, which is right after ADD VALUE: `from`'s
 * objects, less those the plan drops before (tables, columns, constraints, indexes and views all go before enums
 * are altered; routines that take the type too, see dialect/postgres/expand.ts), under the names renames give them.
 *
 * Any recreation, forward or reverse, also needs out of the way what names the type only in a cast (castReaders):
 * those go in `dependents` too, and the text columns whose default casts to it in `castDefaults`.
 */
export function withEnumDependents(
  changes: readonly Change[],
  from: Schema,
  hierarchy: TableHierarchy,
  references?: ReadReferences,
): readonly Change[] {
  const gone = droppedKeys(changes)
  const renamed = renamedKeys(changes)
  const remade = new Set(
    changes.flatMap((c) => (c.kind === 'createRoutine' ? [routineKey(c.routine)] : [])).filter((key) => gone.has(key)),
  )
  const at: Survivors = {
    kept: (kind, table, name) => !gone.has(memberKey(kind, table, name)),
    name: (kind, table, name) => renamed.get(memberKey(kind, table, name)) ?? name,
  }
  return changes.map((change) => {
    if (change.kind !== 'alterEnum') return change
    const additive = onlyAddsValues(change.from, change.to)
    // With those the diff drops and creates again for this very recreation (diffRoutines), not those it drops for good.
    const bound = routinesBoundTo(
      (from.routines ?? []).filter((routine) => !gone.has(routineKey(routine)) || remade.has(routineKey(routine))),
      new Set([nameKey(change.from.name)]),
    )
    const rebuilt = (from.routines ?? []).filter((routine) => bound.has(routineKeyOf(routine)))
    const casts =
      references === undefined ? noCastReaders : castReaders(from, change.from.name, rebuilt, at, gone, references)
    // The domains over the type: those it makes again with it, either way (an ADD VALUE's reverse recreates it too).
    const under = domainsOver(changes, from, change.from.name, gone)
    // A recreation the diff plans itself already drops and creates again what reads its columns and its domains'
    // (diffTables, diffViews, diffSecurity, diffRoutineObjects); what names the type only in a cast is left to it
    // here, in both directions.
    const columnReaders = additive ? enumDependents(from, change.from.name, under.domains, rebuilt, at, gone) : []
    const drops = markPartitioned(distinct([...columnReaders, ...casts.drops]), from, from, hierarchy)
    const recompiled = recompiledRoutines(changes, from, change.from.name, bound)
    // Only where the plan itself recreates the type (an ADD VALUE's reverse fails on the server, in its transaction).
    const blockers = [...(additive ? [] : under.blockers), ...casts.blockers]
    const fixes = [...(additive ? [] : under.fixes), ...casts.fixes]
    if (
      drops.length === 0 &&
      casts.defaults.length === 0 &&
      (blockers.length === 0 || additive) &&
      under.domains.length === 0 &&
      recompiled.length === 0
    )
      return change
    return {
      ...change,
      ...(drops.length === 0 ? {} : { dependents: drops }),
      ...(casts.defaults.length === 0 ? {} : { castDefaults: casts.defaults }),
      // Only where the plan itself recreates the type; an ADD VALUE's reverse fails on the server instead, in its transaction.
      ...(blockers.length === 0 || additive ? {} : { blockers, fixes }),
      ...(recompiled.length === 0 ? {} : { recompiled }),
      ...(under.domains.length === 0 ? {} : { domains: under.domains }),
    }
  })
}

/**
 * Whether an enum of both schemas changes its values: then the diff needs the dialect's reader of expressions
 * (`DiffOptions.references`) to find what names the type in a cast, and a command loads it first.
 */
export function enumsChangeValues(from: Schema, to: Schema): boolean {
  const after = new Map(to.enums.map((e) => [nameKey(e.name), e.values] as const))
  return from.enums.some((e) => {
    const values = after.get(nameKey(e.name))
    return values !== undefined && values.join('\u0000') !== e.values.join('\u0000')
  })
}

const tableKey = (table: QualifiedName) => `t:${nameKey(table)}`
const memberKey = (kind: string, table: QualifiedName, name: string) => `${kind}:${nameKey(table)}\u0001${name}`

/** Keys of the objects the changes drop (a drop and an add included: the object is gone when the enum changes). */
function droppedKeys(changes: readonly Change[]): ReadonlySet<string> {
  const keys = new Set<string>()
  for (const change of changes) {
    if (change.kind === 'dropTable') keys.add(tableKey(change.table.name))
    if (change.kind === 'dropColumn') keys.add(memberKey('column', change.table, change.column.name))
    if (change.kind === 'dropCheck') keys.add(memberKey('constraint', change.table, change.check.name))
    if (change.kind === 'dropUnique') keys.add(memberKey('constraint', change.table, change.unique.name))
    if (change.kind === 'dropForeignKey') keys.add(memberKey('constraint', change.table, change.foreignKey.name))
    if (change.kind === 'dropIndex') keys.add(memberKey('index', change.table, change.index.name))
    if (change.kind === 'dropView') keys.add(tableKey(change.view.name))
    if (change.kind === 'dropRoutine') keys.add(routineKey(change.routine))
    if (change.kind === 'dropPolicy') keys.add(memberKey('policy', change.table, change.policy.name))
    if (change.kind === 'dropTrigger') keys.add(memberKey('trigger', change.trigger.table, change.trigger.name))
  }
  return keys
}

/** New names of renamed constraints and indexes, by the key of their old name (renames run before enums change). */
function renamedKeys(changes: readonly Change[]): ReadonlyMap<string, string> {
  const names = new Map<string, string>()
  for (const change of changes) {
    if (change.kind === 'renameIndex') names.set(memberKey('index', change.table, change.from), change.to)
    if (change.kind === 'renameConstraint') names.set(memberKey('constraint', change.table, change.from), change.to)
  }
  return names
}

const routineKey = (routine: Routine) => `r:${nameKey(routine.name)}(${routine.identityArgs})`
const routineKeyOf = (routine: Routine) => boundKey(routine.name, routine.identityArgs)

/**
 * The routines PostgreSQL does not record as using the type but that name it in a body it compiles and keeps per
 * session (PL/pgSQL: a variable `v mood` holds the type's oid): a session that ran one before the recreation fails
 * after it ("cache lookup failed for type") until the routine changes. CREATE OR REPLACE with the same definition,
 * after the old type is dropped, makes every session compile it again. Those the plan drops, creates or alters
 * anyway, and those bound to the type (dropped and created around it), are left out, and so are routines in other
 * languages (an SQL function with a column named like the type would be replaced for nothing, and CREATE OR REPLACE
 * needs its owner's rights). The name is looked for as a word in the PL/pgSQL definition: one that names it otherwise
 * is compiled again for nothing, which changes nothing.
 */
/** The LANGUAGE line pg_get_functiondef prints for a PL/pgSQL routine (other languages keep no compiled types). */
const PLPGSQL = /^\s*LANGUAGE\s+"?plpgsql"?\s*$/im

function recompiledRoutines(
  changes: readonly Change[],
  from: Schema,
  type: QualifiedName,
  bound: ReadonlySet<string>,
): readonly Routine[] {
  const touched = new Set<string>()
  for (const change of changes) {
    if (change.kind === 'dropRoutine' || change.kind === 'createRoutine') touched.add(routineKeyOf(change.routine))
    if (change.kind === 'alterRoutine') touched.add(routineKeyOf(change.from))
  }
  const word = new RegExp(`(^|[^\\p{L}\\p{N}_$])${escapeRegExp(type.name)}($|[^\\p{L}\\p{N}_$])`, 'iu')
  return (from.routines ?? []).filter(
    (routine) =>
      routine.kind !== 'aggregate' &&
      PLPGSQL.test(routine.definition) &&
      !bound.has(routineKeyOf(routine)) &&
      !touched.has(routineKeyOf(routine)) &&
      word.test(routine.definition),
  )
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/**
 * The domains over `type` (directly, over an array of it, or over another such domain). PostgreSQL records that a
 * domain depends on its base type, so DROP TYPE of the old enum fails (2BP01) while one exists. A domain directly over
 * the type is recreated with it (`domains`), what reads its columns moved out of the way around it as for the type's
 * own columns (see whyNotRecreated for what cannot be): its columns go to text, it is dropped,
 * created again over the new type (default, NOT NULL, checks as they were) and its columns converted back, all in the
 * plan's transaction. Any other is described in `blockers` with its columns, and planning is refused rather than
 * failing on the server half-way (a plan piped to psql without a transaction stops there).
 */
function domainsOver(
  changes: readonly Change[],
  from: Schema,
  type: QualifiedName,
  gone: ReadonlySet<string>,
): {
  readonly domains: readonly EnumDomain[]
  readonly blockers: readonly string[]
  readonly fixes: readonly string[]
} {
  const over: Domain[] = []
  const isOver = (t: ColumnType): boolean => usesEnum(t, type) || over.some((domain) => namesDomain(t, domain.name))
  // A domain over a domain over the enum: grown until nothing is added (the list of domains is short).
  for (let grew = true; grew; ) {
    grew = false
    for (const domain of from.domains ?? []) {
      if (over.includes(domain) || !isOver(domain.type)) continue
      over.push(domain)
      grew = true
    }
  }
  const domains: EnumDomain[] = []
  const blockers: string[] = []
  const fixes: string[] = []
  for (const domain of over) {
    const columns = from.tables
      .filter((table) => !gone.has(tableKey(table.name)))
      .flatMap((table) =>
        table.columns
          .filter((c) => columnKept(table.name, c.name, gone) && namesDomain(c.type, domain.name))
          .map((column): EnumUsage => ({ table: table.name, column })),
      )
    const why = whyNotRecreated(domain, columns, changes, from, type, over)
    if (why === undefined) {
      domains.push({ domain, columns })
      continue
    }
    const listed = columns.map((u) => `${displayName(u.table)}.${u.column.name}`)
    const used = listed.length === 0 ? 'used by no column' : `used by column ${listed.join(', ')}`
    blockers.push(
      `domain ${displayName(domain.name)} is over it (${used}) and ${why}; convert those columns to the enum or to text and drop the domain in a migration of its own first, and create it again after`,
    )
    const [convert, back] =
      listed.length === 0
        ? ['', '']
        : [`convert column ${listed.join(', ')} to the enum or to text and `, ' and convert back']
    fixes.push(
      `${convert}drop domain ${displayName(domain.name)} in a migration of its own first, then create it again${back} in one after the enum changes`,
    )
  }
  return { domains, blockers, fixes }
}

/**
 * Why a domain over the type cannot be recreated with it, or undefined when it can: it is directly over the type, no
 * other domain is over it, no routine names it, and the plan leaves it and its columns alone.
 */
function whyNotRecreated(
  domain: Domain,
  columns: readonly EnumUsage[],
  changes: readonly Change[],
  from: Schema,
  type: QualifiedName,
  over: readonly Domain[],
): string | undefined {
  if (domain.type.kind !== 'enum' || !sameName(domain.type.enum, type)) return 'is not directly over it'
  const nested = over.find((d) => namesDomain(d.type, domain.name))
  if (nested !== undefined) return `domain ${displayName(nested.name)} is over it in turn`
  const touched = changes.some(
    (c) =>
      ((c.kind === 'createDomain' || c.kind === 'dropDomain') && sameName(c.domain.name, domain.name)) ||
      (c.kind === 'alterDomain' && sameName(c.from.name, domain.name)),
  )
  if (touched) return 'the plan changes it too'
  const routine = (from.routines ?? []).find((r) =>
    r.dependsOn.some((ref) => ref.kind === 'type' && sameName(ref.name, domain.name)),
  )
  if (routine !== undefined) return `routine ${displayName(routine.name)} names it`
  // What reads its columns (checks, indexes, generated columns, policies, triggers, foreign keys, views) is dropped
  // before and created again after, as for the enum's own columns: diffTables, diffSecurity, diffTriggers, diffViews
  // (their columns are in diffEnums' taint), and enumDependents for the reverse of an ADD VALUE.
  for (const { table: t, column } of columns) {
    const where = `${displayName(t)}.${column.name}`
    if (column.generated !== undefined) return `${where} is a generated column`
    const changed = changes.some(
      (c) =>
        (c.kind === 'alterColumn' && sameName(c.table, t) && c.from.name === column.name) ||
        (c.kind === 'renameColumn' && sameName(c.table, t) && c.from === column.name),
    )
    if (changed) return `the plan changes ${where} too`
  }
  return undefined
}

const columnKept = (table: QualifiedName, column: string, gone: ReadonlySet<string>) =>
  !gone.has(memberKey('column', table, column))

/** What the database holds right after ADD VALUE: whether an object is still there, and under which name. */
interface Survivors {
  readonly kept: (kind: 'column' | 'constraint' | 'index', table: QualifiedName, name: string) => boolean
  readonly name: (kind: 'constraint' | 'index', table: QualifiedName, name: string) => string
}

function enumDependents(
  from: Schema,
  type: QualifiedName,
  domains: readonly EnumDomain[],
  rebuilt: readonly Routine[],
  at: Survivors,
  gone: ReadonlySet<string>,
): readonly Change[] {
  // The columns of a domain made again with the type are converted too (through text): read alike.
  const converts = (c: Column) => usesEnum(c.type, type) || domains.some((d) => namesDomain(c.type, d.domain.name))
  const drops: Change[] = []
  // Per table, the columns a view must not read while the type is recreated: the converted ones, and the
  // generated columns dropped and added again around the conversion.
  const tainted = new Map<string, ReadonlySet<string>>()
  for (const table of from.tables) {
    if (gone.has(tableKey(table.name))) continue
    const kept = (column: Column) => at.kept('column', table.name, column.name)
    const converted = new Set(table.columns.filter((c) => kept(c) && converts(c)).map((c) => c.name))
    if (converted.size === 0) continue
    const generated = table.columns.filter(
      (c) =>
        kept(c) &&
        c.generated !== undefined &&
        [...converted].some((name) => name !== c.name && mentionsIdentifier(c.generated?.expr ?? '', name)),
    )
    drops.push(...tableDependents(table, converted, new Set(generated.map((c) => c.name)), at))
    // A trigger that names a converted column (UPDATE OF, WHEN): PostgreSQL refuses to retype the column (0A000).
    drops.push(
      ...(from.triggers ?? [])
        .filter((tr) => sameName(tr.table, table.name) && !gone.has(memberKey('trigger', tr.table, tr.name)))
        .filter((tr) => tr.columns.some((column) => converted.has(column)))
        .map((trigger): Change => ({ kind: 'dropTrigger', trigger })),
    )
    // A policy that reads a converted column: PostgreSQL refuses to retype the column while it exists.
    const reads = (expr: string | undefined) =>
      expr !== undefined && [...converted].some((column) => mentionsIdentifier(expr, column))
    drops.push(
      ...(table.policies ?? [])
        .filter((p) => !gone.has(memberKey('policy', table.name, p.name)) && (reads(p.using) || reads(p.withCheck)))
        .map((policy): Change => ({ kind: 'dropPolicy', table: table.name, policy })),
    )
    drops.push(...generated.map((column): Change => ({ kind: 'dropColumn', table: table.name, column })))
    tainted.set(nameKey(table.name), new Set([...converted, ...generated.map((c) => c.name)]))
  }
  const views = viewsReading(
    from.views.filter((view) => !gone.has(tableKey(view.name))),
    tainted,
  )
  drops.push(...views.map((view): Change => ({ kind: 'dropView', view: withIndexesAt(view, at) })))
  drops.push(...rebuilt.map((routine): Change => ({ kind: 'dropRoutine', routine })))
  return drops
}

/** A materialized view with the indexes it has when the enum changes (the plan drops, renames, creates others). */
function withIndexesAt(view: View, at: Survivors): View {
  const indexes = view.indexes
    .filter((index) => at.kept('index', view.name, index.name))
    .map((index) => ({ ...index, name: at.name('index', view.name, index.name) }))
  return { ...view, indexes }
}

/**
 * The checks and indexes of a table that read a converted column in an expression or predicate (PostgreSQL
 * re-parses them against the renamed type), and the checks, indexes and unique constraints over a generated
 * column that is dropped and added again (they go with it).
 */
function tableDependents(
  table: Table,
  converted: ReadonlySet<string>,
  generated: ReadonlySet<string>,
  at: Survivors,
): readonly Change[] {
  const t = table.name
  const reads = (expr: string, columns: ReadonlySet<string>) =>
    [...columns].some((column) => mentionsIdentifier(expr, column))
  // The table's constraints that survive to here and `uses` takes, under the names they have here.
  const constraints = <C extends { readonly name: string }>(all: readonly C[], uses: (constraint: C) => boolean) =>
    all
      .filter((c) => at.kept('constraint', t, c.name) && uses(c))
      .map((c) => ({ ...c, name: at.name('constraint', t, c.name) }))
  const checks = constraints(table.checks, (c) => reads(c.expr, converted) || reads(c.expr, generated)).map(
    (check): Change => ({ kind: 'dropCheck', table: t, check }),
  )
  const uniques = constraints(table.uniques, (u) => u.columns.some((column) => generated.has(column))).map(
    (unique): Change => ({ kind: 'dropUnique', table: t, unique }),
  )
  // A foreign key over a converted column: its other side is converted too, and until both are their types differ.
  const foreignKeys = constraints(table.foreignKeys, (fk) => fk.columns.some((column) => converted.has(column))).map(
    (foreignKey): Change => ({ kind: 'dropForeignKey', table: t, foreignKey }),
  )
  const indexes = table.indexes
    .filter((index) => at.kept('index', t, index.name))
    .filter((index) => indexExpressionsUse(index, converted) || indexUsesColumns(index, generated))
    .map(
      (index): Change => ({ kind: 'dropIndex', table: t, index: { ...index, name: at.name('index', t, index.name) } }),
    )
  return [...foreignKeys, ...checks, ...uniques, ...indexes]
}

/** What names a recreated enum's type only in a cast, which PostgreSQL keeps depending on the old type. */
interface CastReaders {
  /**
   * Drops of the views (and the views over them), checks, indexes and generated columns (with what reads those);
   * their inverses create them again.
   */
  readonly drops: readonly Change[]
  /** Columns of other types whose default casts to the type: dropped and set again around the recreation. */
  readonly defaults: readonly EnumUsage[]
  /** What Keel cannot move out of the way (the recreation is refused, naming them). */
  readonly blockers: readonly string[]
  /** What the user does about each blocker, in their order. */
  readonly fixes: readonly string[]
}

const noCastReaders: CastReaders = { drops: [], defaults: [], blockers: [], fixes: [] }

/**
 * The objects of `from` (those still there when the enum changes) that name `type` in a cast: a view's
 * `CAST(m AS "Shop"."Mood")` over a text column, a check, an index expression or predicate, a stored generated
 * column's expression (`m = 'x'::mood`), a row-level security policy's expressions, a trigger's WHEN, a text
 * column's default `('happy'::"Shop"."Mood")::text`. PostgreSQL records that they depend on the type, so DROP TYPE
 * of the old one fails (2BP01) while they exist; they are found by the dialect's parser (`references`), in any
 * spelling, not by a text pattern, and only in texts that mention the type's name at all. Columns of the type
 * itself are not here: their defaults are the usages' (steps-enum.ts).
 *
 * The same goes for what calls a routine bound to the type (`rebuilt`: dropped and created again around the
 * recreation, see routinesBoundTo), which DROP FUNCTION refuses to leave behind; a column default that calls one
 * cannot be moved in the right order (it is set again with the type's steps, before the routine is back), so it
 * blocks the recreation instead. A generated column is dropped and added again: it is computed, nothing is lost.
 */
function castReaders(
  from: Schema,
  type: QualifiedName,
  rebuilt: readonly Routine[],
  at: Survivors,
  gone: ReadonlySet<string>,
  references: ReadReferences,
): CastReaders {
  const mentioned = [type.name, ...rebuilt.map((r) => r.name.name)].map((n) => n.toLowerCase())
  const read = (sql: string, as: 'expression' | 'query' = 'expression') => {
    const lower = sql.toLowerCase()
    if (!mentioned.some((n) => lower.includes(n))) return { type: false, call: undefined }
    const refs = references(sql, as)
    const call = refs.calls.find((c) => rebuilt.some((r) => denotes(c, r.name)))
    return { type: refs.types.some((t) => denotes(t.name, type)), call }
  }
  const names = (sql: string, as: 'expression' | 'query' = 'expression') => {
    const found = read(sql, as)
    return found.type || found.call !== undefined
  }
  const drops: Change[] = []
  const defaults: EnumUsage[] = []
  const blockers: string[] = []
  const fixes: string[] = []
  const tainted = new Map<string, ReadonlySet<string>>()
  for (const table of from.tables) {
    const t = table.name
    if (gone.has(tableKey(t))) continue
    const kept = (column: Column) => at.kept('column', t, column.name) && !usesEnum(column.type, type)
    const generated = table.columns.filter((c) => kept(c) && c.generated !== undefined && names(c.generated.expr))
    const regenerated = new Set(generated.map((c) => c.name))
    for (const check of table.checks) {
      if (!at.kept('constraint', t, check.name) || !names(check.expr)) continue
      drops.push({ kind: 'dropCheck', table: t, check: { ...check, name: at.name('constraint', t, check.name) } })
    }
    for (const index of table.indexes) {
      if (!at.kept('index', t, index.name)) continue
      if (![...index.parts.map((p) => p.expr ?? ''), index.where ?? ''].some((e) => names(e))) continue
      drops.push({ kind: 'dropIndex', table: t, index: { ...index, name: at.name('index', t, index.name) } })
    }
    // A policy's USING and WITH CHECK: dropped first and created last by their categories, in the same transaction.
    for (const policy of table.policies ?? []) {
      if (gone.has(memberKey('policy', t, policy.name))) continue
      if (![policy.using ?? '', policy.withCheck ?? ''].some((e) => e !== '' && names(e))) continue
      drops.push({ kind: 'dropPolicy', table: t, policy })
    }
    if (regenerated.size > 0) {
      // What reads a generated column goes with it (and comes back after it).
      drops.push(...tableDependents(table, new Set(), regenerated, at))
      drops.push(...generated.map((column): Change => ({ kind: 'dropColumn', table: t, column })))
      tainted.set(nameKey(t), regenerated)
    }
    for (const column of table.columns) {
      if (!kept(column) || column.generated !== undefined || column.default === undefined) continue
      const found = read(column.default.sql)
      if (found.call !== undefined) {
        blockers.push(
          `the default of column ${displayName(t)}.${column.name} calls ${displayName(found.call)}, which is dropped and created again around the recreation`,
        )
        fixes.push(
          `drop the default of column ${displayName(t)}.${column.name} in a migration of its own first, then set it again in one after the enum changes`,
        )
      } else if (found.type) defaults.push({ table: t, column })
    }
  }
  // A trigger's WHEN condition (the parser reads the whole CREATE TRIGGER): dropped first, created last.
  for (const trigger of from.triggers ?? []) {
    if (gone.has(tableKey(trigger.table)) || gone.has(memberKey('trigger', trigger.table, trigger.name))) continue
    if (names(trigger.definition, 'query')) drops.push({ kind: 'dropTrigger', trigger })
  }
  const views = from.views.filter((view) => !gone.has(tableKey(view.name)))
  const reading = new Set(views.filter((view) => names(view.definition, 'query')).map((view) => nameKey(view.name)))
  for (const view of viewsReading(views, tainted)) reading.add(nameKey(view.name))
  // The views over those go too: DROP VIEW refuses while another view reads it.
  for (let grew = reading.size > 0; grew; ) {
    grew = false
    for (const view of views) {
      if (reading.has(nameKey(view.name)) || !view.dependsOn.some((d) => reading.has(nameKey(d)))) continue
      reading.add(nameKey(view.name))
      grew = true
    }
  }
  drops.push(
    ...views
      .filter((view) => reading.has(nameKey(view.name)))
      .map((view): Change => ({ kind: 'dropView', view: withIndexesAt(view, at) })),
  )
  return { drops, defaults, blockers, fixes }
}

/**
 * Whether a type name as an expression writes it denotes `type`: the same name in the same schema, or unqualified
 * for a type of the default schema (the server prints a type's schema when it is not on the search path).
 */
function denotes(written: QualifiedName, type: QualifiedName): boolean {
  return written.name === type.name && (written.schema ?? 'public') === (type.schema ?? 'public')
}

/** `drops` without repeats (a check may both read a converted column and cast to the type). */
function distinct(drops: readonly Change[]): readonly Change[] {
  const seen = new Set<string>()
  return drops.filter((drop) => {
    const key = dropKey(drop)
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

function dropKey(drop: Change): string {
  if (drop.kind === 'dropCheck') return memberKey('constraint', drop.table, drop.check.name)
  if (drop.kind === 'dropUnique') return memberKey('constraint', drop.table, drop.unique.name)
  if (drop.kind === 'dropForeignKey') return memberKey('constraint', drop.table, drop.foreignKey.name)
  if (drop.kind === 'dropIndex') return memberKey('index', drop.table, drop.index.name)
  if (drop.kind === 'dropColumn') return memberKey('column', drop.table, drop.column.name)
  if (drop.kind === 'dropView') return tableKey(drop.view.name)
  if (drop.kind === 'dropRoutine') return routineKey(drop.routine)
  if (drop.kind === 'dropPolicy') return memberKey('policy', drop.table, drop.policy.name)
  if (drop.kind === 'dropTrigger') return memberKey('trigger', drop.trigger.table, drop.trigger.name)
  return JSON.stringify(drop)
}
