import type { DialectName } from '../dialect/runtimes.js'
import type { Step } from '../plan/step.js'
import type { ChecklistGroup } from './checklist.js'
import type { NameLookup } from './names-so-far.js'
import type { ParsedStatement } from './sql/parse.js'
import type { Node } from './sql/tree.js'

/** How bad a finding is: `error` fails `keel lint` and stops `keel migrate`; `warning` and `info` only inform. */
export type Severity = 'error' | 'warning' | 'info'

/** Where a finding points: a file and a 1-based line and column (in characters). */
export interface Location {
  readonly file: string
  readonly line: number
  readonly column: number
}

/**
 * A Finding is one thing a rule found: what happens (`message`), what to do instead (`hint`), and where.
 * `rule` is the rule id (`require-concurrent-index`), stable across versions.
 */
export interface Finding extends Location {
  readonly rule: string
  readonly severity: Severity
  readonly message: string
  readonly hint: string
  /** The statement the finding is about, as written (for code frames); absent for a finding about a whole file. */
  readonly sql?: string
  /** 1-based line where that statement starts. */
  readonly statementLine?: number
}

/** What a rule reports; the engine adds the rule id, severity and location. */
export interface Report {
  readonly message: string
  /** The safe alternative; the rule's `help` when absent. */
  readonly hint?: string
  /** Byte offset in the file of the node to point at (libpg_query's `location`); the statement start when absent. */
  readonly at?: number | undefined
  /** A severity other than the rule's (context lowers or raises it: a blocking index on an empty table is fine). */
  readonly severity?: Severity
}

/** How big an existing table is, as far as Keel knows: `new` when this migration created it. */
export type TableSize = 'new' | 'empty' | 'small' | 'large' | 'unknown'

/** What the engine knows about the live database (`keel lint --url`); empty means assume the worst. */
export interface LiveFacts {
  /** PostgreSQL's server_version_num, e.g. 150004. */
  readonly serverVersion?: number
  /** Estimated rows and bytes of each table, by key (see {@link relationKey}); a table not listed does not exist. */
  readonly tables?: ReadonlyMap<string, { readonly rows: number; readonly bytes: number }>
  /** Columns that views read, by table key: column names, for rules about dropping or renaming them. */
  readonly viewColumns?: ReadonlyMap<string, readonly { readonly view: string; readonly column: string }[]>
  /** Column types as the server prints them (`character varying(20)`), by `table key` + `.` + column. */
  readonly columnTypes?: ReadonlyMap<string, string>
  /** Each table's B-tree indexes (primary key included), by table key: each index's columns in order, lowercase. */
  readonly indexes?: ReadonlyMap<string, readonly (readonly string[])[]>
  /**
   * Columns a validated CHECK (col IS NOT NULL) already proves, by `table key` + `.` + column: SET NOT NULL on them
   * scans nothing (PostgreSQL 12+). A run that stopped between a generated contract's validation and its SET NOT NULL
   * finds the check here when it runs again.
   */
  readonly notNullChecked?: ReadonlySet<string>
  /**
   * Each partitioned table's leaf partitions (those that hold rows, at any depth), by table key: an index created on a
   * partitioned table alone (ON ONLY) builds nothing, and its key added over the columns builds nothing when each leaf
   * already has its own (the server attaches them).
   */
  readonly partitions?: ReadonlyMap<string, readonly string[]>
}

/** One statement as a rule sees it, with its position in the migration and, for a generated step, the step's facts. */
export interface LintStatement {
  readonly parsed: ParsedStatement
  readonly node: Node
  /** The planner's facts when the statement came from a generated plan (lock, rewrite, scan, data loss). */
  readonly step?: Step
}

/**
 * What the dialect's server does where a rule shared by several dialects judges it differently
 * (`DialectRuntime.lintSql`), so that the rule names no dialect.
 */
export interface DialectTraits {
  /** The database's name as users know it, in messages ("SQLite refuses it"). */
  readonly title: string
  /**
   * What ADD COLUMN ... NOT NULL without a DEFAULT does: `fails-with-rows` on a table that has rows (PostgreSQL),
   * `refused` on any table, empty or not (SQLite), `implicit-default`: existing rows get the type's implicit default
   * (MySQL, MariaDB).
   */
  readonly notNullColumnWithoutDefault: 'fails-with-rows' | 'refused' | 'implicit-default'
  /**
   * The namespace unqualified names live in (`DialectRuntime.defaultNamespace`: PostgreSQL's `public`, SQLite's
   * `main`), or undefined where there is none (MySQL): a table qualified by it is keyed by its bare name
   * (sql/ast.ts `relationKey`), as the live facts key it.
   */
  readonly defaultNamespace: string | undefined
  /**
   * The namespace of the parse tree's built-in types (the parser qualifies `integer` with it), from the tree's
   * dialect (`LintSqlHooks.builtinTypes`): a type qualified by another namespace is a user's.
   */
  readonly builtinTypes: string | undefined
  /** The dialect's one identifier quoter, for names a message shows (`"Shop"."Mood"`). */
  readonly quoteIdent: (name: string) => string
}

/** What a rule may ask about the migration around a statement. */
export interface LintContext {
  readonly dialect: DialectName
  readonly traits: DialectTraits
  /** The file being linted (`migrations/2026..._x/up.sql`, or a loose .sql file). */
  readonly file: string
  /** The file's text, comments included (a statement's own text starts at its first keyword). */
  readonly text: string
  /** Whether the statements come from a migration folder run by Keel's runner (transaction per migration). */
  readonly migration: MigrationInfo | undefined
  /** Every statement of the file, in order (for rules that look before or after). */
  readonly statements: readonly LintStatement[]
  /** Index of the statement being checked in `statements`. */
  readonly index: number
  /** Whether the statement runs inside a transaction block with others (explicit BEGIN, or Keel's runner). */
  readonly inTransaction: boolean
  /** Tables created earlier in this migration (by key): anything done to them is safe. */
  readonly createdBefore: NameLookup
  /** Tables on which a migration before this one in the same run validates a constraint (LintOptions.validatedEarlier). */
  readonly validatedBefore: NameLookup
  /** The size class of a table at the time the statement runs. */
  sizeOf(key: string): TableSize
  /**
   * Whether no running release can know the table yet: this migration created it, or the live database does not
   * have it (an earlier pending migration creates it).
   */
  isNew(key: string): boolean
  readonly live: LiveFacts
}

/** A migration folder as the migration-level rules see it. */
export interface MigrationInfo {
  readonly id: string
  readonly noTransaction: boolean
  /** `-- keel:phase`: a contract migration drops what the previous release stopped using, on purpose. */
  readonly phase?: 'expand' | 'backfill' | 'contract'
  /** Whether the folder has a down (down.sql or a module). */
  readonly hasDown: boolean
  readonly upFile: string
}

/**
 * A Rule is one check: its id (equal to its file name and doc page), default severity, the dialects it
 * applies to, the one-line safe alternative, and checks over statements and/or whole migrations.
 */
export interface Rule {
  readonly id: string
  readonly severity: Severity
  readonly dialects: readonly DialectName[] | 'all'
  /** One line: what the rule catches ("CREATE INDEX without CONCURRENTLY on an existing table"). */
  readonly summary: string
  /** Why it matters: what the operation does to a live database and its running application (doc page). */
  readonly why: string
  /** The safe alternative, shown as the hint of every finding that does not give its own. */
  readonly help: string
  /** SQL that the rule flags and the safe form, for its doc page (`docs/rules/ID.md`). */
  readonly examples: { readonly bad: string; readonly good: string }
  /**
   * The checklist items (`keel check`) this rule's findings answer, for a dialect's own rule; the shared rules are
   * listed in checklist.ts's CHECKLIST_RULES instead.
   */
  readonly checklist?: readonly ChecklistGroup[]
  /**
   * The statements checkStatement can report on, by the kind of their parse tree's node (`AlterTableStmt`): lint
   * calls it on those only (a file's statements are mostly of a few kinds, and each call of a generator costs its
   * setting up even when it yields nothing). Undefined: every statement (a rule that reads the text, or a dialect's
   * own parse). registry.test.ts checks, on every rule's examples, that no finding is lost by it.
   */
  readonly statementKinds?: readonly string[]
  checkStatement?(statement: LintStatement, ctx: LintContext): Iterable<Report>
  /** A check of the migration folder as a whole (a missing down, directives). */
  checkMigration?(migration: MigrationInfo, statements: readonly LintStatement[]): Iterable<Report>
}
