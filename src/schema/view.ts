import type { Privilege } from './privilege.js'
import type { QualifiedName } from './qualified-name.js'
import type { Index } from './table-index.js'

export interface View {
  readonly name: QualifiedName
  /** The SELECT, as the server prints it back. */
  readonly definition: string
  /** SQLite `CREATE VIEW v (a, b) AS ...`: the view's column names, given apart from the SELECT; omitted when none. */
  readonly columns?: readonly string[]
  readonly materialized: boolean
  /** MySQL `SQL SECURITY INVOKER`: the view reads with its caller's privileges, not its definer's (the default). */
  readonly securityInvoker?: true
  /** Relations (tables and views) the definition reads, so that the planner can order drops and creates. */
  readonly dependsOn: readonly QualifiedName[]
  /** Indexes on a materialized view. */
  readonly indexes: readonly Index[]
  readonly comment?: string
  readonly renamedFrom?: QualifiedName
  /** `GRANT ... ON TABLE` on the view; omitted when none is granted. */
  readonly privileges?: readonly Privilege[]
}

/** A rewrite rule on a table or view. */
export interface Rule {
  readonly name: string
  /** The relation the rule is attached to. */
  readonly table: QualifiedName
  /** The whole `CREATE RULE ...` statement as `pg_get_ruledef(oid, true)` prints it, without the final semicolon. */
  readonly definition: string
  /** Relations the rule's actions and condition read or write besides its own table; they order the plan. */
  readonly dependsOn: readonly QualifiedName[]
  readonly comment?: string
}
