import type { QualifiedName } from './qualified-name.js'

export interface PrimaryKey {
  readonly name: string
  readonly columns: readonly string[]
  readonly deferrable?: Deferrable
  /**
   * SQLite: the name the CREATE TABLE gives it (`CONSTRAINT [PK_Album] PRIMARY KEY`), which SQLite keeps only in that
   * text; `name` stays the default name, by which constraints are matched. Compared only when both sides state one: a
   * source that names no constraint does not differ from a database that does.
   */
  readonly declaredName?: string
  /** SQLite `ON CONFLICT REPLACE|IGNORE|FAIL|ROLLBACK`; omitted for the default (ABORT). */
  readonly onConflict?: ConflictResolution
}

/**
 * SQLite's conflict resolution of a constraint (`UNIQUE (x) ON CONFLICT REPLACE`): what an INSERT or UPDATE that
 * violates it does when the statement names none. ABORT is the default and is never stated in the model.
 */
export type ConflictResolution = 'ROLLBACK' | 'FAIL' | 'IGNORE' | 'REPLACE'

/** An exclusion constraint (`EXCLUDE USING gist (c WITH &&)`), kept as the server prints it. */
export interface Exclusion {
  readonly name: string
  /** `pg_get_constraintdef` without its DEFERRABLE / INITIALLY suffixes: `EXCLUDE USING gist (c WITH &&) WHERE (...)`. */
  readonly definition: string
  readonly deferrable?: Deferrable
  readonly comment?: string
}

export interface Deferrable {
  readonly initiallyDeferred: boolean
}

export interface UniqueConstraint {
  readonly name: string
  readonly columns: readonly string[]
  /** PostgreSQL 15+: `UNIQUE NULLS NOT DISTINCT` */
  readonly nullsNotDistinct?: true
  readonly deferrable?: Deferrable
  /** SQLite: the name its CREATE TABLE gives it; see PrimaryKey.declaredName. */
  readonly declaredName?: string
  /** SQLite `ON CONFLICT ...`; omitted for the default (ABORT). */
  readonly onConflict?: ConflictResolution
  readonly comment?: string
}

export type ReferentialAction = 'NO ACTION' | 'RESTRICT' | 'CASCADE' | 'SET NULL' | 'SET DEFAULT'

export interface ForeignKey {
  readonly name: string
  readonly columns: readonly string[]
  readonly references: { readonly table: QualifiedName; readonly columns: readonly string[] }
  readonly onDelete: ReferentialAction
  readonly onUpdate: ReferentialAction
  /** `MATCH FULL`; omitted for the default `MATCH SIMPLE`. */
  readonly matchFull?: true
  readonly deferrable?: Deferrable
  /** Added `NOT VALID` and never validated: rows that were there before it are not known to satisfy it. */
  readonly notValid?: true
  /** SQLite: the name its CREATE TABLE gives it; see PrimaryKey.declaredName. */
  readonly declaredName?: string
  readonly comment?: string
}

export interface Check {
  readonly name: string
  /** The boolean expression, without the surrounding `CHECK (...)`, as the server prints it. */
  readonly expr: string
  readonly noInherit?: true
  /** Added `NOT VALID` and never validated (as a production schema keeps a check it validates later). */
  readonly notValid?: true
  /** SQLite `CHECK (...) ON CONFLICT ...` on a table constraint: SQLite parses it and keeps the text, nothing more. */
  readonly onConflict?: ConflictResolution
  readonly comment?: string
  /**
   * MariaDB's column-level check (`a int CHECK (a > 0)`): part of the column's definition, which carries it
   * through renames and drops it with the column; a MODIFY COLUMN that does not restate it removes it.
   */
  readonly column?: string
}
