import type { Column, ColumnType, EnumType, QualifiedName, Schema, Table } from '../schema/model.js'
import { nameKey } from '../schema/name.js'
import type { ReadReferences } from './phase-sql.js'

/**
 * How the dialect reads and spells type names in expression texts: its parser's references (where the casts are) and
 * its one identifier quoter (a replaced name is quoted where the dialect needs it: a keyword such as `order` too).
 */
export interface TypeTexts {
  readonly references: ReadReferences
  readonly quoteIdent: (name: string) => string
}

/**
 * An enum that loses or reorders values, recreated through a swap (plan/phases.ts): the expand creates the desired
 * type beside it as `temp`, and each column that uses it gets a column of `temp` beside it, kept in step by the
 * sync trigger and backfilled; the contract swaps the columns in, then drops the old type and gives `temp` its
 * name. No statement converts a table's rows under ACCESS EXCLUSIVE.
 */
export interface EnumSwap {
  readonly name: QualifiedName
  readonly temp: QualifiedName
  /** The desired type (under its own name). */
  readonly to: EnumType
}

/** The enums of both schemas that `to` changes other than by adding values (ALTER TYPE ... ADD VALUE cannot). */
export function recreatedEnums(from: Schema, to: Schema, tempName: (name: string) => string): Map<string, EnumSwap> {
  const prior = new Map(from.enums.map((e) => [nameKey(e.name), e]))
  const swaps = new Map<string, EnumSwap>()
  for (const e of to.enums) {
    const before = prior.get(nameKey(e.name))
    if (before === undefined || onlyAdds(before.values, e.values)) continue
    swaps.set(nameKey(e.name), { name: e.name, temp: { ...e.name, name: tempName(e.name.name) }, to: e })
  }
  return swaps
}

/** Whether `after` keeps every value of `before` in the same order (ALTER TYPE ... ADD VALUE reaches it). */
export function onlyAdds(before: readonly string[], after: readonly string[]): boolean {
  const kept = after.filter((v) => before.includes(v))
  return kept.length === before.length && kept.every((v, i) => v === before[i])
}

/** `type` with each enum of `swaps` replaced by its `temp` (an array's element too). */
export function retarget(type: ColumnType, swaps: ReadonlyMap<string, EnumSwap>): ColumnType {
  if (type.kind === 'array') {
    const element = retarget(type.element, swaps)
    return element === type.element ? type : { kind: 'array', element }
  }
  if (type.kind !== 'enum') return type
  const swap = swaps.get(nameKey(type.enum))
  return swap === undefined ? type : { kind: 'enum', enum: swap.temp }
}

/** `type` with each `temp` of `swaps` given its enum's name back (the contract's rename). */
export function restore(type: ColumnType, swaps: readonly EnumSwap[]): ColumnType {
  if (type.kind === 'array') {
    const element = restore(type.element, swaps)
    return element === type.element ? type : { kind: 'array', element }
  }
  if (type.kind !== 'enum') return type
  const swap = swaps.find((s) => nameKey(s.temp) === nameKey(type.enum))
  return swap === undefined ? type : { kind: 'enum', enum: swap.name }
}

/** The key of the enum `type` uses (itself or as an array's element), if any. */
export function enumOf(type: ColumnType): string | undefined {
  if (type.kind === 'array') return enumOf(type.element)
  return type.kind === 'enum' ? nameKey(type.enum) : undefined
}

/**
 * `sql` with each reference to a swapped enum (`::mood`, `CAST(x AS "Shop"."Mood")`, `::public.mood[]`: any spelling,
 * as the dialect's parser finds it) made a reference to its twin: the expressions of the objects the expand creates
 * over the twin's columns (a default `'p'::mood`, a check, an index predicate, a view). The server stores the type, not
 * its name, so once the twin takes the name they print as desired. `as`: an expression or a view's query.
 */
export function retargetText(
  sql: string,
  swaps: ReadonlyMap<string, EnumSwap>,
  texts: TypeTexts,
  as: 'expression' | 'query' = 'expression',
): string {
  const all = [...swaps.values()]
  return renameTypes(
    sql,
    as,
    texts,
    all.map((s) => s.name.name),
    (name) => {
      const swap = all.find((s) => denotes(name, s.name))
      return swap?.temp.name
    },
  )
}

/**
 * A table the expand creates, with its enum columns (and the expressions over them) on the swapped enums' twins; a
 * text that calls a routine taking a swapped enum (`callsSwapped`: a default) stays on the old type, which the routine
 * takes until the contract; its columns as retargetColumn makes them (such a default on a twin cast to it).
 */
export function retargetTable(
  table: Table,
  swaps: ReadonlyMap<string, EnumSwap>,
  texts: TypeTexts,
  callsSwapped: (text: string) => boolean = () => false,
): Table {
  if (swaps.size === 0 || !table.columns.some((c) => enumOf(c.type) !== undefined && swaps.has(enumOf(c.type) ?? '')))
    return table
  const mapped = mapTexts({ ...table, columns: [] }, (sql) =>
    callsSwapped(sql) ? sql : retargetText(sql, swaps, texts),
  )
  return { ...mapped, columns: table.columns.map((c) => retargetColumn(c, swaps, texts, callsSwapped)) }
}

/** `sql` with each reference to a twin given its enum's name back (the contract's rename): retargetText undone exactly. */
export function restoreText(
  sql: string,
  swaps: readonly EnumSwap[],
  texts: TypeTexts,
  as: 'expression' | 'query' = 'expression',
): string {
  return renameTypes(
    sql,
    as,
    texts,
    swaps.map((s) => s.temp.name),
    (name) => {
      const swap = swaps.find((s) => denotes(name, s.temp))
      return swap?.name.name
    },
  )
}

/** Whether `sql` names the old type of one of `swaps` (a cast, in any spelling the dialect's parser reads). */
export function namesSwapped(sql: string, swaps: readonly EnumSwap[], texts: TypeTexts): boolean {
  const lower = sql.toLowerCase()
  return (
    swaps.some((s) => lower.includes(s.name.name.toLowerCase())) &&
    texts.references(sql, 'expression').types.some((t) => swaps.some((s) => denotes(t.name, s.name)))
  )
}

/**
 * Whether a name as an expression writes it denotes `type` (an enum, a routine): the same name in the same schema, or unqualified
 * for a type of the default schema (the server prints a type's schema when it is not on the search path).
 */
export function denotes(written: QualifiedName, type: QualifiedName): boolean {
  if (written.name !== type.name) return false
  const schema = type.schema ?? 'public'
  return (written.schema ?? 'public') === schema
}

/**
 * `sql` with the last part of each type name that `to` maps replaced, the rest of the spelling kept as written (its
 * schema, `[]`, `CAST(... AS ...)`), so that renaming back gives the text back. A text that cannot hold one of
 * `names` (compared without case or quotes) is not parsed at all.
 */
function renameTypes(
  sql: string,
  as: 'expression' | 'query',
  texts: TypeTexts,
  names: readonly string[],
  to: (name: QualifiedName) => string | undefined,
): string {
  const lower = sql.toLowerCase()
  if (!names.some((n) => lower.includes(n.toLowerCase()))) return sql
  const spans = texts
    .references(sql, as)
    .types.flatMap((t) => {
      const name = to(t.name)
      return name === undefined ? [] : [{ ...t, to: name }]
    })
    .sort((a, b) => a.start - b.start)
  let out = ''
  let last = 0
  for (const span of spans) {
    // Quoted as written, or where the dialect's quoter says a bare name would not read back as this one.
    const quoted = sql[span.start] === '"' ? `"${span.to.replaceAll('"', '""')}"` : texts.quoteIdent(span.to)
    out += sql.slice(last, span.start) + quoted
    last = span.end
  }
  return out + sql.slice(last)
}

/** `table` with `fn` applied to every expression text it holds (defaults, generation, checks, index parts and predicates). */
export function mapTexts(table: Table, fn: (sql: string) => string): Table {
  return {
    ...table,
    columns: table.columns.map((c) => ({
      ...c,
      ...(c.default === undefined ? {} : { default: { ...c.default, sql: fn(c.default.sql) } }),
      ...(c.generated === undefined ? {} : { generated: { ...c.generated, expr: fn(c.generated.expr) } }),
    })),
    checks: table.checks.map((c) => ({ ...c, expr: fn(c.expr) })),
    indexes: table.indexes.map((i) => ({
      ...i,
      parts: i.parts.map((p) => (p.expr === undefined ? p : { ...p, expr: fn(p.expr) })),
      ...(i.where === undefined ? {} : { where: fn(i.where) }),
    })),
  }
}

/**
 * A new column as the expand adds it while enums are swapped: on a swapped enum's twin, and its default and generation
 * cast to the twins, whatever its own type. A generated column that compares a new column on the twin with the enum
 * (`m = 'b'::mood`, a boolean) failed on the old type (operator does not exist: mood_keel_new = mood), and one that only
 * casts to the enum would hold the old type until its DROP TYPE. The twin's rename gives them the enum's name.
 * A default that calls a routine taking a swapped enum (`callsSwapped`) stays on the old type: the routine takes it
 * until the contract makes it again (`is_mood('b'::mood_keel_new)` failed: function does not exist); the contract
 * takes the default away before the swap and sets it again after (withoutTypeReaders). On a column of a twin, such a
 * default, of the old type, is cast to the twin through text (throughText).
 */
export function retargetColumn(
  column: Column,
  swaps: ReadonlyMap<string, EnumSwap>,
  texts: TypeTexts,
  callsSwapped: (text: string) => boolean = () => false,
): Column {
  if (swaps.size === 0) return column
  const type = retarget(column.type, swaps)
  const text = (sql: string) => (callsSwapped(sql) ? sql : retargetText(sql, swaps, texts))
  const dflt =
    column.default === undefined
      ? undefined
      : type !== column.type && callsSwapped(column.default.sql)
        ? throughText(column.default.sql, type, texts)
        : text(column.default.sql)
  const expr = column.generated === undefined ? undefined : text(column.generated.expr)
  if (type === column.type && dflt === column.default?.sql && expr === column.generated?.expr) return column
  return {
    ...column,
    type,
    ...(column.default === undefined || dflt === undefined ? {} : { default: { ...column.default, sql: dflt } }),
    ...(column.generated === undefined || expr === undefined ? {} : { generated: { ...column.generated, expr } }),
  }
}

/**
 * `sql`, a value of a swapped enum's old type (or an array of it) for a column of its twin `type`, cast to the twin
 * through text, as the backfill casts (PostgreSQL has no cast between two enums): `(pick('b'::mood))::text::mood_keel_new`.
 * Left as it was, the server refused it (42804: column is of type mood_keel_new but expression is of type mood). Its
 * value is the desired one, and a value the new type lacks fails as it would after the contract. A default: the
 * contract takes it away before the swap (it names the old type) and sets the desired one after. A backfill hint
 * (expand-table.ts): the trigger and the backfill that fill the column.
 */
export function throughText(sql: string, type: ColumnType, texts: TypeTexts): string {
  const spelled = (t: ColumnType): string => {
    if (t.kind === 'array') return `${spelled(t.element)}[]`
    if (t.kind !== 'enum') return ''
    const name = texts.quoteIdent(t.enum.name)
    return t.enum.schema === undefined ? name : `${texts.quoteIdent(t.enum.schema)}.${name}`
  }
  return `(${sql})::text::${spelled(type)}`
}
