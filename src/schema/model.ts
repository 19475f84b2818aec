/**
 * The schema model: readonly, JSON-serialisable data describing a database schema.
 * No classes, no back-pointers, no IO. Dialects normalise introspected and declared
 * schemas into one spelling so that comparing two schemas is plain structural equality.
 *
 * Optional fields are omitted (never `undefined`) when they hold the dialect's default,
 * so that `{ nullable: true }` and a column that never mentions a default compare equal.
 */

/** A name inside a namespace. `schema` is omitted only where the dialect has no namespaces (SQLite). */
export interface QualifiedName {
  readonly schema?: string
  readonly name: string
}

/** The whole schema of one database (or the part of it Keel manages). */
export interface Schema {
  /** Namespaces Keel creates and drops (PostgreSQL `CREATE SCHEMA`); `public` is implied and never listed. */
  readonly namespaces: readonly Namespace[]
  readonly extensions: readonly Extension[]
  readonly enums: readonly EnumType[]
  readonly sequences: readonly Sequence[]
  readonly tables: readonly Table[]
  readonly views: readonly View[]
  /** PostgreSQL rewrite rules (`CREATE RULE`) on tables and views, other than the `_RETURN` rules of views. */
  readonly rules?: readonly Rule[]
  /** PostgreSQL domains (`CREATE DOMAIN`); absent means none. */
  readonly domains?: readonly Domain[]
  /** Functions, procedures and aggregates; absent means none. */
  readonly routines?: readonly Routine[]
  /** Triggers on tables and views (not the internal ones behind foreign keys); absent means none. */
  readonly triggers?: readonly Trigger[]
  /** PostgreSQL collations (`CREATE COLLATION`) in user namespaces; absent means none. */
  readonly collations?: readonly Collation[]
  /**
   * Objects of the database that Keel does not model (composite types, operators, foreign tables, ...), listed when
   * introspection is asked to (`IntrospectOptions.unmanaged`). The differ never reads this list: what is not modelled
   * is never created, changed or dropped.
   */
  readonly unmanaged?: readonly UnmanagedObject[]
}

/** An object Keel leaves alone: what it is (`composite type`) and its name as `schema.name`. */
export interface UnmanagedObject {
  readonly kind: string
  readonly name: string
}

export interface Namespace {
  readonly name: string
  readonly comment?: string
  /** `GRANT ... ON SCHEMA`; omitted when none is granted (see Privilege). */
  readonly privileges?: readonly Privilege[]
}

/**
 * One privilege granted on an object (`GRANT privilege ON object TO grantee`), as `aclexplode` lists it. Lists of
 * privileges are sorted (grantee, then privilege) and leave out the owner's own privileges, which it holds
 * implicitly (ownership is not modelled), except those revoked from it: an entry with `revoked` names the owner
 * and one privilege it no longer holds. A list is omitted when it is the object's default: empty, except for
 * routines, whose default is `[{ grantee: 'PUBLIC', privilege: 'EXECUTE' }]` (so `privileges: []` on a routine means
 * EXECUTE was revoked from PUBLIC).
 */
export interface Privilege {
  /** A role name, or `PUBLIC` for every role. */
  readonly grantee: string
  /** In the server's words: `SELECT`, `INSERT`, `UPDATE`, `DELETE`, `TRUNCATE`, `REFERENCES`, `TRIGGER`, `USAGE`, ... */
  readonly privilege: string
  /** `WITH GRANT OPTION` */
  readonly grantable?: true
  /** The grantee is the object's owner, and this privilege, implicitly its own, was revoked from it. */
  readonly revoked?: true
}

/** `ALTER TABLE ... ENABLE|FORCE ROW LEVEL SECURITY`; the table's field is omitted when neither is on. */
export interface RowLevelSecurity {
  readonly enabled: boolean
  /** `FORCE ROW LEVEL SECURITY`: the policies apply to the table's owner too. */
  readonly forced?: true
}

/** A row-level security policy on a table (`CREATE POLICY`), identified by its table and name. */
export interface RowPolicy {
  readonly name: string
  /** `AS RESTRICTIVE`; omitted for the default, PERMISSIVE. */
  readonly restrictive?: true
  readonly command: 'ALL' | 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE'
  /** The roles it applies to, sorted; `PUBLIC` for every role. */
  readonly roles: readonly string[]
  /** The `USING` expression as the server prints it, without the surrounding parentheses of the clause. */
  readonly using?: string
  /** The `WITH CHECK` expression, likewise. */
  readonly withCheck?: string
  readonly comment?: string
}

/** A collation (`CREATE COLLATION`). Columns and domains name it in their `collation` field. */
export interface Collation {
  readonly name: QualifiedName
  readonly provider: 'libc' | 'icu' | 'builtin'
  /** The ICU or builtin locale; for libc, LC_COLLATE and LC_CTYPE when they are equal. */
  readonly locale?: string
  /** libc only, when LC_COLLATE and LC_CTYPE differ. */
  readonly lcCollate?: string
  readonly lcCtype?: string
  /** `deterministic = false`; omitted for the default (deterministic). */
  readonly nondeterministic?: true
  /** ICU tailoring rules (PostgreSQL 16+). */
  readonly rules?: string
  readonly comment?: string
}

export interface Extension {
  readonly name: string
  /** The namespace the extension's objects live in; omitted for the default (`public`). */
  readonly schema?: string
  /** Compared only when both sides state it: declared schemas usually leave it to the server. */
  readonly version?: string
}

export interface EnumType {
  readonly name: QualifiedName
  readonly values: readonly string[]
  readonly comment?: string
}

/**
 * A sequence value (PostgreSQL's are bigint) held exactly and in one canonical form, so that plain equality
 * compares: a `number` when it is a safe integer (|n| < 2^53), otherwise its decimal digits as a string
 * (`'9007199254740993'`), which keeps the model JSON data. `schema/sequence-value.ts` makes and reads them.
 */
export type SequenceValue = number | `${bigint}`

/** Sequence options; every field is omitted when it holds PostgreSQL's default for the sequence's type. */
export interface SequenceOptions {
  readonly type?: IntegerType
  readonly start?: SequenceValue
  readonly increment?: SequenceValue
  readonly min?: SequenceValue
  readonly max?: SequenceValue
  readonly cache?: SequenceValue
  readonly cycle?: boolean
}

export interface Sequence extends SequenceOptions {
  readonly name: QualifiedName
  /** `OWNED BY table.column`: the sequence is dropped with the column. */
  readonly ownedBy?: { readonly table: QualifiedName; readonly column: string }
  readonly comment?: string
  /** `GRANT ... ON SEQUENCE`; omitted when none is granted. */
  readonly privileges?: readonly Privilege[]
}

export interface Table {
  readonly name: QualifiedName
  readonly columns: readonly Column[]
  readonly primaryKey?: PrimaryKey
  readonly uniques: readonly UniqueConstraint[]
  readonly indexes: readonly Index[]
  readonly foreignKeys: readonly ForeignKey[]
  readonly checks: readonly Check[]
  /** PostgreSQL exclusion constraints; omitted when there are none. */
  readonly exclusions?: readonly Exclusion[]
  readonly comment?: string
  /** A hint from the schema source; renames are never guessed. Never present on an introspected schema. */
  readonly renamedFrom?: QualifiedName
  /** Dialect-specific facts, typed per dialect (never strings to parse). */
  readonly ext?: TableExt
  /** `GRANT ... ON TABLE` (table-level privileges); omitted when none is granted. */
  readonly privileges?: readonly Privilege[]
  /** Row-level security switches; omitted when neither is on. */
  readonly rowLevelSecurity?: RowLevelSecurity
  /** Row-level security policies, sorted by name; omitted when there are none. */
  readonly policies?: readonly RowPolicy[]
}

export interface TableExt {
  readonly postgres?: {
    /** `CREATE UNLOGGED TABLE` */
    readonly unlogged?: boolean
    /** `PARTITION BY ...`: the partition key as `pg_get_partkeydef` prints it (`RANGE (logdate)`). */
    readonly partitionBy?: string
    /** `PARTITION OF parent FOR VALUES ...`: the table is a partition. Its columns come from the parent. */
    readonly partitionOf?: PartitionOf
    /** `INHERITS (parents)`, in order. The table's `columns` list only its local ones. */
    readonly inherits?: readonly QualifiedName[]
    /**
     * A partition's indexes attached to its parent's indexes under a name of their own (pg_dump's
     * `ALTER INDEX parent_idx ATTACH PARTITION name`), sorted by `parent`. Only names other than the one PostgreSQL
     * gives the copy it makes itself are listed; that one is `defaultName`, from which the plan renames.
     */
    readonly attachedIndexes?: readonly AttachedIndex[]
    /**
     * A partition's copies of its parent's expression indexes, by the parent index's name, sorted by it: their names,
     * which the server derives from the expression as the parent's was first written (`lower(t)` gives
     * `<partition>_lower_idx`, an operator `_expr_idx`, a cast the type's name or the column's...), which the model's
     * text of it cannot tell reliably. Read from the catalog only (a declared schema has none, and the differ never
     * compares them: not a table option); what a detach leaves on the partition as its own (partitionCopies).
     */
    readonly expressionIndexCopies?: readonly { readonly parent: string; readonly name: string }[]
    /**
     * A partitioned table's partitions that are foreign tables, which the model does not hold (unmanaged): no index
     * is built on them, so an index or key added to the table has no online form (partitioned-add-index.ts). Read
     * from the catalog only; the differ never compares it (not a table option).
     */
    readonly foreignPartitions?: readonly QualifiedName[]
  }
  /**
   * MySQL and MariaDB table options, each omitted when it holds the server's default: `ENGINE` other than InnoDB,
   * a `ROW_FORMAT` stated when the table was created, and the table's default collation when it differs from the
   * database's (a collation names its character set, so the charset is not kept apart). The table comment is `comment`.
   */
  readonly mysql?: {
    readonly engine?: string
    readonly rowFormat?: string
    readonly collation?: string
  }
  /** SQLite table options written after the column list. */
  readonly sqlite?: {
    /** `WITHOUT ROWID`: the primary key is the table's storage key. */
    readonly withoutRowid?: true
    /** `STRICT`: declared types are enforced. */
    readonly strict?: true
  }
}

/** An index of a partition attached to its parent's index `parent`, named `name` instead of `defaultName`. */
export interface AttachedIndex {
  readonly parent: string
  readonly name: string
  readonly defaultName: string
}

/**
 * A partition's parent and bound. A partition (like an INHERITS child) lists only what is its own: columns,
 * constraints and indexes that PostgreSQL copies or clones from the parent are left out of its Table.
 */
export interface PartitionOf {
  readonly parent: QualifiedName
  /** The bound as `pg_get_expr(relpartbound)` prints it: `FOR VALUES FROM ('2006-02-01') TO ('2006-03-01')`, `DEFAULT`. */
  readonly bound: string
}

export interface Column {
  readonly name: string
  readonly type: ColumnType
  readonly nullable: boolean
  readonly default?: Expr
  /** `GENERATED ALWAYS|BY DEFAULT AS IDENTITY` */
  readonly identity?: Identity
  /**
   * `serial`, `bigserial` or `smallserial`: an integer column whose default draws from a sequence it
   * owns, named `<table>_<column>_seq` with default options. The sequence is implied, not listed in
   * `Schema.sequences`, and the `default` is omitted.
   */
  readonly serial?: true
  /** `GENERATED ALWAYS AS (expr) STORED|VIRTUAL` */
  readonly generated?: { readonly expr: string; readonly stored: boolean }
  /** Omitted for the type's default collation (MySQL: for the table's collation). */
  readonly collation?: string
  /** SQLite `NOT NULL ON CONFLICT ...` (only on a NOT NULL column); omitted for the default (ABORT). */
  readonly notNullOnConflict?: ConflictResolution
  /** MySQL `ON UPDATE CURRENT_TIMESTAMP`: the expression as the server prints it (`current_timestamp()`). */
  readonly onUpdate?: string
  readonly comment?: string
  readonly renamedFrom?: string
  /**
   * A hint, like `renamedFrom`: where a new column's values come from, as a SQL expression over the table's
   * current columns (`first_name || ' ' || last_name`). It turns a replacing change into expand, backfill and
   * contract phases. Never compared: it says how to get to the schema, not what the schema is.
   */
  readonly backfill?: string
}

export interface Identity {
  readonly always: boolean
  readonly sequence?: SequenceOptions
}

export type IntegerType = { readonly kind: 'integer'; readonly bytes: 2 | 4 | 8; readonly unsigned?: true }

/**
 * A column type in one spelling for every dialect. Anything Keel has no structure for is `native`,
 * kept verbatim in the server's own spelling (atlas's UnsupportedType), and still compared exactly.
 */
export type ColumnType =
  | IntegerType
  | { readonly kind: 'decimal'; readonly precision?: number; readonly scale?: number }
  | { readonly kind: 'float'; readonly bytes: 4 | 8 }
  | { readonly kind: 'text'; readonly length?: number; readonly fixed?: true }
  | { readonly kind: 'timestamp'; readonly withTimeZone: boolean; readonly precision?: number }
  | { readonly kind: 'time'; readonly withTimeZone: boolean; readonly precision?: number }
  | { readonly kind: 'interval'; readonly fields?: string; readonly precision?: number }
  | { readonly kind: 'boolean' | 'date' | 'uuid' | 'bytes' | 'json' | 'jsonb' }
  | { readonly kind: 'enum'; readonly enum: QualifiedName }
  | { readonly kind: 'array'; readonly element: ColumnType }
  | { readonly kind: 'native'; readonly sql: string }

/** A SQL expression in the server's own spelling (after normalisation, as the server prints it back). */
export interface Expr {
  readonly kind: 'sql'
  readonly sql: string
}

export interface PrimaryKey {
  readonly name: string
  readonly columns: readonly string[]
  readonly deferrable?: Deferrable
  /**
   * SQLite: the name the CREATE TABLE gives it (`CONSTRAINT [PK_Album] PRIMARY KEY`), which SQLite keeps only in that
   * text; `name` stays the default name, by which constraints are matched. Compared only when both sides state one: a
   * source that names no constraint does not differ from a database that does.
   */
  readonly declaredName?: string
  /** SQLite `ON CONFLICT REPLACE|IGNORE|FAIL|ROLLBACK`; omitted for the default (ABORT). */
  readonly onConflict?: ConflictResolution
}

/**
 * SQLite's conflict resolution of a constraint (`UNIQUE (x) ON CONFLICT REPLACE`): what an INSERT or UPDATE that
 * violates it does when the statement names none. ABORT is the default and is never stated in the model.
 */
export type ConflictResolution = 'ROLLBACK' | 'FAIL' | 'IGNORE' | 'REPLACE'

/** An exclusion constraint (`EXCLUDE USING gist (c WITH &&)`), kept as the server prints it. */
export interface Exclusion {
  readonly name: string
  /** `pg_get_constraintdef` without its DEFERRABLE / INITIALLY suffixes: `EXCLUDE USING gist (c WITH &&) WHERE (...)`. */
  readonly definition: string
  readonly deferrable?: Deferrable
  readonly comment?: string
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

export interface Deferrable {
  readonly initiallyDeferred: boolean
}

export interface UniqueConstraint {
  readonly name: string
  readonly columns: readonly string[]
  /** PostgreSQL 15+: `UNIQUE NULLS NOT DISTINCT` */
  readonly nullsNotDistinct?: true
  readonly deferrable?: Deferrable
  /** SQLite: the name its CREATE TABLE gives it; see PrimaryKey.declaredName. */
  readonly declaredName?: string
  /** SQLite `ON CONFLICT ...`; omitted for the default (ABORT). */
  readonly onConflict?: ConflictResolution
  readonly comment?: string
}

/** One key part of an index: a column or an expression, with its order and operator class. */
export interface IndexPart {
  /** Exactly one of `column` and `expr` is set. */
  readonly column?: string
  readonly expr?: string
  readonly descending?: true
  /** Stated only when it differs from the default for the order (NULLS LAST for ASC, NULLS FIRST for DESC). */
  readonly nullsFirst?: boolean
  /** Omitted for the type's default operator class. */
  readonly opclass?: string
  readonly collation?: string
  /** MySQL prefix length (`name(10)`): only the first `length` characters (bytes for binary types) are indexed. */
  readonly length?: number
}

export interface Index {
  readonly name: string
  readonly parts: readonly IndexPart[]
  readonly unique: boolean
  /** Access method; omitted for the default (`btree`). MySQL: `FULLTEXT` or `SPATIAL` for those index kinds. */
  readonly method?: string
  /** Partial index predicate, as the server prints it. */
  readonly where?: string
  /** Non-key columns (`INCLUDE (...)`). */
  readonly include: readonly string[]
  readonly nullsNotDistinct?: true
  /** MySQL `INVISIBLE` (MariaDB `IGNORED`): maintained, but the optimizer does not use it. */
  readonly invisible?: true
  readonly comment?: string
}

export type ReferentialAction = 'NO ACTION' | 'RESTRICT' | 'CASCADE' | 'SET NULL' | 'SET DEFAULT'

export interface ForeignKey {
  readonly name: string
  readonly columns: readonly string[]
  readonly references: { readonly table: QualifiedName; readonly columns: readonly string[] }
  readonly onDelete: ReferentialAction
  readonly onUpdate: ReferentialAction
  /** `MATCH FULL`; omitted for the default `MATCH SIMPLE`. */
  readonly matchFull?: true
  readonly deferrable?: Deferrable
  /** Added `NOT VALID` and never validated: rows that were there before it are not known to satisfy it. */
  readonly notValid?: true
  /** SQLite: the name its CREATE TABLE gives it; see PrimaryKey.declaredName. */
  readonly declaredName?: string
  readonly comment?: string
}

export interface Check {
  readonly name: string
  /** The boolean expression, without the surrounding `CHECK (...)`, as the server prints it. */
  readonly expr: string
  readonly noInherit?: true
  /** Added `NOT VALID` and never validated (as a production schema keeps a check it validates later). */
  readonly notValid?: true
  /** SQLite `CHECK (...) ON CONFLICT ...` on a table constraint: SQLite parses it and keeps the text, nothing more. */
  readonly onConflict?: ConflictResolution
  readonly comment?: string
  /**
   * MariaDB's column-level check (`a int CHECK (a > 0)`): part of the column's definition, which carries it
   * through renames and drops it with the column; a MODIFY COLUMN that does not restate it removes it.
   */
  readonly column?: string
}

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

/** A domain: a base type with an optional default, NOT NULL and named checks (`CREATE DOMAIN`). */
export interface Domain {
  readonly name: QualifiedName
  readonly type: ColumnType
  readonly notNull?: true
  readonly default?: Expr
  /** Omitted for the base type's default collation. */
  readonly collation?: string
  /** Named `CHECK (...)` constraints; `expr` is the condition on `VALUE`, without `CHECK (...)`. */
  readonly checks: readonly Check[]
  readonly comment?: string
}

/** What a routine, trigger or domain needs to exist before it: a relation (or its row type), a type, a routine. */
export type ObjectRef =
  | { readonly kind: 'relation' | 'type'; readonly name: QualifiedName }
  | { readonly kind: 'routine'; readonly name: QualifiedName; readonly identityArgs: string }

/**
 * A function, procedure or aggregate, identified by its name and argument types (overloads are distinct
 * routines). `definition` is the whole statement that creates it, as the server prints it back.
 */
export interface Routine {
  readonly name: QualifiedName
  readonly kind: 'function' | 'procedure' | 'aggregate'
  /** The argument types that identify it among overloads (`pg_get_function_identity_arguments`). */
  readonly identityArgs: string
  /** The full argument list: names, modes and defaults (`pg_get_function_arguments`). */
  readonly arguments: string
  /** The result type (`pg_get_function_result`); omitted for procedures. */
  readonly returns?: string
  /** `CREATE OR REPLACE FUNCTION|PROCEDURE|AGGREGATE ...`, without a final semicolon. */
  readonly definition: string
  /**
   * What must exist before the routine: types and row types in its signature, relations and routines its
   * body is bound to (SQL-standard bodies), an aggregate's support functions. Derived; orders the plan only.
   */
  readonly dependsOn: readonly ObjectRef[]
  readonly comment?: string
  /** `GRANT EXECUTE ...`; omitted when it is the default (EXECUTE to PUBLIC), see Privilege. */
  readonly privileges?: readonly Privilege[]
  readonly ext?: ProgramExt
}

/** Dialect facts of a stored program (a routine or a trigger). */
export interface ProgramExt {
  readonly mysql?: {
    /**
     * The sql_mode the server stored the program with (the creating session's, as information_schema prints it):
     * its body runs under it, whatever the calling session's mode, so it is part of what the program does.
     */
    readonly sqlMode: string
  }
}

/** A trigger on a table or view, identified by its relation and name. */
export interface Trigger {
  /** The table or view the trigger is on. */
  readonly table: QualifiedName
  readonly name: string
  /** `CREATE [CONSTRAINT] TRIGGER ...` as the server prints it, without a final semicolon. */
  readonly definition: string
  /** The trigger function. */
  readonly function: QualifiedName
  /** Columns of its relation the trigger names (`UPDATE OF`, `WHEN`); derived from the definition. */
  readonly columns: readonly string[]
  /** `ALTER TABLE ... DISABLE TRIGGER` (D), `ENABLE REPLICA` (R), `ENABLE ALWAYS` (A); omitted when enabled (O). */
  readonly enabled?: 'D' | 'R' | 'A'
  readonly comment?: string
  readonly ext?: ProgramExt
}

/** An empty schema, the starting point of builders and of `diff` from nothing. */
export const emptySchema: Schema = {
  namespaces: [],
  extensions: [],
  enums: [],
  sequences: [],
  tables: [],
  views: [],
}
