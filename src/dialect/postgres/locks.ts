/**
 * Lock facts for the statements the PostgreSQL planner emits: which table-level lock each takes,
 * and what that lock blocks for applications (DML). Sources: the table of lock modes and the
 * commands that take them, https://www.postgresql.org/docs/current/explicit-locking.html, and the
 * "Notes" of each command's page (ALTER TABLE names the lock of every subcommand). The squawk
 * oracle in shared/corpus/squawk/lock-kinds agrees with every row below.
 */
import type { Lock } from '../../plan/step.js'
import type { QualifiedName } from '../../schema/model.js'
import { nameKey } from '../../schema/name.js'

/** The table-level lock modes, in PostgreSQL's words. */
export type PgLockMode =
  | 'ACCESS SHARE'
  | 'ROW SHARE'
  | 'ROW EXCLUSIVE'
  | 'SHARE UPDATE EXCLUSIVE'
  | 'SHARE'
  | 'SHARE ROW EXCLUSIVE'
  | 'EXCLUSIVE'
  | 'ACCESS EXCLUSIVE'

/**
 * What each mode blocks for applications. SELECT takes ACCESS SHARE and INSERT/UPDATE/DELETE take
 * ROW EXCLUSIVE, so a mode blocks reads when it conflicts with ACCESS SHARE (only ACCESS EXCLUSIVE
 * does) and writes when it conflicts with ROW EXCLUSIVE (SHARE and stronger).
 */
export const lockBlocks: Readonly<Record<PgLockMode, Lock['blocks']>> = {
  'ACCESS SHARE': 'nothing',
  'ROW SHARE': 'nothing',
  'ROW EXCLUSIVE': 'nothing',
  'SHARE UPDATE EXCLUSIVE': 'nothing',
  SHARE: 'writes',
  'SHARE ROW EXCLUSIVE': 'writes',
  EXCLUSIVE: 'writes',
  'ACCESS EXCLUSIVE': 'readsAndWrites',
}

/** The kinds of statement the planner emits, by the lock they take. */
export type StatementKind = keyof typeof statementLocks

/**
 * The lock each kind of statement takes on the tables it names. `null`: no lock on any existing
 * table (the statement creates a new object, or touches a type, namespace or extension).
 */
export const statementLocks = {
  /** CREATE TABLE/TYPE/SEQUENCE/SCHEMA/EXTENSION/VIEW, DROP TYPE/SCHEMA/EXTENSION, ALTER TYPE. */
  catalogOnly: null,
  /** Most ALTER TABLE forms: ADD/DROP COLUMN, ALTER COLUMN TYPE/DEFAULT/NOT NULL/IDENTITY, ADD CHECK/PRIMARY KEY/UNIQUE, DROP CONSTRAINT, RENAME, SET LOGGED. */
  alterTable: 'ACCESS EXCLUSIVE',
  /** DROP TABLE, DROP VIEW, DROP MATERIALIZED VIEW, DROP SEQUENCE. */
  dropRelation: 'ACCESS EXCLUSIVE',
  /** CREATE INDEX: SHARE allows reads, blocks writes while the index builds. */
  createIndex: 'SHARE',
  /** CREATE INDEX CONCURRENTLY: SHARE UPDATE EXCLUSIVE blocks no DML; it cannot run in a transaction block. */
  createIndexConcurrently: 'SHARE UPDATE EXCLUSIVE',
  /** DROP INDEX: ACCESS EXCLUSIVE on the table. */
  dropIndex: 'ACCESS EXCLUSIVE',
  /** DROP INDEX CONCURRENTLY waits for transactions using the index instead of blocking them. */
  dropIndexConcurrently: 'SHARE UPDATE EXCLUSIVE',
  /** ADD FOREIGN KEY: SHARE ROW EXCLUSIVE on both the referencing and the referenced table. */
  addForeignKey: 'SHARE ROW EXCLUSIVE',
  /** Dropping a foreign key removes triggers on both tables, which takes ACCESS EXCLUSIVE on each. */
  dropForeignKey: 'ACCESS EXCLUSIVE',
  /** VALIDATE CONSTRAINT: SHARE UPDATE EXCLUSIVE (and ROW SHARE on a referenced table). */
  validateConstraint: 'SHARE UPDATE EXCLUSIVE',
  /** COMMENT ON a table, column or constraint. */
  comment: 'SHARE UPDATE EXCLUSIVE',
  /** ALTER SEQUENCE blocks concurrent nextval() until it commits. */
  alterSequence: 'SHARE ROW EXCLUSIVE',
  /** CREATE MATERIALIZED VIEW reads (scans) the relations it selects from. */
  readRelations: 'ACCESS SHARE',
} as const satisfies Record<string, PgLockMode | null>

/** Relations whose locks block nobody: those created in the same plan, which no application uses yet. */
export interface LockScope {
  readonly created: ReadonlySet<string>
}

/**
 * The scope of a drop: what a plan drops exists before it, also when the plan creates it again (a recreation), so
 * its drop blocks the sessions using it even though its name is in the plan's `created` set.
 */
export const existingBeforePlan: LockScope = { created: new Set() }

/**
 * The Lock a statement of `kind` takes on `relations`. Relations created earlier in the same plan
 * are left out, since no other session can be using them; when none is left the step blocks nothing.
 */
export function lockFor(kind: StatementKind, relations: readonly QualifiedName[], scope: LockScope): Lock {
  const mode = statementLocks[kind]
  const on = relations.filter((name) => !scope.created.has(nameKey(name)))
  if (mode === null) return { mode: 'none', blocks: 'nothing', on: [] }
  const created = relations.filter((name) => scope.created.has(nameKey(name)))
  return {
    mode,
    blocks: on.length === 0 ? 'nothing' : lockBlocks[mode],
    on,
    ...(created.length > 0 ? { created } : {}),
  }
}

/** No lock on any existing table. */
export const noLock: Lock = { mode: 'none', blocks: 'nothing', on: [] }
