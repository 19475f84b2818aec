import type { Connection } from '../db/connection.js'
import type { DialectName } from '../dialect/registry.js'
import { runtimeOf } from '../dialect/runtimes.js'
import type { Change } from '../diff/change.js'
import { KeelError } from '../errors.js'
import { directPolicy, type Policy } from '../plan/policy.js'
import type { Plan } from '../plan/step.js'

const IDENT = Symbol('keel.ident')

/** An identifier to splice into `db.sql` quoted, as made by `db.ident(name)`. */
export interface Identifier {
  readonly [IDENT]: readonly string[]
}

/**
 * The handle a TypeScript migration's `up(db)` / `down(db)` receives. It runs inside the migration's
 * transaction (unless the file starts with `// keel:no-transaction`).
 *
 * @example
 * ```ts
 * import type { MigrationDb } from 'keel'
 * export async function up(db: MigrationDb) {
 *   const rows = await db.sql<{ id: number }>`select id from ${db.ident('users')} where name = ${'ada'}`
 *   await db.exec('alter table users add column nickname text')
 * }
 * export async function down(db: MigrationDb) {
 *   await db.exec('alter table users drop column nickname')
 * }
 * ```
 */
export interface MigrationDb {
  readonly dialect: DialectName
  /** A statement from a template: values become bind parameters, `db.ident(...)` values quoted identifiers. */
  sql<R = Record<string, unknown>>(strings: TemplateStringsArray, ...values: readonly unknown[]): Promise<readonly R[]>
  /** One statement with bind parameters ($1, $2, ...). */
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<readonly R[]>
  /** A script of statements without parameters. */
  exec(sql: string): Promise<void>
  /** A (schema-qualified when given several parts) identifier for `db.sql`. */
  ident(...parts: readonly string[]): Identifier
  /**
   * Plans schema changes with Keel's planner, the one `keel generate` uses, and runs the steps in order.
   * The direct policy by default, since a migration's statements share its transaction; pass `safePolicy`
   * in a `// keel:no-transaction` migration for CONCURRENTLY and NOT VALID + VALIDATE. Returns the plan.
   *
   * @example
   * await db.apply([{ kind: 'createIndex', table: { schema: 'public', name: 'users' },
   *   index: { name: 'users_email_idx', parts: [{ column: 'email' }], unique: true, include: [] } }])
   */
  apply(changes: readonly Change[], policy?: Policy): Promise<Plan>
}

/** What a migration module exports. */
export interface MigrationModule {
  up(db: MigrationDb): Promise<void> | void
  down?(db: MigrationDb): Promise<void> | void
}

/** Wraps a connection as the handle migration modules use. */
export function migrationDb(conn: Connection): MigrationDb {
  return {
    dialect: conn.dialect,
    sql(strings, ...values) {
      const { text, params } = renderTemplate(strings, values, runtimeOf(conn.dialect).quoteIdent)
      return conn.query(text, params)
    },
    query: (sql, params) => conn.query(sql, params),
    exec: (sql) => conn.exec(sql),
    ident: (...parts) => ({ [IDENT]: parts }),
    async apply(changes, policy = directPolicy) {
      // Loaded on first use: the planner would otherwise load with every `keel migrate`, for the few
      // migrations that call apply().
      const { getDialect } = await import('../dialect/registry.js')
      const plan = getDialect(conn.dialect).plan(changes, policy)
      for (const step of plan.steps) await conn.exec(step.sql)
      return plan
    },
  }
}

/** Turns a `db.sql` template into text with $n placeholders and its parameters. */
export function renderTemplate(
  strings: TemplateStringsArray | readonly string[],
  values: readonly unknown[],
  quoteIdent: (name: string) => string,
): { readonly text: string; readonly params: readonly unknown[] } {
  const params: unknown[] = []
  let text = strings[0] ?? ''
  values.forEach((value, i) => {
    if (typeof value === 'object' && value !== null && IDENT in value) {
      text += (value as Identifier)[IDENT].map(quoteIdent).join('.')
    } else {
      params.push(value)
      text += `$${params.length}`
    }
    text += strings[i + 1] ?? ''
  })
  return { text, params }
}

/** Loads a migration module with jiti (TypeScript without a build step) and checks its exports. */
export async function loadMigrationModule(file: string, label: string): Promise<MigrationModule> {
  let mod: Record<string, unknown>
  try {
    // Loaded on first use: jiti is a noticeable part of a cold start, and most runs load no module.
    const { createProjectLoader } = await import('../source/keel-imports.js')
    const jiti = createProjectLoader()
    mod = (await jiti.import(file)) as Record<string, unknown>
  } catch (error) {
    const { describeLoadError } = await import('../source/keel-imports.js')
    throw new KeelError(
      'MIGRATIONS_DIR',
      `${label}: cannot load the module: ${describeLoadError(error)}`,
      'Fix the error in the migration module.',
      { cause: error },
    )
  }
  const up = mod.up
  const down = mod.down
  if (typeof up !== 'function') {
    throw new KeelError(
      'MIGRATIONS_DIR',
      `${label}: does not export a function up(db)`,
      'Export `async function up(db)`.',
    )
  }
  if (down !== undefined && typeof down !== 'function') {
    throw new KeelError('MIGRATIONS_DIR', `${label}: its export down is not a function`)
  }
  return {
    up: up as MigrationModule['up'],
    ...(down === undefined ? {} : { down: down as NonNullable<MigrationModule['down']> }),
  }
}
