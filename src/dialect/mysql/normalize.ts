import type { Column, Index, Schema, Table, UniqueConstraint } from '../../schema/model.js'
import { canonicalMysqlType } from './type.js'

/**
 * MySQL's spelling of a schema, as introspection reads one back: no namespaces (a connection works in one
 * database), types in their canonical model form (type.ts), the primary key named PRIMARY, AUTO_INCREMENT as an
 * identity without options, generated columns nullable (MariaDB allows no NOT NULL on them), column collations
 * only where they differ from the table's, unique indexes over plain columns as unique constraints (MySQL has
 * only the index), and InnoDB, the default engine, left unsaid.
 */
export function normalizeMysql(schema: Schema): Schema {
  return {
    ...schema,
    namespaces: [],
    tables: schema.tables.map(normalizeTable),
    views: schema.views.map((view) => {
      const { schema: _ns, ...name } = view.name
      return { ...view, name, dependsOn: view.dependsOn.map((d) => ({ name: d.name })) }
    }),
    ...(schema.triggers === undefined
      ? {}
      : { triggers: schema.triggers.map((t) => ({ ...t, table: { name: t.table.name } })) }),
    ...(schema.routines === undefined
      ? {}
      : { routines: schema.routines.map((r) => ({ ...r, name: { name: r.name.name } })) }),
  }
}

/** Whether a unique index is what MySQL makes of a unique constraint: plain ascending columns, whole values. */
export function isPlainUnique(index: Index): boolean {
  return (
    index.unique &&
    index.method === undefined &&
    index.where === undefined &&
    index.include.length === 0 &&
    index.invisible === undefined &&
    index.comment === undefined &&
    index.parts.every((p) => p.column !== undefined && !p.descending && p.length === undefined)
  )
}

function normalizeTable(table: Table): Table {
  const { schema: _ns, ...name } = table.name
  const collation = table.ext?.mysql?.collation
  const columns = table.columns.map((c) => normalizeColumn(c, collation))
  const uniques: UniqueConstraint[] = [
    ...table.uniques.map(({ deferrable: _d, nullsNotDistinct: _n, ...u }) => u),
    ...table.indexes
      .filter(isPlainUnique)
      .map((i) => ({ name: i.name, columns: i.parts.map((p) => p.column as string) })),
  ].sort((a, b) => a.name.localeCompare(b.name))
  const indexes = table.indexes
    .filter((i) => !isPlainUnique(i))
    .map((i) => ({ ...i, ...(i.method === undefined ? {} : { method: i.method.toUpperCase() }) }))
    .sort((a, b) => a.name.localeCompare(b.name))
  const engine = table.ext?.mysql?.engine
  const mysql = {
    ...table.ext?.mysql,
    ...(engine === undefined || engine.toLowerCase() === 'innodb' ? { engine: undefined } : {}),
  }
  const cleaned = Object.fromEntries(Object.entries(mysql).filter(([, v]) => v !== undefined))
  const { ext: _ext, ...rest } = table
  return {
    ...rest,
    name,
    columns,
    ...(table.primaryKey === undefined ? {} : { primaryKey: { name: 'PRIMARY', columns: table.primaryKey.columns } }),
    uniques,
    indexes,
    foreignKeys: table.foreignKeys
      .map((fk) => ({ ...fk, references: { ...fk.references, table: { name: fk.references.table.name } } }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    checks: [...table.checks].sort((a, b) => a.name.localeCompare(b.name)),
    ...(Object.keys(cleaned).length === 0 ? {} : { ext: { mysql: cleaned } }),
  }
}

function normalizeColumn(column: Column, tableCollation: string | undefined): Column {
  const { identity, collation, serial: _serial, ...rest } = column
  const generated = column.generated !== undefined
  return {
    ...rest,
    type: canonicalMysqlType(column.type),
    ...(generated ? { nullable: true } : {}),
    ...(identity === undefined && !column.serial ? {} : { identity: { always: false } }),
    ...(collation === undefined || collation === tableCollation ? {} : { collation }),
  }
}
