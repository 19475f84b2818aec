import type { Connection } from '../db/connection.js'
import type { Change } from '../diff/change.js'
import type { PhaseSql } from '../plan/phase-sql.js'
import type { Policy } from '../plan/policy.js'
import type { Plan } from '../plan/step.js'
import type { Schema } from '../schema/model.js'
import type { DialectName } from './registry.js'

/** What a dialect can do; the planner and runner ask these instead of testing the dialect's name. */
export interface Capabilities {
  readonly transactionalDdl: boolean
  readonly concurrentIndex: boolean
  readonly notValidConstraints: boolean
  readonly instantAddColumn: boolean
  readonly alterColumn: 'alter' | 'rebuildTable'
  readonly schemas: boolean
}

export interface IntrospectOptions {
  /** Only these namespaces (default: every namespace that is not a system one). */
  readonly namespaces?: readonly string[]
  /** Namespaces to leave out. */
  readonly excludeNamespaces?: readonly string[]
  /** Tables to leave out (Keel's own journal table, for one). */
  readonly excludeTables?: readonly string[]
}

/** Everything dialect-specific behind one object; only `introspect` does IO. */
export interface Dialect {
  readonly name: DialectName
  readonly capabilities: Capabilities
  /** The namespace unqualified names live in (`public`), or undefined where there are none. */
  readonly defaultNamespace: string | undefined
  quoteIdent(name: string): string
  quoteLiteral(value: string): string
  /** Rewrites a schema into the dialect's canonical spelling (default namespace filled in, aliases resolved, order fixed). */
  normalize(schema: Schema): Schema
  plan(changes: readonly Change[], policy: Policy): Plan
  introspect(conn: Connection, options?: IntrospectOptions): Promise<Schema>
  /** The SQL of expand/contract phases (sync triggers, backfills); without it `generate` writes one migration. */
  readonly phaseSql?: PhaseSql
}
