import { mentionedColumns } from '../dsl/declare-table.js'
import { figureIndexColname } from '../dsl/figure-index-colname.js'
import { chooseIndexColumnNames, makeObjectName, nameAddition } from '../dsl/naming.js'
import type { Check, ForeignKey, Index, Schema, Table, UniqueConstraint } from '../model.js'

/**
 * Tells which constraint and index names a schema module may leave out because `collect()` would choose the very
 * same name. The DSL names an unnamed object as PostgreSQL does, `<table>_<columns>_<label>`, adding a number when
 * that name is taken in the namespace. A name is left out only when it is that first choice and no other object of
 * the namespace bears it: then nothing can take it first, whatever order the module's exports are read in.
 */
export class DefaultNames {
  /** Per namespace: how many relations (tables, views, sequences, indexes, primary keys, uniques) bear a name. */
  private readonly relations = new Map<string, number>()
  /** Per namespace: how many constraints (primary keys, uniques, foreign keys, checks) bear a name. */
  private readonly constraints = new Map<string, number>()

  constructor(schema: Schema) {
    const relation = (namespace: string | undefined, name: string): void => count(this.relations, namespace, name)
    const constraint = (namespace: string | undefined, name: string): void => count(this.constraints, namespace, name)
    for (const sequence of schema.sequences) relation(sequence.name.schema, sequence.name.name)
    for (const view of schema.views) {
      relation(view.name.schema, view.name.name)
      for (const index of view.indexes) relation(view.name.schema, index.name)
    }
    for (const table of schema.tables) {
      const namespace = table.name.schema
      relation(namespace, table.name.name)
      for (const keyed of [...(table.primaryKey === undefined ? [] : [table.primaryKey]), ...table.uniques]) {
        relation(namespace, keyed.name)
        constraint(namespace, keyed.name)
      }
      for (const index of table.indexes) relation(namespace, index.name)
      for (const named of [...table.foreignKeys, ...table.checks]) constraint(namespace, named.name)
    }
  }

  /** Whether the table's primary key may go unnamed. */
  primaryKey(table: Table): boolean {
    const key = table.primaryKey
    return (
      key !== undefined && this.keyed(table.name.schema, key.name, makeObjectName(table.name.name, undefined, 'pkey'))
    )
  }

  /** Whether a unique constraint may go unnamed. */
  unique(table: Table, unique: UniqueConstraint): boolean {
    const expected = makeObjectName(table.name.name, nameAddition(unique.columns), 'key')
    return this.keyed(table.name.schema, unique.name, expected)
  }

  /** Whether an index of a table or materialized view (`relation`, in `namespace`) may go unnamed. */
  index(namespace: string | undefined, relation: string, index: Index): boolean {
    const labels = [...index.parts.map((part) => part.column ?? figureIndexColname(part.expr ?? '')), ...index.include]
    const expected = makeObjectName(relation, nameAddition(chooseIndexColumnNames(labels)), 'idx')
    return index.name === expected && this.once(this.relations, namespace, expected)
  }

  /** Whether a foreign key may go unnamed. */
  foreignKey(table: Table, foreignKey: ForeignKey): boolean {
    const expected = makeObjectName(table.name.name, nameAddition(foreignKey.columns), 'fkey')
    return foreignKey.name === expected && this.once(this.constraints, table.name.schema, expected)
  }

  /** Whether a check may go unnamed: `<table>_<column>_check` when it mentions one column, else `<table>_check`. */
  check(table: Table, check: Check): boolean {
    const mentioned = [...mentionedColumns(check.expr, new Set(table.columns.map((column) => column.name)))]
    const column = mentioned.length === 1 ? mentioned[0] : undefined
    const expected = makeObjectName(table.name.name, column, 'check')
    return check.name === expected && this.once(this.constraints, table.name.schema, expected)
  }

  private keyed(namespace: string | undefined, name: string, expected: string): boolean {
    return (
      name === expected && this.once(this.relations, namespace, name) && this.once(this.constraints, namespace, name)
    )
  }

  private once(counts: ReadonlyMap<string, number>, namespace: string | undefined, name: string): boolean {
    return counts.get(countKey(namespace, name)) === 1
  }
}

function countKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? 'public'}\u0000${name}`
}

function count(counts: Map<string, number>, namespace: string | undefined, name: string): void {
  const key = countKey(namespace, name)
  counts.set(key, (counts.get(key) ?? 0) + 1)
}
