/**
 * Keel's library API: everything the CLI does is a function here. The schema DSL is `keel/schema`.
 *
 * @example
 * ```ts
 * import { diff, getDialect, loadSchemaSource, safePolicy } from 'keel'
 * const from = await loadSchemaSource('postgres://localhost/app', { cwd: process.cwd() })
 * const to = await loadSchemaSource('schema.ts', { cwd: process.cwd(), near: 'postgres://localhost/app' })
 * const dialect = getDialect(from.dialect)
 * const plan = dialect.plan(diff(from.schema, to.schema, [], dialect).changes, safePolicy)
 * ```
 */
export type { KeelConfig, ResolvedConfig } from './config/config.js'
export { defineConfig } from './config/config.js'
export { loadConfig } from './config/load-config.js'
export type { Connection } from './db/connection.js'
export { openDatabase } from './db/open.js'
export { createScratchDatabase, type ScratchDatabase } from './db/scratch.js'
export { redactUrl } from './db/url.js'
export type { Capabilities, Dialect, IntrospectOptions } from './dialect/dialect.js'
export { type DialectName, getDialect } from './dialect/registry.js'
export type { Change, ColumnAspect, DiffResult, Rename, RenameQuestion } from './diff/change.js'
export { type DiffOptions, diff } from './diff/diff.js'
export { type ErrorCode, errorCodes, isKeelError, KeelError } from './errors.js'
export { baseline } from './migrate/baseline.js'
export type { MigrationDb } from './migrate/module-migration.js'
export { readStatus } from './migrate/read-status.js'
export { replayMigrations } from './migrate/replay.js'
export { reset } from './migrate/reset.js'
export { resolve } from './migrate/resolve.js'
export { rollback } from './migrate/rollback.js'
export { migrate } from './migrate/runner.js'
export { runSeeds } from './migrate/seed.js'
export { directPolicy, type Policy, safePolicy } from './plan/policy.js'
export { isReversible, isTransactional, type Lock, type Plan, reversePlan, type Step } from './plan/step.js'
export type * from './schema/model.js'
export { emptySchema } from './schema/model.js'
export { printSchemaModule } from './schema/print-ts.js'
export { applyPlan } from './source/apply-plan.js'
export { classifySource, type LoadedSource, loadSchemaSource } from './source/load-source.js'
