/**
 * The PostgreSQL SQL of the expand/contract pattern (plan/phases.ts decides what to expand; this file only
 * spells it). One BEFORE INSERT OR UPDATE trigger per table keeps old and new columns in step while the
 * old and the new release both write; an updatable view keeps a renamed table's old name working.
 */
import type {
  ColumnSync,
  DrawnColumn,
  KeyedRetype,
  KeyMove,
  KeyMoveStatement,
  PhaseSql,
  PhaseStatement,
  SwapStatement,
} from '../../plan/phase-sql.js'
import type { ColumnType, Identity, Index, QualifiedName, Routine } from '../../schema/model.js'
import { displayName } from '../../schema/name.js'
import { indexColumnNames } from './index-column-names.js'
import { objectName } from './object-name.js'
import { type PartitionedBuild, partitionedIndex, partitionedKey, swapNames } from './partitioned-keys.js'
import { dollarQuote, quoteIdent, quoteLiteral, quoteQualified } from './quote.js'
import { indexName, renderAlterTable, renderCreateIndex, renderForeignKeyClause, renderIdentity } from './render.js'
import { renderDropType, renderRenameType } from './render-objects.js'
import { renderIntegerType } from './render-type.js'
import { loadReferenceParser, sqlReferences } from './sql-references.js'
import { nextvalDefault, renderOnSerialSequence, serialSequence } from './steps-serial.js'
import { usingExpression } from './type-change.js'

/** The name of a table's sync trigger and of its function: `<table>_keel_sync`, shortened to 63 bytes. */
export function syncName(table: QualifiedName): string {
  return objectName(table.name, undefined, 'keel_sync')
}

/**
 * The sync function and its BEFORE INSERT OR UPDATE row trigger(s).
 *
 * What it costs the backfill: PostgreSQL locks each row an UPDATE changes before a BEFORE UPDATE row trigger fires
 * (GetTupleForTrigger), and logs that lock (a Heap/LOCK record), for every UPDATE of a table that has any such trigger:
 * one disabled (ALTER TABLE ... DISABLE TRIGGER), one that `session_replication_role = replica` skips, or one limited
 * to `UPDATE OF` another column, alike. Measured on PostgreSQL 15 (100,000 rows of the benchmark's users table, the
 * int → bigint backfill in batches of 1,000, wal_compression off): 401 bytes of WAL a row with the trigger in each of
 * those forms, 345 with no BEFORE UPDATE trigger on the table (an AFTER UPDATE one, or a BEFORE INSERT one only), so
 * 14% of the backfill's WAL. Not worth a design without it: the app's updates must reach the new column in the same
 * row version, which only a BEFORE trigger does (an AFTER trigger's second UPDATE writes every row twice for as long
 * as the phases last, fires the user's triggers twice, and RETURNING shows the row before it).
 */
function syncTrigger(
  table: QualifiedName,
  syncs: readonly ColumnSync[],
  children: readonly QualifiedName[] = [],
): readonly PhaseStatement[] {
  const name = syncName(table)
  const fn = quoteQualified({ ...table, name })
  const source = functionSource(syncs)
  // OR REPLACE, for the function and the triggers: a push stopped after the expand (Ctrl-C, a kill, a crash) left them,
  // and the next push plans the expand again over them (plan/leftover-sync.ts) without dropping them first, so that no
  // write between two of its transactions goes unsynced. PostgreSQL 14+ for the trigger's.
  const createFunction = `CREATE OR REPLACE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS ${dollarQuote(source)}`
  // The same trigger on each INHERITS child: a write to a child fires its own triggers only, not its parent's (a
  // partition gets its partitioned table's row triggers from the server).
  const trigger = (on: QualifiedName): PhaseStatement => ({
    sql: `CREATE OR REPLACE TRIGGER ${quoteIdent(name)} BEFORE INSERT OR UPDATE ON ${quoteQualified(on)} FOR EACH ROW EXECUTE FUNCTION ${fn}()`,
    reverse: `DROP TRIGGER IF EXISTS ${quoteIdent(name)} ON ${quoteQualified(on)}`,
  })
  return [{ sql: createFunction, reverse: `DROP FUNCTION IF EXISTS ${fn}()` }, trigger(table), ...children.map(trigger)]
}

/**
 * The sync function's source (prosrc: what goes between the dollar quotes), as the server keeps it.
 * `use_column`: a column named like a PL/pgSQL variable (found, new) means the column in the expressions.
 */
function functionSource(syncs: readonly ColumnSync[]): string {
  return ['', '#variable_conflict use_column', 'BEGIN', ...syncs.map(syncBlock), '  RETURN NEW;', 'END', ''].join('\n')
}

/** What the comment on a sync function starts with; the JSON of the syncs it was written for follows. */
const SYNC_MARK = 'keel:sync v1 '

function syncMark(table: QualifiedName, syncs: readonly ColumnSync[]): PhaseStatement {
  const fn = quoteQualified({ ...table, name: syncName(table) })
  const text = `${SYNC_MARK}${JSON.stringify(syncs.map(markedSync))}`
  // No reverse of its own: the expand's undo and the contract drop the function, and its comment with it.
  return { sql: `COMMENT ON FUNCTION ${fn}() IS ${quoteLiteral(text)}`, reverse: '' }
}

/** A sync with its fields in one order, so that the same syncs always write the same mark. */
function markedSync(sync: ColumnSync): ColumnSync {
  return sync.kind === 'derive'
    ? { kind: 'derive', column: sync.column, expr: sync.expr }
    : { kind: 'mirror', column: sync.column, from: sync.from }
}

function leftoverSyncs(routine: Routine, syncs?: readonly ColumnSync[]): readonly ColumnSync[] | undefined {
  if (routine.comment?.startsWith(SYNC_MARK)) return readMark(routine.comment.slice(SYNC_MARK.length))
  // An older Keel wrote no mark: its function is taken as Keel's only when its text is exactly what Keel writes for
  // these syncs (pg_get_functiondef's header, then the source), which no function of a user's is by chance.
  const printed =
    /^CREATE OR REPLACE FUNCTION \S+\(\)\n RETURNS trigger\n LANGUAGE plpgsql\nAS (\$\w*\$)\n([\s\S]*)\1$/.exec(
      routine.definition,
    )
  return syncs !== undefined && printed !== null && `\n${printed[2]}` === functionSource(syncs) ? syncs : undefined
}

/** The syncs a mark's JSON lists; undefined when it is not a list of syncs (not Keel's writing). */
function readMark(json: string): readonly ColumnSync[] | undefined {
  let parsed: unknown
  try {
    parsed = JSON.parse(json)
  } catch {
    return undefined
  }
  if (!Array.isArray(parsed)) return undefined
  const syncs = parsed.filter(
    (s): s is ColumnSync =>
      typeof s === 'object' &&
      s !== null &&
      typeof s.column === 'string' &&
      ((s.kind === 'derive' && typeof s.expr === 'string') || (s.kind === 'mirror' && typeof s.from === 'string')),
  )
  return syncs.length === parsed.length ? syncs : undefined
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

/** Through text where PostgreSQL has no cast (between enums, and from an enum to most types). */
function cast(column: string, from: ColumnType, type: ColumnType): string {
  return usingExpression(column, from, type)
}

function swapEnum(name: QualifiedName, replacement: QualifiedName): readonly string[] {
  return [renderDropType(name), renderRenameType(replacement, name.name)]
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

/**
 * The keyed swap, as pgroll and strong_migrations do it by hand. Before the swap, while both releases write and
 * the trigger keeps the new columns filled: every index of the old columns (the primary key's and the unique
 * constraints' included) is built again on the new ones with CREATE [UNIQUE] INDEX CONCURRENTLY; a new primary
 * key (or serial, or identity) column gets a `CHECK (col IS NOT NULL) NOT VALID` in the expand, validated here,
 * so that SET NOT NULL in the swap does not scan; a serial's or identity's sequence moves in the swap
 * (moveSequence); each foreign key that references the old columns is added again on the new ones NOT VALID, then
 * validated (SHARE UPDATE EXCLUSIVE: writers go on). In the swap's one short transaction the old foreign keys are
 * dropped, the old columns dropped (their indexes and keys with them) and the new ones renamed; then the key
 * and unique constraints are attached to the prepared indexes (`USING INDEX`, no scan), and the indexes and
 * foreign keys get their old names back. Nothing in the swap reads the table.
 */
function moveKeys(spec: KeyedRetype): KeyMove {
  const { table, temps } = spec
  const swap = (columns: readonly string[]) => columns.map((c) => temps.get(c) ?? c)
  const tempIndex = (name: string) => objectName(name, undefined, 'keel_new')
  const tempCheck = (column: string) => objectName(column, undefined, 'keel_nn')
  const build = (index: Index, comment: string): KeyMoveStatement => ({
    kind: 'index',
    sql: renderCreateIndex(table, index, true),
    reverse: `DROP INDEX CONCURRENTLY IF EXISTS ${quoteQualified(indexName(table, index.name))}`,
    on: [table],
    comment,
  })
  const expand: KeyMoveStatement[] = []
  const prepare: KeyMoveStatement[] = []
  const release: SwapStatement[] = []
  const settle: SwapStatement[] = []
  const own = (...statements: readonly string[]): SwapStatement[] => statements.map((sql) => ({ sql, on: [table] }))
  const pk = spec.primaryKey
  // A partitioned table's keys and indexes are built on its partitions (partitioned-keys.ts).
  const partitions = spec.partitions
  const given = partitions === undefined ? [] : swapNames(spec)
  const onPartitions = (build: PartitionedBuild) => {
    prepare.push(...build.prepare)
    settle.push(...build.settle)
  }
  if (pk !== undefined && partitions === undefined) {
    const name = tempIndex(pk.name)
    const index: Index = { name, parts: swap(pk.columns).map((column) => ({ column })), unique: true, include: [] }
    prepare.push(build(index, `Build the primary key's index ${name} on the new columns, concurrently`))
  }
  // NOT NULL of a new key column (or of an identity's, which is NOT NULL by definition) is proven by a check
  // added NOT VALID in the expand (under the lock ADD COLUMN takes anyway) and validated online, so that
  // SET NOT NULL in the swap reads nothing.
  const drawn = new Map(spec.drawn.map((d) => [d.column, d]))
  const keyColumns = (pk?.columns ?? []).filter((c) => temps.has(c))
  const proven = [...new Set([...keyColumns, ...drawn.keys(), ...spec.notNull])]
  for (const column of proven) {
    const temp = temps.get(column) as string
    const check = tempCheck(temp)
    expand.push({
      kind: 'check',
      sql: renderAlterTable(
        table,
        `ADD CONSTRAINT ${quoteIdent(check)} CHECK (${quoteIdent(temp)} IS NOT NULL) NOT VALID`,
      ),
      reverse: renderAlterTable(table, `DROP CONSTRAINT IF EXISTS ${quoteIdent(check)}`),
      on: [table],
      comment: `Prove ${temp} NOT NULL without a scan under a lock: a check, not valid yet (the trigger fills ${temp} on every write)`,
    })
    prepare.push({
      kind: 'validateCheck',
      sql: renderAlterTable(table, `VALIDATE CONSTRAINT ${quoteIdent(check)}`),
      reverse: '',
      on: [table],
      comment: `Validate ${check} (writers go on)`,
    })
    const notNull = [
      renderAlterTable(table, `ALTER COLUMN ${quoteIdent(drawn.has(column) ? temp : column)} SET NOT NULL`),
      renderAlterTable(table, `DROP CONSTRAINT ${quoteIdent(check)}`),
    ]
    // A sequence moves to the new column before the old one is dropped (which would drop it too).
    if (drawn.has(column)) release.push(...own(...notNull, ...moveSequence(table, drawn.get(column) as DrawnColumn)))
    else settle.push(...own(...notNull))
  }
  if (pk !== undefined && partitions !== undefined)
    onPartitions(partitionedKey(table, { primaryKey: pk }, temps, partitions, given))
  else if (pk !== undefined) {
    settle.push(
      ...own(
        renderAlterTable(
          table,
          `ADD CONSTRAINT ${quoteIdent(pk.name)} PRIMARY KEY USING INDEX ${quoteIdent(tempIndex(pk.name))}`,
        ),
      ),
    )
  }
  for (const d of spec.drawn) if (d.identity !== undefined) settle.push(...own(renameIdentitySequence(table, d.column)))
  for (const unique of spec.uniques) {
    if (partitions !== undefined) {
      onPartitions(partitionedKey(table, { unique }, temps, partitions, given))
      continue
    }
    const name = tempIndex(unique.name)
    const index: Index = {
      name,
      parts: swap(unique.columns).map((column) => ({ column })),
      unique: true,
      include: [],
      ...(unique.nullsNotDistinct ? { nullsNotDistinct: true as const } : {}),
    }
    prepare.push(
      build(index, `Build unique constraint ${unique.name}'s index ${name} on the new columns, concurrently`),
    )
    settle.push(
      ...own(
        renderAlterTable(table, `ADD CONSTRAINT ${quoteIdent(unique.name)} UNIQUE USING INDEX ${quoteIdent(name)}`),
      ),
    )
  }
  for (const index of spec.indexes) {
    const name = tempIndex(index.name)
    const moved: Index = {
      ...index,
      name,
      parts: index.parts.map((p) => (p.column === undefined ? p : { ...p, column: temps.get(p.column) ?? p.column })),
      include: swap(index.include),
    }
    if (partitions !== undefined) {
      onPartitions(partitionedIndex(table, index, moved, partitions))
      continue
    }
    prepare.push(build(moved, `Build index ${index.name} again on the new columns as ${name}, concurrently`))
    settle.push(...own(`ALTER INDEX ${quoteQualified(indexName(table, name))} RENAME TO ${quoteIdent(index.name)}`))
  }
  for (const { table: child, fk, columns, references, narrower } of spec.foreignKeys) {
    const name = objectName(fk.name, undefined, 'keel_new')
    const { notValid: _n, ...valid } = fk
    const moved = { ...valid, name, columns, references: { ...fk.references, ...references } }
    const keeps =
      narrower.length === 0
        ? ''
        : `; ${displayName(child)}.${narrower.join(', ')} keep${narrower.length === 1 ? 's' : ''} its narrower type, as the schema says: widen it there too to reference every new key (Keel retypes it online the same way)`
    prepare.push({
      kind: 'foreignKey',
      sql: renderAlterTable(child, `ADD ${renderForeignKeyClause(moved, true)}`),
      reverse: renderAlterTable(child, `DROP CONSTRAINT IF EXISTS ${quoteIdent(name)}`),
      on: [child, references.table],
      comment: `Foreign key ${fk.name} again, onto the new columns, not valid yet${keeps}`,
    })
    prepare.push({
      kind: 'validateForeignKey',
      sql: renderAlterTable(child, `VALIDATE CONSTRAINT ${quoteIdent(name)}`),
      reverse: '',
      on: [child, references.table],
      comment: `Validate ${name} (writers go on)`,
    })
    // Dropping a foreign key locks both its tables (ACCESS EXCLUSIVE: its triggers on the referenced one go too).
    release.push({
      sql: renderAlterTable(child, `DROP CONSTRAINT ${quoteIdent(fk.name)}`),
      on: [child, references.table],
    })
    settle.push({
      sql: renderAlterTable(child, `RENAME CONSTRAINT ${quoteIdent(name)} TO ${quoteIdent(fk.name)}`),
      on: [child],
    })
  }
  return { expand, prepare, release, settle }
}

/**
 * The sequence of a retyped serial or identity column, moved to its new column `temp` inside the swap's
 * transaction (before the old column, and what it owns, is dropped). A serial's sequence is owned by the new
 * column, widened to its type, and becomes its default: the same sequence goes on. An identity's cannot change
 * columns: the new column gets an identity of its own, set to where the old one stopped (last_value and
 * is_called), so the next id is the one the old column would have given. The new column is NOT NULL by then.
 */
function moveSequence(table: QualifiedName, drawn: DrawnColumn): readonly string[] {
  const { column, temp } = drawn
  if (drawn.serial === true) {
    return [
      renderOnSerialSequence(table, column, `ALTER SEQUENCE %s OWNED BY ${quoteQualified(table)}.${quoteIdent(temp)}`),
      renderOnSerialSequence(table, temp, `ALTER SEQUENCE %s AS ${renderIntegerType(drawn.type)}`),
      renderAlterTable(
        table,
        `ALTER COLUMN ${quoteIdent(temp)} SET DEFAULT ${nextvalDefault(serialSequence(table, column))}`,
      ),
    ]
  }
  const identity = drawn.identity as Identity
  const lookup = (c: string) => `pg_get_serial_sequence(${quoteLiteral(quoteQualified(table))}, ${quoteLiteral(c)})`
  return [
    renderAlterTable(table, `ALTER COLUMN ${quoteIdent(temp)} ADD ${renderIdentity(identity)}`),
    `DO ${dollarQuote(`BEGIN EXECUTE format('SELECT setval(%L, last_value, is_called) FROM %s', ${lookup(temp)}, ${lookup(column)}); END`)}`,
  ]
}

/** The new identity's sequence, named after the new column, gets the name PostgreSQL gives the column's. */
function renameIdentitySequence(table: QualifiedName, column: string): string {
  const name = objectName(table.name, column, 'seq')
  return renderOnSerialSequence(table, column, `ALTER SEQUENCE %s RENAME TO ${quoteIdent(name)}`)
}

/** PostgreSQL's expand/contract SQL. */
export const postgresPhaseSql: PhaseSql = {
  syncTrigger,
  syncName,
  syncMark,
  leftoverSyncs,
  backfill,
  tempColumn: (column) => objectName(column, undefined, 'keel_new'),
  cast,
  swapEnum,
  oldNameView,
  moveKeys,
  swapColumn,
  references: sqlReferences,
  indexColumnNames,
  prepare: loadReferenceParser,
}
