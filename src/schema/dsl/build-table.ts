import { KeelError } from '../../errors.js'
import type { Index, Table } from '../model.js'
import { displayName, qualified } from '../name.js'
import { buildColumn } from './build-column.js'
import type { IndexDecl } from './declare-index.js'
import type { TableDecl } from './declare-table.js'
import { chooseIndexColumnNames, type NamespaceNames, nameAddition } from './naming.js'
import { inContext, type SchemaNames } from './schema-names.js'
import type { TableOptions } from './table.js'

/**
 * Reserves the names a table's declaration states explicitly, before any default name is chosen, so that a
 * default never takes a name the user wrote. Index-backed names (primary key, unique, index) must be unique among
 * the namespace's relations; foreign key and check names only within the table.
 */
export function reserveExplicitNames(decl: TableDecl, names: NamespaceNames): void {
  const where = `table ${displayName(decl.names.name)}`
  const relation = (name: string | undefined, what: string, isConstraint: boolean): void => {
    if (name === undefined) return
    if (names.hasRelation(name)) {
      throw new KeelError(
        'SCHEMA_MODULE',
        `${where}: ${what} ${name} has the same name as another table, view, sequence or index`,
      )
    }
    names.reserveRelation(name)
    if (isConstraint) names.reserveConstraint(name)
  }
  relation(decl.primaryKey?.name, 'primary key', true)
  for (const unique of decl.uniques) relation(unique.name, 'unique constraint', true)
  for (const index of decl.indexes) relation(index.name, 'index', false)
  const constraints = new Set([decl.primaryKey?.name, ...decl.uniques.map((u) => u.name)])
  for (const named of [...decl.foreignKeys, ...decl.checks]) {
    if (named.name === undefined) continue
    if (constraints.has(named.name))
      throw new KeelError('SCHEMA_MODULE', `${where}: two constraints are named ${named.name}`)
    constraints.add(named.name)
    names.reserveConstraint(named.name)
  }
}

/**
 * Builds the model `Table`, choosing default names in the order PostgreSQL's CREATE TABLE does: sequences of
 * serial and identity columns, checks, the primary key, unique constraints (column-level first), then indexes
 * and foreign keys, each from `<table>_<columns>_<label>` truncated to 63 bytes.
 */
export function buildTable(decl: TableDecl, names: NamespaceNames, schemaNames: SchemaNames): Table {
  const table = decl.names.name.name
  return inContext(`table ${displayName(decl.names.name)}`, () => {
    const pkColumns = new Set(decl.primaryKey?.columns ?? [])
    const columns = decl.columns.map((column) => buildColumn(column, decl, schemaNames, pkColumns.has(column.name)))
    for (const column of decl.columns) {
      if (column.config.serial === true || column.config.identity !== undefined) {
        names.chooseRelationName(table, column.name, 'seq', false)
      }
    }
    const checks = decl.checks.map(({ column, ...check }) => ({
      ...check,
      name: check.name ?? names.chooseConstraintName(table, column, 'check'),
    }))
    const primaryKey =
      decl.primaryKey === undefined
        ? undefined
        : { ...decl.primaryKey, name: decl.primaryKey.name ?? names.chooseRelationName(table, undefined, 'pkey', true) }
    const uniques = decl.uniques.map((unique) => ({
      ...unique,
      name: unique.name ?? names.chooseRelationName(table, nameAddition(unique.columns), 'key', true),
    }))
    const indexes = decl.indexes.map((index) => nameIndex(index, table, names))
    const foreignKeys = decl.foreignKeys.map((fk) => ({
      ...fk,
      name: fk.name ?? names.chooseConstraintName(table, nameAddition(fk.columns), 'fkey'),
    }))
    const { options } = decl.state
    return {
      name: decl.names.name,
      columns,
      ...(primaryKey === undefined ? {} : { primaryKey: { name: primaryKey.name, columns: primaryKey.columns } }),
      uniques,
      indexes,
      foreignKeys,
      checks,
      ...(options.comment === undefined ? {} : { comment: options.comment }),
      ...(options.renamedFrom === undefined
        ? {}
        : {
            renamedFrom:
              typeof options.renamedFrom === 'string'
                ? qualified(options.renamedFrom, decl.names.name.schema)
                : options.renamedFrom,
          }),
      ...tableExt(options),
      ...(options.exclusions === undefined || options.exclusions.length === 0
        ? {}
        : { exclusions: options.exclusions }),
      ...(options.privileges === undefined ? {} : { privileges: options.privileges }),
      ...(options.rowLevelSecurity === undefined ? {} : { rowLevelSecurity: options.rowLevelSecurity }),
      ...(options.policies === undefined || options.policies.length === 0 ? {} : { policies: options.policies }),
    }
  })
}

/**
 * The table's PostgreSQL facts (UNLOGGED, partitioning, inheritance) and SQLite ones (WITHOUT ROWID, STRICT) from its
 * options; nothing when none is set.
 */
function tableExt(options: TableOptions): Pick<Table, 'ext'> {
  const postgres = {
    ...(options.unlogged === true ? { unlogged: true } : {}),
    ...(options.partitionBy === undefined ? {} : { partitionBy: options.partitionBy }),
    ...(options.partitionOf === undefined ? {} : { partitionOf: options.partitionOf }),
    ...(options.inherits === undefined || options.inherits.length === 0 ? {} : { inherits: options.inherits }),
    ...(options.attachedIndexes === undefined || options.attachedIndexes.length === 0
      ? {}
      : { attachedIndexes: options.attachedIndexes }),
  }
  const sqlite = {
    ...(options.withoutRowid === true ? { withoutRowid: true as const } : {}),
    ...(options.strict === true ? { strict: true as const } : {}),
  }
  const ext = {
    ...(Object.keys(postgres).length === 0 ? {} : { postgres }),
    ...(Object.keys(sqlite).length === 0 ? {} : { sqlite }),
  }
  return Object.keys(ext).length === 0 ? {} : { ext }
}

/** Names an index (of a table or materialized view) `<relation>_<parts and included columns>_idx` by default. */
export function nameIndex(decl: IndexDecl, relation: string, names: NamespaceNames): Index {
  const { labels, name, ...index } = decl
  return {
    name: name ?? names.chooseRelationName(relation, nameAddition(chooseIndexColumnNames(labels)), 'idx', false),
    ...index,
  }
}
