/**
 * The PostgreSQL SQL of the expand/contract pattern (plan/phases.ts decides what to expand; this file only
 * spells it). One BEFORE INSERT OR UPDATE trigger per table keeps old and new columns in step while the
 * old and the new release both write; an updatable view keeps a renamed table's old name working.
 */
import type { ColumnSync, PhaseSql, PhaseStatement } from '../../plan/phase-sql.js'
import type { ColumnType, QualifiedName } from '../../schema/model.js'
import { objectName } from './object-name.js'
import { quoteIdent, quoteQualified } from './quote.js'
import { renderAlterTable } from './render.js'
import { renderColumnType } from './render-type.js'

/** The name of a table's sync trigger and of its function: `<table>_keel_sync`, shortened to 63 bytes. */
export function syncName(table: QualifiedName): string {
  return objectName(table.name, undefined, 'keel_sync')
}

function syncTrigger(table: QualifiedName, syncs: readonly ColumnSync[]): readonly PhaseStatement[] {
  const name = syncName(table)
  const fn = quoteQualified({ ...table, name })
  const body = syncs.map(syncBlock).join('\n')
  const tag = dollarTag(body)
  // `use_column`: a column named like a PL/pgSQL variable (found, new) means the column in the expressions.
  const createFunction = [
    `CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS ${tag}`,
    '#variable_conflict use_column',
    'BEGIN',
    body,
    '  RETURN NEW;',
    'END',
    tag,
  ].join('\n')
  const createTrigger = `CREATE TRIGGER ${quoteIdent(name)} BEFORE INSERT OR UPDATE ON ${quoteQualified(table)} FOR EACH ROW EXECUTE FUNCTION ${fn}()`
  return [
    { sql: createFunction, reverse: `DROP FUNCTION IF EXISTS ${fn}()` },
    { sql: createTrigger, reverse: `DROP TRIGGER IF EXISTS ${quoteIdent(name)} ON ${quoteQualified(table)}` },
  ]
}

/**
 * One column's part of the trigger. A derived column is computed from the row (`SELECT expr FROM (SELECT
 * NEW.*)`, so that the hint's bare column names resolve) when an insert leaves it null or an update leaves it
 * alone; a mirrored pair copies whichever side the writer changed to the other.
 */
function syncBlock(sync: ColumnSync): string {
  const col = `NEW.${quoteIdent(sync.column)}`
  if (sync.kind === 'derive') {
    return [
      `  IF TG_OP = 'INSERT' AND ${col} IS NULL OR TG_OP = 'UPDATE' AND ${col} IS NOT DISTINCT FROM OLD.${quoteIdent(sync.column)} THEN`,
      `    ${col} := (SELECT ${sync.expr} FROM (SELECT NEW.*) AS keel_row);`,
      '  END IF;',
    ].join('\n')
  }
  const from = `NEW.${quoteIdent(sync.from)}`
  return [
    "  IF TG_OP = 'INSERT' THEN",
    `    IF ${col} IS NULL THEN ${col} := ${from}; ELSE ${from} := ${col}; END IF;`,
    `  ELSIF ${col} IS DISTINCT FROM OLD.${quoteIdent(sync.column)} THEN`,
    `    ${from} := ${col};`,
    '  ELSE',
    `    ${col} := ${from};`,
    '  END IF;',
  ].join('\n')
}

function backfill(table: QualifiedName, syncs: readonly ColumnSync[]): string {
  const sets = syncs.map((s) => `${quoteIdent(s.column)} = ${s.kind === 'derive' ? `(${s.expr})` : quoteIdent(s.from)}`)
  const unset = syncs.map((s) => `${quoteIdent(s.column)} IS NULL`)
  return `UPDATE ${quoteQualified(table)} SET ${sets.join(', ')} WHERE ${unset.join(' OR ')}`
}

function cast(column: string, type: ColumnType): string {
  return `${quoteIdent(column)}::${renderColumnType(type)}`
}

function oldNameView(from: QualifiedName, to: QualifiedName): PhaseStatement {
  // A view over one table with no joins or aggregates is automatically updatable: inserts, updates and
  // deletes through the old name reach the table, and its defaults apply.
  return {
    sql: `CREATE VIEW ${quoteQualified(from)} AS SELECT * FROM ${quoteQualified(to)}`,
    reverse: `DROP VIEW ${quoteQualified(from)}`,
  }
}

function swapColumn(table: QualifiedName, column: string, replacement: string): readonly string[] {
  return [
    renderAlterTable(table, `DROP COLUMN ${quoteIdent(column)}`),
    renderAlterTable(table, `RENAME COLUMN ${quoteIdent(replacement)} TO ${quoteIdent(column)}`),
  ]
}

/** A dollar-quote tag that does not occur in the body. */
function dollarTag(body: string): string {
  let tag = '$keel$'
  for (let i = 1; body.includes(tag); i++) tag = `$keel${i}$`
  return tag
}

/** PostgreSQL's expand/contract SQL. */
export const postgresPhaseSql: PhaseSql = {
  syncTrigger,
  backfill,
  tempColumn: (column) => objectName(column, undefined, 'keel_new'),
  cast,
  oldNameView,
  swapColumn,
}
