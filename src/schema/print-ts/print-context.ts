import type { QualifiedName, Schema } from '../model.js'
import { DefaultNames } from './default-names.js'
import { type ExportKind, ExportNames } from './export-names.js'
import { member, sqlTemplate } from './ts-text.js'

/** Every name a schema module may import from the DSL; none of them may name an export. */
export const dslImports: readonly string[] = [
  'AnyColumn',
  'IndexPart',
  'TableExtras',
  'bigint',
  'bigserial',
  'boolean',
  'bytea',
  'char',
  'check',
  'collation',
  'date',
  'domain',
  'doublePrecision',
  'enumType',
  'extension',
  'foreignKey',
  'index',
  'integer',
  'interval',
  'json',
  'jsonb',
  'namespace',
  'native',
  'numeric',
  'primaryKey',
  'real',
  'routine',
  'rule',
  'sequence',
  'serial',
  'smallint',
  'smallserial',
  'sql',
  'table',
  'text',
  'time',
  'timestamp',
  'timestamptz',
  'trigger',
  'unique',
  'uniqueIndex',
  'uuid',
  'varchar',
  'view',
]

/** The parameter of a table's extras callback: `(t) => [...]`. Reserved, so no export shadows it. */
export const EXTRAS_PARAM = 't'

/**
 * What printing one object needs to know about the rest of the module: export names, column keys of every table,
 * the order tables are printed in, which names may be left to the DSL, and the imports used so far.
 */
export class PrintContext {
  readonly exports: ExportNames
  readonly defaults: DefaultNames
  private readonly values = new Set<string>()
  private readonly types = new Set<string>()
  private readonly keys = new Map<string, ReadonlyMap<string, string>>()
  private readonly ranks = new Map<string, number>()

  /**
   * @param quoteIdent the identifier quoter of the dialect the schema was read from, for the SQL text the printer
   * writes itself (a type name in `native('...')`)
   */
  constructor(
    schema: Schema,
    keys: ReadonlyMap<string, ReadonlyMap<string, string>>,
    order: readonly QualifiedName[],
    readonly quoteIdent: (name: string) => string,
  ) {
    this.exports = new ExportNames(schema, [...dslImports, EXTRAS_PARAM])
    this.defaults = new DefaultNames(schema)
    this.keys = new Map(keys)
    for (const [i, name] of order.entries()) this.ranks.set(relationKey(name), i)
  }

  /** Records a DSL builder as imported and returns its name. */
  use(name: string): string {
    this.values.add(name)
    return name
  }

  /** Records a DSL type as imported (`import { type AnyColumn }`) and returns its name. */
  useType(name: string): string {
    this.types.add(name)
    return name
  }

  /** A `sql` template holding exactly `value`, with `sql` imported. */
  sql(value: string): string {
    return `${this.use('sql')}${sqlTemplate(value).slice('sql'.length)}`
  }

  /** The import specifiers used, `type` ones marked. */
  specifiers(): string[] {
    return [...[...this.types].map((name) => `type ${name}`), ...this.values]
  }

  /** The export name of an object, or undefined when the schema does not hold it. */
  exportOf(kind: ExportKind, name: QualifiedName): string | undefined {
    return this.exports.get(kind, name)
  }

  /** The TypeScript key of a table's column. */
  columnKey(table: QualifiedName, column: string): string | undefined {
    return this.keys.get(relationKey(table))?.get(column)
  }

  /** `users.id` for a column of an exported table, or undefined when either is unknown. */
  columnRef(table: QualifiedName, column: string): string | undefined {
    const exported = this.exportOf('table', table)
    const key = this.columnKey(table, column)
    return exported === undefined || key === undefined ? undefined : member(exported, key)
  }

  /** The position of a table in the module, to tell a backward reference from a forward one. */
  rank(table: QualifiedName): number {
    return this.ranks.get(relationKey(table)) ?? Number.POSITIVE_INFINITY
  }
}

/** A map key for a table or view: its namespace (default `public`) and name. */
export function relationKey(name: QualifiedName): string {
  return `${name.schema ?? 'public'}\u0000${name.name}`
}
