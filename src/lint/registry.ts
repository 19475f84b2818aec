import type { Rule } from './rule.js'
import { banAlterColumnType } from './rules/ban-alter-column-type.js'
import { banDropColumn } from './rules/ban-drop-column.js'
import { banDropTable } from './rules/ban-drop-table.js'
import { banRenameColumn } from './rules/ban-rename-column.js'
import { banRenameTable } from './rules/ban-rename-table.js'
import { banUnusedLintIgnore } from './rules/ban-unused-lint-ignore.js'
import { requireConcurrentIndex } from './rules/require-concurrent-index.js'
import { requireDefaultForNotNullColumn } from './rules/require-default-for-not-null-column.js'
import { requireDown } from './rules/require-down.js'
import { requireLintIgnoreReason } from './rules/require-lint-ignore-reason.js'
import { requireNoTransactionDirective } from './rules/require-no-transaction-directive.js'
import { requireNotValidCheck } from './rules/require-not-valid-check.js'
import { requireNotValidForeignKey } from './rules/require-not-valid-foreign-key.js'

/** Every lint rule, one line each, in the order `keel lint --rules` lists them. */
export const allRules: readonly Rule[] = [
  banAlterColumnType,
  banDropColumn,
  banDropTable,
  banRenameColumn,
  banRenameTable,
  banUnusedLintIgnore,
  requireConcurrentIndex,
  requireDefaultForNotNullColumn,
  requireDown,
  requireLintIgnoreReason,
  requireNoTransactionDirective,
  requireNotValidCheck,
  requireNotValidForeignKey,
]
