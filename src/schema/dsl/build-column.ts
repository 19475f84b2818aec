import { KeelError } from '../../errors.js'
import type { Column, ColumnType, Identity } from '../model.js'
import { applyCasing } from './casing.js'
import type { ColumnDecl } from './declare-table.js'
import { renderLiteral } from './render-literal.js'
import { renderSql } from './render-sql.js'
import { inContext, type SchemaNames, type TableNames } from './schema-names.js'
import { sequenceOptions } from './sequence-options.js'
import type { Sql } from './sql.js'
import type { TableState } from './table.js'

/** Turns a column declaration into the model's `Column`, omitting every optional field that holds its default. */
export function buildColumn(
  decl: ColumnDecl,
  table: { readonly state: TableState; readonly names: TableNames },
  schemaNames: SchemaNames,
  inPrimaryKey: boolean,
): Column {
  const { config } = decl
  checkConflicts(decl)
  const render = (fragment: Sql): string => renderSql(fragment, schemaNames, table.state).text.trim()
  const defaultSql =
    config.default === undefined
      ? undefined
      : config.default.kind === 'sql'
        ? render(config.default.sql)
        : // DEFAULT NULL is no default: PostgreSQL stores no pg_attrdef row for it.
          config.default.value === null
          ? undefined
          : renderLiteral(config.default.value, config.type, schemaNames.quoteLiteral)
  const generated = config.generated
  // Identity, serial and primary-key columns are NOT NULL whether or not the declaration says so, unless it says
  // `.nullable()` (a SQLite key declared without NOT NULL).
  const implied = inPrimaryKey || config.identity !== undefined || config.serial === true
  const notNull = config.notNull || (implied && config.nullable !== true)
  // The casing that named the column names its old name too, unless the name was explicit.
  const renamedFrom =
    config.renamedFrom === undefined || config.name !== undefined
      ? config.renamedFrom
      : applyCasing(config.renamedFrom, table.names.casing)
  return {
    name: decl.name,
    type: config.type,
    nullable: !notNull,
    ...(defaultSql === undefined ? {} : { default: { kind: 'sql', sql: defaultSql } }),
    ...(config.identity === undefined ? {} : { identity: identityOf(decl, config.type) }),
    ...(config.serial === true ? { serial: true } : {}),
    ...(generated === undefined
      ? {}
      : {
          generated: {
            expr: render(typeof generated.expr === 'function' ? generated.expr() : generated.expr),
            stored: generated.stored,
          },
        }),
    ...(config.collation === undefined ? {} : { collation: config.collation }),
    ...(config.comment === undefined ? {} : { comment: config.comment }),
    ...(renamedFrom === undefined ? {} : { renamedFrom }),
    ...(config.backfill === undefined ? {} : { backfill: render(config.backfill) }),
  }
}

function checkConflicts(decl: ColumnDecl): void {
  const { config } = decl
  const features = [
    config.default === undefined ? undefined : 'a default',
    config.identity === undefined ? undefined : 'identity',
    config.serial === true ? 'serial' : undefined,
    config.generated === undefined ? undefined : 'generatedAlwaysAs',
  ].filter((feature) => feature !== undefined)
  if (features.length > 1) {
    throw new KeelError('SCHEMA_MODULE', `column ${decl.key} has both ${features.join(' and ')}; keep one`)
  }
}

function identityOf(decl: ColumnDecl, type: ColumnType): Identity {
  const identity = decl.config.identity as NonNullable<typeof decl.config.identity>
  // A native type is the database's to judge (SQLite's AUTOINCREMENT is on `native('INTEGER')`); its bounds are
  // unknown here, so sequence options need an integer builder.
  if (type.kind === 'native' && identity.options === undefined) return { always: identity.always }
  if (type.kind === 'native') {
    throw new KeelError(
      'SCHEMA_MODULE',
      `column ${decl.key}: identity options need the column's integer type, which native('${type.sql}') does not tell`,
      'Declare the column with smallint(), integer() or bigint() to give its identity options.',
    )
  }
  if (type.kind !== 'integer') {
    throw new KeelError(
      'SCHEMA_MODULE',
      `column ${decl.key} is an identity column, which must be smallint, integer or bigint`,
    )
  }
  const options = identity.options
  const sequence =
    options === undefined ? {} : inContext(`column ${decl.key}`, () => sequenceOptions(options, type.bytes))
  return Object.keys(sequence).length === 0 ? { always: identity.always } : { always: identity.always, sequence }
}
