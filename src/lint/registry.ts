import { type DialectName, loadedRuntimes, loadRuntime, loadRuntimes } from '../dialect/runtimes.js'
import type { Rule } from './rule.js'
import { banAddExclusionConstraint } from './rules/ban-add-exclusion-constraint.js'
import { banAddStoredGeneratedColumn } from './rules/ban-add-stored-generated-column.js'
import { banAlterColumnType } from './rules/ban-alter-column-type.js'
import { banAlterDomainAddConstraint } from './rules/ban-alter-domain-add-constraint.js'
import { banCharField } from './rules/ban-char-field.js'
import { banCluster } from './rules/ban-cluster.js'
import { banColumnReadByView } from './rules/ban-column-read-by-view.js'
import { banConcurrentInTransaction } from './rules/ban-concurrent-in-transaction.js'
import { banCreateDomainWithConstraint } from './rules/ban-create-domain-with-constraint.js'
import { banDdlWithDml } from './rules/ban-ddl-with-dml.js'
import { banDmlWithImplicitCommit } from './rules/ban-dml-with-implicit-commit.js'
import { banDropCascade } from './rules/ban-drop-cascade.js'
import { banDropColumn } from './rules/ban-drop-column.js'
import { banDropDatabase } from './rules/ban-drop-database.js'
import { banDropNotNull } from './rules/ban-drop-not-null.js'
import { banDropSchema } from './rules/ban-drop-schema.js'
import { banDropTable } from './rules/ban-drop-table.js'
import { banDuplicateColumnAssignment } from './rules/ban-duplicate-column-assignment.js'
import { banEnumAddValueInTransaction } from './rules/ban-enum-add-value-in-transaction.js'
import { banLockTable } from './rules/ban-lock-table.js'
import { banLongIdentifier } from './rules/ban-long-identifier.js'
import { banNestedTransaction } from './rules/ban-nested-transaction.js'
import { banRenameColumn } from './rules/ban-rename-column.js'
import { banRenameEnumValue } from './rules/ban-rename-enum-value.js'
import { banRenameTable } from './rules/ban-rename-table.js'
import { banSetNotNull } from './rules/ban-set-not-null.js'
import { banTableCopy } from './rules/ban-table-copy.js'
import { banTimeoutOff } from './rules/ban-timeout-off.js'
import { banTruncate } from './rules/ban-truncate.js'
import { banUnboundedUpdateDelete } from './rules/ban-unbounded-update-delete.js'
import { banUncommittedTransaction } from './rules/ban-uncommitted-transaction.js'
import { banUnusedLintIgnore } from './rules/ban-unused-lint-ignore.js'
import { banVacuumFull } from './rules/ban-vacuum-full.js'
import { banValidateInSameTransaction } from './rules/ban-validate-in-same-transaction.js'
import { banVolatileDefault } from './rules/ban-volatile-default.js'
import { preferBigintKey } from './rules/prefer-bigint-key.js'
import { preferIdentity } from './rules/prefer-identity.js'
import { preferJsonb } from './rules/prefer-jsonb.js'
import { preferTextField } from './rules/prefer-text-field.js'
import { preferTimestamptz } from './rules/prefer-timestamptz.js'
import { requireConcurrentDropIndex } from './rules/require-concurrent-drop-index.js'
import { requireConcurrentIndex } from './rules/require-concurrent-index.js'
import { requireConcurrentPartitionDetach } from './rules/require-concurrent-partition-detach.js'
import { requireConcurrentReindex } from './rules/require-concurrent-reindex.js'
import { requireDefaultForNotNullColumn } from './rules/require-default-for-not-null-column.js'
import { requireDown } from './rules/require-down.js'
import { requireIndexForForeignKey } from './rules/require-index-for-foreign-key.js'
import { requireLintIgnoreReason } from './rules/require-lint-ignore-reason.js'
import { requireNoTransactionDirective } from './rules/require-no-transaction-directive.js'
import { requireNotValidCheck } from './rules/require-not-valid-check.js'
import { requireNotValidForeignKey } from './rules/require-not-valid-foreign-key.js'
import { requireParsableStatement } from './rules/require-parsable-statement.js'
import { requireUsingIndexForKey } from './rules/require-using-index-for-key.js'
import { requireUtf8mb4 } from './rules/require-utf8mb4.js'

/** The rules shared by the dialects (src/lint/rules/), one line each, in the order `keel lint --rules` lists them. */
export const sharedRules: readonly Rule[] = [
  banAddExclusionConstraint,
  banAddStoredGeneratedColumn,
  banAlterColumnType,
  banAlterDomainAddConstraint,
  banCharField,
  banCluster,
  banColumnReadByView,
  banConcurrentInTransaction,
  banCreateDomainWithConstraint,
  banDdlWithDml,
  banDropCascade,
  banDropColumn,
  banDropDatabase,
  banDropNotNull,
  banDropSchema,
  banDmlWithImplicitCommit,
  banDropTable,
  banDuplicateColumnAssignment,
  banEnumAddValueInTransaction,
  banLockTable,
  banLongIdentifier,
  banNestedTransaction,
  banRenameColumn,
  banRenameEnumValue,
  banRenameTable,
  banSetNotNull,
  banTableCopy,
  banTimeoutOff,
  banTruncate,
  banUnboundedUpdateDelete,
  banUncommittedTransaction,
  banUnusedLintIgnore,
  banVacuumFull,
  banValidateInSameTransaction,
  banVolatileDefault,
  preferBigintKey,
  preferIdentity,
  preferJsonb,
  preferTextField,
  preferTimestamptz,
  requireConcurrentDropIndex,
  requireConcurrentIndex,
  requireConcurrentPartitionDetach,
  requireConcurrentReindex,
  requireDefaultForNotNullColumn,
  requireDown,
  requireIndexForForeignKey,
  requireLintIgnoreReason,
  requireNoTransactionDirective,
  requireNotValidCheck,
  requireNotValidForeignKey,
  requireParsableStatement,
  requireUsingIndexForKey,
  requireUtf8mb4,
]

/**
 * The rules that lint `dialect`'s SQL when told of no others: the shared ones, then its own, from its folder
 * (`DialectRuntime.lintRules`, each naming in its `dialects` only dialects whose runtime lists it). Loads that
 * dialect's runtime alone: a PostgreSQL run loads no MySQL or SQLite module.
 */
export async function loadRulesFor(dialect: DialectName): Promise<readonly Rule[]> {
  const own = (await loadRuntime(dialect)).lintRules ?? []
  return own.length === 0 ? sharedRules : [...sharedRules, ...own]
}

let loadingAll: Promise<readonly Rule[]> | undefined

/**
 * Every lint rule: the shared ones, then each dialect's own (`DialectRuntime.lintRules`), in the order `keel lint
 * --rules` lists them; a rule two dialects share (PGlite's and PostgreSQL's) is listed once. Loads every dialect's
 * runtime (once): a dialect adds a rule without editing this registry.
 */
export function loadAllRules(): Promise<readonly Rule[]> {
  loadingAll ??= loadRuntimes().then((runtimes) => [
    ...sharedRules,
    ...new Set(runtimes.flatMap((runtime) => runtime.lintRules ?? [])),
  ])
  return loadingAll
}

/**
 * The id of every lint rule that any of `named` may be: the shared rules' and those of every dialect loaded so far,
 * and when one of `named` is none of those, every dialect's (loading them all). An ignore comment naming no rule
 * is reported (lint.ts); one naming another dialect's rule is not, so the answer must be exact for the ids named.
 */
export async function ruleIdsFor(named: Iterable<string>): Promise<ReadonlySet<string>> {
  const known = new Set(sharedRules.map((rule) => rule.id))
  for (const runtime of loadedRuntimes()) for (const rule of runtime.lintRules ?? []) known.add(rule.id)
  for (const id of named) {
    if (!known.has(id)) return new Set((await loadAllRules()).map((rule) => rule.id))
  }
  return known
}
