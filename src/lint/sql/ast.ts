/**
 * Small readers over libpg_query's parse tree, shared by the lint rules: table keys, ALTER TABLE
 * subcommands, column types and constraints, and a walk over expressions.
 */
import type { AlterTableCmd, ColumnDef, Constraint, Node, RangeVar, TypeName } from './tree.js'

/**
 * The key of a table as rules compare them: `name`, or `schema.name` outside the dialect's default namespace
 * (`defaultNamespace`, from `ctx.traits`: PostgreSQL's `public`, SQLite's `main`), where an unqualified name is
 * taken to be.
 */
export function relationKey(relation: RangeVar | undefined, defaultNamespace: string | undefined): string {
  if (relation === undefined) return ''
  const schema = relation.schemaname
  return schema === undefined || schema === defaultNamespace
    ? (relation.relname ?? '')
    : `${schema}.${relation.relname ?? ''}`
}

/** A key from a list of String nodes (`DROP TABLE a.b`, `DROP INDEX i`), as {@link relationKey} keys a table. */
export function namesKey(names: readonly Node[] | undefined, defaultNamespace: string | undefined): string {
  const parts = (names ?? []).map(stringOf)
  if (parts.length >= 2 && parts[parts.length - 2] === defaultNamespace) return parts[parts.length - 1] ?? ''
  return parts.slice(-2).join('.')
}

/** The text of a String node, or '' for anything else. */
export function stringOf(node: Node | undefined): string {
  return node !== undefined && 'String' in node ? (node.String.sval ?? '') : ''
}

/** The ALTER TABLE statement's table key and subcommands, or undefined for any other statement. */
export function alterTable(
  node: Node,
  defaultNamespace: string | undefined,
):
  | {
      readonly key: string
      readonly relation: RangeVar | undefined
      readonly cmds: readonly AlterTableCmd[]
      readonly objtype: string
    }
  | undefined {
  if (!('AlterTableStmt' in node)) return undefined
  const stmt = node.AlterTableStmt
  const cmds = (stmt.cmds ?? []).flatMap((cmd) => ('AlterTableCmd' in cmd ? [cmd.AlterTableCmd] : []))
  return {
    key: relationKey(stmt.relation, defaultNamespace),
    relation: stmt.relation,
    cmds,
    objtype: stmt.objtype ?? 'OBJECT_TABLE',
  }
}

/** The column definition a subcommand adds (`ADD COLUMN`), or undefined. */
export function columnDefOf(cmd: AlterTableCmd): ColumnDef | undefined {
  return cmd.def !== undefined && 'ColumnDef' in cmd.def ? cmd.def.ColumnDef : undefined
}

/** The constraint a subcommand adds (`ADD CONSTRAINT`), or undefined. */
export function constraintOf(cmd: AlterTableCmd): Constraint | undefined {
  return cmd.def !== undefined && 'Constraint' in cmd.def ? cmd.def.Constraint : undefined
}

/** The constraints written on a column definition. */
export function columnConstraints(column: ColumnDef): readonly Constraint[] {
  return (column.constraints ?? []).flatMap((c) => ('Constraint' in c ? [c.Constraint] : []))
}

/**
 * A column type as the parser read it: its name (`int4`, `varchar`, `timestamp`, `serial`; the parser already maps
 * `integer` to `int4` and folds unquoted names to lower case, while a quoted `"Mood"` keeps its case), the schema it
 * was qualified with if any, and its modifiers (`[10]` for varchar(10)).
 */
export function typeOf(type: TypeName | undefined): ColumnTypeOf {
  if (type === undefined) return readType(type)
  let read = typesRead.get(type)
  if (read === undefined) {
    read = readType(type)
    typesRead.set(type, read)
  }
  return read
}

/** What typeOf read of a column type. */
export interface ColumnTypeOf {
  readonly name: string
  readonly schema: string | undefined
  readonly mods: readonly number[]
  readonly array: boolean
}

/**
 * typeOf's answers by parse tree node: eight rules ask it of every column a migration declares, and read each
 * anew it was 24 ms of linting 200 migrations of three columns each (CPU profile, loaded machine). A tree is not
 * changed once parsed.
 */
const typesRead = new WeakMap<TypeName, ColumnTypeOf>()

function readType(type: TypeName | undefined): ColumnTypeOf {
  const names = (type?.names ?? []).map(stringOf)
  const name = names[names.length - 1] ?? ''
  const schema = names.length >= 2 ? names[names.length - 2] : undefined
  const mods = (type?.typmods ?? []).flatMap((m) =>
    'A_Const' in m && m.A_Const.ival !== undefined ? [m.A_Const.ival.ival ?? 0] : [],
  )
  return { name, schema, mods, array: (type?.arrayBounds?.length ?? 0) > 0 }
}

/**
 * The name of a type when it is one of the server's own (unqualified, or in the namespace of built-in types the
 * parse tree's dialect declares, `ctx.traits.builtinTypes`), else undefined: a user's `app.json` domain is not json,
 * nor is a quoted `"Timestamp"` type timestamp, so the rules that judge built-in types (prefer-jsonb,
 * prefer-timestamptz...) leave them alone.
 */
export function builtinName(type: ColumnTypeOf, builtinTypes: string | undefined): string | undefined {
  return type.schema === undefined || type.schema === builtinTypes ? type.name : undefined
}

type DeclaredColumns = readonly { readonly column: ColumnDef; readonly table: string }[]

/** What declaredColumns read of each statement's node, and under which default namespace. */
const columnsRead = new WeakMap<
  Node,
  { readonly defaultNamespace: string | undefined; readonly columns: DeclaredColumns }
>()

/**
 * The column types of every column a statement declares: CREATE TABLE's columns and ALTER TABLE's added ones. Read
 * once per statement: six rules (prefer-jsonb, prefer-bigint-key, ban-char-field...) ask it of every CREATE TABLE.
 */
export function declaredColumns(node: Node, defaultNamespace: string | undefined): DeclaredColumns {
  const read = columnsRead.get(node)
  if (read !== undefined && read.defaultNamespace === defaultNamespace) return read.columns
  const columns = readDeclaredColumns(node, defaultNamespace)
  columnsRead.set(node, { defaultNamespace, columns })
  return columns
}

function readDeclaredColumns(node: Node, defaultNamespace: string | undefined): DeclaredColumns {
  if ('CreateStmt' in node) {
    const table = relationKey(node.CreateStmt.relation, defaultNamespace)
    return (node.CreateStmt.tableElts ?? []).flatMap((e) => ('ColumnDef' in e ? [{ column: e.ColumnDef, table }] : []))
  }
  const alter = alterTable(node, defaultNamespace)
  if (alter === undefined) return []
  return alter.cmds.flatMap((cmd) => {
    if (cmd.subtype === 'AT_AddColumn') {
      const column = columnDefOf(cmd)
      return column === undefined ? [] : [{ column, table: alter.key }]
    }
    return []
  })
}

/** Calls `visit` on every node object in a tree (depth first), for searches such as "calls a volatile function". */
export function walk(value: unknown, visit: (kind: string, node: Record<string, unknown>) => void): void {
  if (Array.isArray(value)) {
    for (const item of value) walk(item, visit)
    return
  }
  if (value === null || typeof value !== 'object') return
  for (const [key, child] of Object.entries(value)) {
    if (/^[A-Z]/.test(key) && child !== null && typeof child === 'object' && !Array.isArray(child))
      visit(key, child as Record<string, unknown>)
    walk(child, visit)
  }
}

/** Names of the functions an expression calls, lowercase, without schema (`gen_random_uuid`). */
export function calledFunctions(expr: Node | undefined): readonly string[] {
  const names: string[] = []
  walk(expr, (kind, node) => {
    if (kind === 'FuncCall') {
      const parts = ((node.funcname as Node[] | undefined) ?? []).map(stringOf)
      names.push((parts[parts.length - 1] ?? '').toLowerCase())
    }
  })
  return names
}

/** Whether a statement changes rows (INSERT, UPDATE, DELETE, MERGE, COPY FROM). */
export function isDml(node: Node): boolean {
  return (
    'InsertStmt' in node ||
    'UpdateStmt' in node ||
    'DeleteStmt' in node ||
    'MergeStmt' in node ||
    ('CopyStmt' in node && node.CopyStmt.is_from === true)
  )
}

/** The byte offset a node starts at, when the parser recorded one. */
export function locationOf(node: { readonly location?: number } | undefined): number | undefined {
  return node?.location === undefined || node.location < 0 ? undefined : node.location
}

const SQL_NAMES: Readonly<Record<string, string>> = {
  int2: 'smallint',
  int4: 'integer',
  int8: 'bigint',
  float4: 'real',
  float8: 'double precision',
  bool: 'boolean',
  bpchar: 'char',
  timestamptz: 'timestamptz',
}

/**
 * A type as people write it (`bigint`, `varchar(20)`, `"Shop"."Mood"`), from {@link typeOf}: built-in names in SQL's
 * spelling, a user's type with its schema, quoted by the dialect's quoter where needed.
 */
export function displayType(
  type: ReturnType<typeof typeOf>,
  traits: { readonly builtinTypes: string | undefined; readonly quoteIdent: (name: string) => string },
): string {
  const mods = type.mods.length > 0 ? `(${type.mods.join(',')})` : ''
  const builtin = builtinName(type, traits.builtinTypes)
  const name =
    builtin === undefined
      ? [type.schema ?? '', type.name]
          .filter((part) => part !== '')
          .map(traits.quoteIdent)
          .join('.')
      : (SQL_NAMES[builtin] ?? builtin)
  return `${name}${mods}${type.array ? '[]' : ''}`
}
