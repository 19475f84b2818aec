/**
 * What MariaDB 10.11's InnoDB does for each kind of ALTER TABLE: INSTANT (metadata only), INPLACE (no copy of the
 * table through the server layer; with or without a rebuild of the clustered index, concurrent DML allowed with
 * LOCK=NONE) or COPY (every row copied into a new table; writes blocked). Each fact was checked against the
 * server (ER_ALTER_OPERATION_NOT_SUPPORTED says which algorithm it wants) and matches the MariaDB knowledge base's
 * "InnoDB Online DDL Operations with the INSTANT / INPLACE Alter Algorithm" pages.
 *
 * The planner writes the algorithm into every ALTER TABLE, so that a server that cannot honour it refuses the
 * statement instead of silently copying the table.
 */

import { deepEqual } from '../../schema/equal.js'
import type { Column, ColumnType, Table } from '../../schema/model.js'

export type Algorithm = 'INSTANT' | 'INPLACE' | 'COPY'

export interface AlterFact {
  readonly algorithm: Algorithm
  /** LOCK=...: NONE lets DML run during the ALTER; SHARED blocks writes. Omitted for INSTANT. */
  readonly lock?: 'NONE' | 'SHARED'
  /** The table's rows are rewritten (a rebuild or a copy). */
  readonly rewrites: boolean
  /** Every row is read (an index build, a check validated, a foreign key checked). */
  readonly scans: boolean
}

export const INSTANT: AlterFact = { algorithm: 'INSTANT', rewrites: false, scans: false }
/** An index build: reads the table, writes only the index. */
export const INPLACE_INDEX: AlterFact = { algorithm: 'INPLACE', lock: 'NONE', rewrites: false, scans: true }
/** A rebuild of the clustered index, with DML allowed meanwhile. */
export const INPLACE_REBUILD: AlterFact = { algorithm: 'INPLACE', lock: 'NONE', rewrites: true, scans: true }
export const COPY: AlterFact = { algorithm: 'COPY', lock: 'SHARED', rewrites: true, scans: true }

const rank: Record<Algorithm, number> = { INSTANT: 0, INPLACE: 1, COPY: 2 }

/** The costlier of two facts (several changes in one statement run at the pace of the slowest). */
export function worst(a: AlterFact, b: AlterFact): AlterFact {
  if (rank[a.algorithm] !== rank[b.algorithm]) return rank[a.algorithm] > rank[b.algorithm] ? a : b
  return {
    ...a,
    rewrites: a.rewrites || b.rewrites,
    scans: a.scans || b.scans,
    ...(a.lock === 'SHARED' || b.lock === 'SHARED' ? { lock: 'SHARED' as const } : {}),
  }
}

/**
 * What the table itself changes about a fact (`tables`: the table before and after the plan; either may hold what
 * matters while the statement runs):
 * - A FULLTEXT index brings InnoDB's hidden FTS_DOC_ID column: no instant ADD or DROP COLUMN, and a rebuild needs
 *   LOCK=SHARED ("Fulltext index creation requires a lock"), as does any other INPLACE change of the table. A table that once had one keeps the hidden column,
 *   which the model cannot see: there the server refuses the stated algorithm, which is the point.
 * - A STORED generated column: InnoDB cannot rebuild the table in place ("ALGORITHM=INPLACE is not supported"),
 *   so a rebuild is a copy.
 */
export function forTable(fact: AlterFact, ...tables: readonly (Table | undefined)[]): AlterFact {
  const fulltext = tables.some((t) => t?.indexes.some((i) => i.method?.toUpperCase() === 'FULLTEXT'))
  const stored = tables.some((t) => t?.columns.some((c) => c.generated?.stored))
  const generated = tables.some((t) => t?.columns.some((c) => c.generated !== undefined))
  let out = fact
  if (fulltext && out.algorithm === 'INSTANT') out = { ...INPLACE_REBUILD, lock: 'SHARED' }
  if (stored && out.algorithm === 'INPLACE' && out.rewrites) out = COPY
  // A rebuild that adds or drops a column cannot be done in place beside virtual columns ("INPLACE ADD or DROP of
  // virtual columns cannot be combined with other ALTER TABLE actions"); with FULLTEXT every column change rebuilds.
  if (fulltext && generated && out.algorithm === 'INPLACE' && out.rewrites) out = COPY
  if (fulltext && out.algorithm === 'INPLACE') out = { ...out, lock: 'SHARED' }
  return out
}

/** ADD COLUMN: instant anywhere (10.4+), except a stored generated column or an AUTO_INCREMENT one (a copy). */
export function addColumnFact(column: Column): AlterFact {
  if (column.generated?.stored || column.identity !== undefined) return COPY
  return INSTANT
}

/** Bytes per character of a collation's character set, for VARCHAR's length prefix (utf8mb4 when unknown). */
function bytesPerChar(collation: string | undefined): number {
  if (collation === undefined) return 4
  if (
    /^(latin1|ascii|binary|cp1250|cp1251|cp1256|cp1257|cp850|cp852|cp866|dec8|greek|hebrew|hp8|keybcs2|koi8r|koi8u|latin2|latin5|latin7|macce|macroman|swe7|tis620|armscii8|geostd8)_/.test(
      collation,
    )
  )
    return 1
  if (/^(utf8mb3|utf8)_/.test(collation)) return 3
  if (/^(ucs2|utf16|utf16le)_/.test(collation)) return 4
  return 4
}

/** The values of an inline ENUM or SET type, or undefined. */
function inlineValues(type: ColumnType): { kind: string; values: string } | undefined {
  if (type.kind !== 'native') return undefined
  const m = /^(enum|set)\((.*)\)$/s.exec(type.sql)
  return m ? { kind: m[1] as string, values: m[2] as string } : undefined
}

/**
 * Whether changing `from`'s type to `to`'s is instant: a longer VARCHAR whose length prefix keeps its size (up to
 * 255 bytes, or over 255 on both sides), or ENUM/SET values appended at the end.
 */
function instantRetype(from: Column, to: Column): boolean {
  if (from.collation !== to.collation) return false
  const a = from.type
  const b = to.type
  if (a.kind === 'text' && b.kind === 'text' && !a.fixed && !b.fixed && a.length && b.length && b.length >= a.length) {
    const per = bytesPerChar(to.collation)
    return a.length * per <= 255 === b.length * per <= 255
  }
  const ea = inlineValues(a)
  const eb = inlineValues(b)
  return ea !== undefined && eb !== undefined && ea.kind === eb.kind && eb.values.startsWith(`${ea.values},`)
}

/** A literal default (a string or a number), as opposed to an expression such as current_timestamp(). */
const isConstant = (sql: string) => /^('|[+-]?\d|NULL$)/i.test(sql.trim())

/** MODIFY COLUMN from `from` to `to` (same name): the costliest of what changes. */
export function modifyColumnFact(from: Column, to: Column): AlterFact {
  let fact = INSTANT
  if (!deepEqual(from.type, to.type) || from.collation !== to.collation)
    fact = worst(fact, instantRetype(from, to) ? INSTANT : COPY)
  // A nullability change in place converts with the default, which InnoDB can do only for a constant one ("cannot
  // convert NULL to non-constant DEFAULT"), either way.
  const expression =
    [from.default, to.default].some((d) => d !== undefined && !isConstant(d.sql)) ||
    from.onUpdate !== undefined ||
    to.onUpdate !== undefined
  if (from.nullable !== to.nullable) fact = worst(fact, expression ? COPY : INPLACE_REBUILD)
  if (to.identity !== undefined && from.identity === undefined) fact = worst(fact, COPY)
  if (!deepEqual(from.generated, to.generated)) fact = worst(fact, COPY)
  return fact
}
