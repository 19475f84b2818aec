import type { Connection } from '../db/connection.js'
import type { Change } from '../diff/change.js'
import type { TableHierarchy } from '../diff/table-hierarchy.js'
import type { KnexDialect } from '../interop/import/knex/knex-client.js'
import type { ViewColumns } from '../interop/kysely/print-kysely.js'
import type { ForeignPrinters } from '../interop/print/foreign-printers.js'
import type { DialectTraits, LiveFacts, Rule } from '../lint/rule.js'
import type { ServerSyntax, StatementParser } from '../lint/sql/parse-dialect.js'
import type { Node } from '../lint/sql/tree.js'
import type { PhaseSql } from '../plan/phase-sql.js'
import type { Policy } from '../plan/policy.js'
import type { Plan } from '../plan/step.js'
import type { Schema } from '../schema/model.js'
import type { DrizzleDialectHook } from '../source/drizzle/drizzle-runtime.js'
import type { PrismaProvider } from '../source/prisma/provider.js'
import type { ProjectTemplate } from './project-template.js'
import type { RunnerHooks } from './runner.js'
import type { DialectName } from './runtimes.js'

/**
 * What a dialect can do, read where it decides something: a capability nobody reads is deleted
 * rather than declared (the planner of each dialect knows its own SQL; these are for shared code).
 */
export interface Capabilities {
  /** DDL runs inside a transaction and rolls back with it (PostgreSQL, SQLite; not MySQL). */
  readonly transactionalDdl: boolean
  /** Objects live in namespaces (`CREATE SCHEMA`): the journal's namespace is created and kept out of comparisons. */
  readonly schemas: boolean
  /**
   * Migration files are SQL that Keel's lint rules read (they parse with PostgreSQL's parser and ask a
   * PostgreSQL catalog for live facts); where not, `keel migrate` does not lint before it runs.
   */
  readonly sqlLint: boolean
}

export interface IntrospectOptions {
  /** Only these namespaces (default: every namespace that is not a system one). */
  readonly namespaces?: readonly string[]
  /** Namespaces to leave out. */
  readonly excludeNamespaces?: readonly string[]
  /** Tables to leave out (Keel's own journal table, for one). */
  readonly excludeTables?: readonly string[]
  /** Also list what Keel does not model, in `Schema.unmanaged` (one more catalog query; `inspect` and `diff` ask). */
  readonly unmanaged?: boolean
  /**
   * The caller holds no transaction on the connection and allows a second session of introspection's own: a large
   * PostgreSQL catalog is then read on both at once, in one snapshot (see postgres/catalog-read.ts).
   */
  readonly parallel?: boolean
}

/** The whole schemas a plan leads from and to. */
export interface PlanSchemas {
  readonly from: Schema
  readonly to: Schema
}

/** A throw-away database: loaded, introspected, then dropped. */
export interface ScratchDatabase {
  readonly url: string
  readonly conn: Connection
  /** Closes the connection and drops the database. Safe to call twice. */
  dispose(): Promise<void>
}

/**
 * How lint reads a dialect's hand-written SQL (lint/sql/parse-dialect.ts, lint/lint-migration.ts), beyond the rules'
 * common parse tree.
 */
export interface LintSqlHooks {
  /** The dialect's own parser of one statement (MySQL's grammar, SQLite itself), loaded on demand. */
  readonly parser?: { load(): Promise<StatementParser> }
  /** The live server as the judge of a statement the parser refuses (MySQL: PREPARE). Absent: the refusal stands. */
  serverSyntax?(conn: Pick<Connection, 'exec'>): ServerSyntax
  /** What ADD COLUMN ... NOT NULL without a DEFAULT does here (see DialectTraits). Absent: `fails-with-rows`. */
  readonly notNullColumnWithoutDefault?: DialectTraits['notNullColumnWithoutDefault']
  /**
   * The rules' common parse tree (lint/sql/tree.ts) of a statement written for another dialect, where this dialect's
   * grammar reads it alike; undefined where it reads something else or nothing. `byte` is the statement's UTF-8
   * offset in its file. Only the dialect the tree belongs to has it (runtimes.ts: `lintTreeDialect`).
   */
  borrowTree?(sql: string, byte: number): Promise<{ readonly node: Node; readonly kind: string } | undefined>
  /** The namespace the parse tree's built-in types live in (DialectTraits.builtinTypes); the tree's dialect only. */
  readonly builtinTypes?: string
}

/**
 * The light half of a dialect: what the runner and commands ask without planning or introspecting
 * (names, quoting, capabilities, scratch databases). It loads without the planner, so that `keel status`
 * and `keel migrate` start fast; {@link Dialect} adds the rest.
 */
export interface DialectRuntime {
  readonly name: DialectName
  /** The database's name as users know it, in messages ("PostgreSQL refuses ..."). */
  readonly title: string
  readonly capabilities: Capabilities
  /** The namespace unqualified names live in (`public`), or undefined where there are none. */
  readonly defaultNamespace: string | undefined
  /** The one identifier quoter of the dialect. */
  quoteIdent(name: string): string
  quoteLiteral(value: string): string
  /**
   * A scratch database for normalising declared schemas and replaying migrations, beside the database
   * `url` names (a temporary database on the same server, so that both sides of a comparison are read by
   * the same server version), or an embedded one.
   */
  createScratch(url: string, prefix: string): Promise<ScratchDatabase>
  /**
   * Whether scratch databases go beside a database of this dialect. False where they would be what no
   * URL at all gives (PGlite: an in-memory PGlite), so that a server named elsewhere is preferred.
   */
  readonly scratchBeside: boolean
  /**
   * Where a schema declared for this dialect (a Drizzle sqliteTable module, a Prisma datasource) is normalised,
   * given the database URL it is compared with (`near`): a URL, or undefined for the default scratch database.
   * Throws UNSUPPORTED when no database that can normalise it is at hand (`src` and `what` name it). Absent: `near`.
   */
  declaredScratch?(near: string | undefined, src: string, what: string): string | undefined
  /** What `keel init --dialect NAME` writes; a dialect without one is not offered there. */
  readonly projectTemplate?: ProjectTemplate
  /**
   * Introspection loaded alone, without the planner and renderers the full {@link Dialect} brings: reading a
   * database (keel inspect, every URL source) then starts faster. Absent: the registry's full dialect introspects.
   */
  introspect?(conn: Connection, options?: IntrospectOptions): Promise<Schema>
  /**
   * The Prisma datasource providers this dialect serves (`postgresql`, `postgres`: the first is the one named in
   * messages) and their mapping (types, defaults, name lengths), loaded only when a Prisma schema is read.
   */
  readonly prisma?: { readonly providers: readonly string[]; load(): Promise<PrismaProvider> }
  /**
   * The knex client that writes this dialect's SQL, for converting knex migrations (`keel import --from knex`), loaded
   * only then. Absent: knex migrations are not converted for this dialect.
   */
  readonly knex?: { load(): Promise<KnexDialect> }
  /** How a Drizzle schema module of this dialect's tables is read (a `.ts` source of pgTable()s...). Absent: it is not. */
  readonly drizzle?: DrizzleDialectHook
  /**
   * How `keel inspect --format prisma|drizzle` prints a schema of this dialect (its Prisma provider, its drizzle-orm
   * core), loaded on demand. Absent: the dialect has no such printers.
   */
  readonly printers?: { load(): Promise<ForeignPrinters> }
  /**
   * The columns of a schema's views as this dialect's database holds them (types, nullability), for `keel inspect
   * --format kysely`, loaded on demand. Absent: the views of this dialect are not typed.
   */
  readonly viewColumns?: { load(): Promise<(conn: Connection, schema: Schema) => Promise<ViewColumns>> }
  /**
   * What lint rules may use from a live database of this dialect (table sizes, server version, column types),
   * loaded on demand. Absent: no facts, and the rules assume the worst.
   */
  lintFacts?(conn: Connection): Promise<LiveFacts>
  /** How lint reads this dialect's SQL beyond the rules' common parse tree. Absent: by that tree's parser alone. */
  readonly lintSql?: LintSqlHooks
  /**
   * Lint rules of this dialect alone, kept in its folder (`lint-rules/<id>.ts` with its test): lint/registry.ts lists
   * them after the shared rules, so `keel lint`, its `--rules`, the checklist and the doc pages find them. Each names
   * the dialect in its `dialects`, so it runs on no other.
   */
  readonly lintRules?: readonly Rule[]
  /** What the migration runner asks of the dialect (lock, journal, statements, errors, wipe). */
  readonly runner: RunnerHooks
  /**
   * The whole dialect this is the light half of (planner, normaliser, introspection), loaded on first use: a command
   * on one dialect then loads neither the registry nor the other dialects (runtimes.ts: `loadDialect`).
   */
  loadDialect(): Promise<Dialect>
  /**
   * How many locks one transaction may take on this server without exhausting what it shares with every other
   * session, or undefined where there is no such limit. Plans longer than that are applied in several transactions.
   */
  readonly transactionLockBudget?: (conn: Connection) => Promise<number>
}

/** Everything dialect-specific behind one object; only `introspect` (and the runtime's hooks) do IO. */
export interface Dialect extends DialectRuntime {
  /** Rewrites a schema into the dialect's canonical spelling (default namespace filled in, aliases resolved, order fixed). */
  normalize(schema: Schema): Schema
  /**
   * Plans `changes`. `schemas`, the whole schemas the changes lead from and to, are for dialects that
   * rebuild tables (SQLite writes the new table whole); PostgreSQL reads only the user's functions (whether a
   * column default calling one rewrites the table), and without them takes such a default for volatile.
   */
  plan(changes: readonly Change[], policy: Policy, schemas?: PlanSchemas): Plan
  introspect(conn: Connection, options?: IntrospectOptions): Promise<Schema>
  /** The SQL of expand/contract phases (sync triggers, backfills); without it `generate` writes one migration. */
  readonly phaseSql?: PhaseSql
  /**
   * How tables descend from others here (partitions, INHERITS), for the differ (`DiffOptions.tableHierarchy`: a
   * Dialect is passed to `diff()` whole). Absent: tables never do.
   */
  readonly tableHierarchy?: TableHierarchy
}
