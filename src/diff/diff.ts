import type { IndexColumnNames, ReadReferences } from '../plan/phase-sql.js'
import type { Schema } from '../schema/model.js'
import { nameKey } from '../schema/name.js'
import type { Change, DiffResult, Rename } from './change.js'
import { desugarSerialConflicts } from './desugar-serial.js'
import { diffRoutineObjects } from './diff-routines.js'
import { diffRules } from './diff-rules.js'
import { diffCollations, diffSecurity } from './diff-security.js'
import { diffTables } from './diff-tables.js'
import { diffEnums, diffExtensions, diffNamespaces, diffSequences } from './diff-types.js'
import { diffViews, mergeTaints } from './diff-views.js'
import { refuseDomainsInUse } from './domain-users.js'
import { withEnumDependents } from './enum-dependents.js'
import { pairRenames } from './pair-renames.js'
import { refusePartitionKeyTypes } from './partition-key-types.js'
import { renameQuestions } from './rename-questions.js'
import { applyRenames } from './renames.js'
import { type NameSpelling, undeclaredSpelling } from './serial-default.js'
import { noTableHierarchy, type TableHierarchy } from './table-hierarchy.js'

/**
 * Options of `diff`: what the differ asks of the target dialect. A `Dialect` is one (`diff(from, to, [], dialect)`).
 */
export type DiffOptions = DiffSpelling & {
  /**
   * How the target dialect's tables descend from others (`Dialect.tableHierarchy`: PostgreSQL's partitions and
   * INHERITS), which decides the tables recreated, attached and detached. Without it, every table stands alone and
   * its `ext` is compared whole, as table options.
   */
  readonly tableHierarchy?: TableHierarchy
  /**
   * The dialect's reader of expressions and view queries (`PhaseSql.references`, prepared first), which finds what
   * names an enum that changes values only in a cast (diff/enum-dependents.ts). Without it those are not found, and
   * recreating the enum fails on DROP TYPE while they exist. Not part of a `Dialect`: a command that diffs schemas
   * whose enums change values loads the parser and passes it (cli/diff-options.ts).
   */
  readonly references?: ReadReferences
  /**
   * The dialect's namer of an index's columns (`PhaseSql.indexColumnNames`, prepared first), with which a new
   * expression index on a partitioned table gets the online form: its partitions' copies named as the server names
   * them (change.ts `columnNames`). Without it such an index keeps the direct CREATE INDEX on the partitioned table.
   */
  readonly indexColumnNames?: IndexColumnNames
}

/**
 * How the target dialect spells the names in the defaults the differ writes itself (a serial's `nextval`, as a
 * partition or INHERITS child holds it once detached): its one quoter and its default namespace (`Dialect.quoteIdent`,
 * `Dialect.defaultNamespace`), both or neither. The spelling must be the server's, or an introspected default
 * compares as a change. With neither, PostgreSQL's spelling less its keyword list (serial-default.ts).
 */
type DiffSpelling = NameSpelling | { readonly quoteIdent?: never; readonly defaultNamespace?: never }

/**
 * Diffs two schemas, both already normalised by the same dialect: the changes that turn `from` into `to`, and the
 * rename questions a person must answer first. Pure and synchronous; the output is deterministic (objects in name
 * order, grouped by kind), but the planner decides the execution order.
 *
 * Renames are never guessed: they come from `renamedFrom` hints in `to` and from `renames` (answers to earlier
 * questions). They are emitted first (`renameTable`, also for views, then `renameColumn`), and every other change
 * names objects by their names AFTER all renames, so the planner should run renames before the changes that use the
 * new names. The exception: a renamed view that must be recreated is not renamed but dropped under its old name.
 *
 * Objects are matched by name; columns by name, never by position. Drops carry the whole dropped object (as it is
 * after the renames), so the planner can write the reverse without looking anything up.
 *
 * @example
 * const { changes, questions } = diff(introspected, declared, [], dialect)
 * if (questions.length > 0) throw new KeelError('AMBIGUOUS_RENAME', ...) // or ask, then diff(from, to, answers)
 */
export function diff(
  from: Schema,
  target: Schema,
  renames: readonly Rename[] = [],
  options: DiffOptions = {},
): DiffResult {
  const spelling: NameSpelling =
    options.quoteIdent === undefined
      ? undeclaredSpelling
      : { quoteIdent: options.quoteIdent, defaultNamespace: options.defaultNamespace }
  const hierarchy = options.tableHierarchy ?? noTableHierarchy
  const renamed = applyRenames(from, target, renames, { spelling, hierarchy })
  const [before, to] = desugarSerialConflicts(renamed.from, target, spelling)
  const enums = diffEnums(before, to)
  const tables = diffTables(before, to, enums.tainted, {
    spelling,
    hierarchy,
    ...(options.indexColumnNames === undefined ? {} : { indexColumnNames: options.indexColumnNames }),
  })
  refusePartitionKeyTypes(before, tables.changes, hierarchy)
  const tainted = mergeTaints(tables.tainted, enums.tainted, renamed.renamedColumns)
  const views = diffViews(before, to, tainted, renamed.renamedViews)
  const renameChanges = renamed.changes.filter(
    (change) => !(change.kind === 'renameTable' && views.cancelledRenames.has(nameKey(change.to))),
  )
  const sequences = diffSequences(before, to)
  const routines = diffRoutineObjects(
    before,
    to,
    renamed.changes,
    [...tables.changes, ...views.changes],
    enums.recreated,
    enums.tainted,
  )
  const changes: Change[] = [
    ...diffNamespaces(before, to),
    ...diffExtensions(before, to),
    ...diffCollations(before, to),
    ...enums.changes,
    ...sequences,
    ...renameChanges,
    ...tables.changes,
    ...views.changes,
    ...diffRules(before, to, tainted, views.changes),
    ...routines,
    ...diffSecurity(before, to, [...sequences, ...tables.changes, ...views.changes], enums.tainted),
  ]
  refuseDomainsInUse(before, to, changes)
  return {
    changes: withEnumDependents(pairRenames(changes), before, hierarchy, options.references),
    questions: renameQuestions(before, to),
  }
}
