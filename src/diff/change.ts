import type {
  Check,
  Collation,
  Column,
  Domain,
  EnumType,
  Exclusion,
  Extension,
  ForeignKey,
  Index,
  Namespace,
  PartitionOf,
  PrimaryKey,
  QualifiedName,
  Routine,
  RowLevelSecurity,
  RowPolicy,
  Rule,
  Sequence,
  Table,
  Trigger,
  UniqueConstraint,
  View,
} from '../schema/model.js'

/** The aspects of a column that `alterColumn` can change, in the order the planner applies them. */
export type ColumnAspect = 'type' | 'collation' | 'default' | 'nullable' | 'identity' | 'generated' | 'comment'

/**
 * A Change is one difference between two schemas. Drops keep the whole dropped object, so that the
 * planner can write the reverse SQL and the linter can judge it without looking anything up.
 */
export type Change =
  | { readonly kind: 'createNamespace' | 'dropNamespace'; readonly namespace: Namespace }
  | { readonly kind: 'createExtension' | 'dropExtension'; readonly extension: Extension }
  | { readonly kind: 'alterExtension'; readonly from: Extension; readonly to: Extension }
  | { readonly kind: 'createEnum' | 'dropEnum'; readonly enum: EnumType }
  /**
   * The values differ. When `to` only adds values the planner uses ADD VALUE; otherwise it recreates
   * the type and converts the columns that use it, which is why they are listed here, as they are when
   * the type changes: as `from` has them (their defaults are dropped and restored around the conversion).
   */
  | {
      readonly kind: 'alterEnum'
      readonly from: EnumType
      readonly to: EnumType
      readonly usages: readonly EnumUsage[]
      /**
       * When `to` only adds values, for the reverse, which recreates the type: what must be out of the way
       * while it does (checks, expression and partial indexes, generated columns and views that read its columns,
       * routines that take it), as the drops to run first; their inverses run after. Either way also the views, checks
       * and indexes that name the type in a cast (the diff drops and creates the readers of a recreated type's
       * columns itself). See diff/enum-dependents.ts.
       */
      readonly dependents?: readonly Change[]
      /**
       * Columns of other types whose default names the type in a cast (`('happy'::mood)::text`), as `from` has
       * them: the recreation, either way, drops their defaults before and sets them again after (a default cannot
       * be a dependent: its change would run after the type's). See diff/enum-dependents.ts.
       */
      readonly castDefaults?: readonly EnumUsage[]
      /**
       * Routines that name the type in a body the server compiles per session (PL/pgSQL), which PostgreSQL does not
       * record as depending on it: replaced with their own definition after a recreation, so that no session keeps
       * the old type's oid. See diff/enum-dependents.ts.
       */
      readonly recompiled?: readonly Routine[]
      /** What the recreation cannot move out of the way, described: planning it is refused, naming them. */
      readonly blockers?: readonly string[]
      /** What the user does about each blocker, in their order (the refusal's hint): the object, and the migration. */
      readonly fixes?: readonly string[]
      /**
       * Domains directly over the type, with the columns of the domain (as `from` has them): the recreation converts
       * the columns to text, drops the domain, and after the new type exists creates the domain again over it and
       * converts the columns back (what reads the columns is moved as for the type's own columns). Set for an ADD VALUE too, whose reverse recreates the type. See
       * diff/enum-dependents.ts.
       */
      readonly domains?: readonly EnumDomain[]
    }
  | { readonly kind: 'createSequence' | 'dropSequence'; readonly sequence: Sequence }
  | { readonly kind: 'alterSequence'; readonly from: Sequence; readonly to: Sequence }
  | { readonly kind: 'createTable' | 'dropTable'; readonly table: Table }
  /**
   * `serialColumns`: the table's serial columns, whose implied sequences `<table>_<column>_seq` are renamed along
   * with the table so that they stay serials (PostgreSQL itself keeps the old sequence names).
   */
  | {
      readonly kind: 'renameTable'
      readonly from: QualifiedName
      readonly to: QualifiedName
      readonly serialColumns?: readonly string[]
    }
  /**
   * Table-level options other than comments changed (`ext`: UNLOGGED and its kin). `heldDefaults`: the default names
   * of the partition's copies the plan makes (of new parent indexes, or made by an attach), which a relation of `from`
   * or one made after the plan may hold (the copy takes another: the rename finds it by its parent index). `newCopies`: the partition's copies of indexes and keys the plan makes that
   * share a default name with a renamed one: their names are settled together, each found by its root index.
   */
  | {
      readonly kind: 'alterTable'
      readonly table: QualifiedName
      readonly from: Table
      readonly to: Table
      readonly heldDefaults?: readonly string[]
      readonly newCopies?: readonly NewCopy[]
    }
  | { readonly kind: 'addColumn' | 'dropColumn'; readonly table: QualifiedName; readonly column: Column }
  | {
      readonly kind: 'alterColumn'
      readonly table: QualifiedName
      readonly from: Column
      readonly to: Column
      readonly aspects: readonly ColumnAspect[]
    }
  /**
   * An index or a constraint (primary key, unique, check, foreign key, exclusion) whose definition is unchanged but
   * whose name differs: typically the default name after a table rename. Renaming is catalog-only, where a drop and
   * an add would rebuild the index or re-validate the constraint (and drop the foreign keys that use the key).
   */
  | {
      readonly kind: 'renameIndex' | 'renameConstraint'
      readonly table: QualifiedName
      readonly from: string
      readonly to: string
    }
  /** `serial`: the column is a serial, whose implied sequence is renamed along with it. */
  | {
      readonly kind: 'renameColumn'
      readonly table: QualifiedName
      readonly from: string
      readonly to: string
      readonly serial?: true
    }
  /**
   * `partitioned` (adds only): the table is a partitioned one (its unique index cannot be built CONCURRENTLY).
   * `leaves` (with it): the leaf partitions of the table (at any depth: those that hold rows) as the target has them:
   * the online form builds the key's index concurrently on each of them. `taken` (with it): the names in the leaves'
   * schemas that a leaf's copy cannot take (held-names.ts, held-names-plan.ts). `foreignPartitions`: its partitions
   * (at any depth) that are foreign tables, where no index is built: the direct form is planned.
   */
  | {
      readonly kind: 'addPrimaryKey' | 'dropPrimaryKey'
      readonly table: QualifiedName
      readonly primaryKey: PrimaryKey
      readonly partitioned?: true
      readonly leaves?: readonly QualifiedName[]
      readonly taken?: readonly HeldName[]
      readonly foreignPartitions?: readonly QualifiedName[]
    }
  | {
      readonly kind: 'addUnique' | 'dropUnique'
      readonly table: QualifiedName
      readonly unique: UniqueConstraint
      readonly partitioned?: true
      readonly leaves?: readonly QualifiedName[]
      readonly taken?: readonly HeldName[]
      readonly foreignPartitions?: readonly QualifiedName[]
    }
  /**
   * `partitioned`: the table is a partitioned one (no CONCURRENTLY, no NOT VALID foreign keys on it).
   * `partitions` (creates, with it): every partition of the table at any depth as the target has it, deepest first:
   * the online form builds the index concurrently on each leaf and attaches it (partitioned-add-index.ts). `taken`
   * (with it): the names in the partitions' schemas that a copy cannot take (held-names.ts, held-names-plan.ts).
   * `foreignPartitions`: its partitions (at any depth) that are foreign tables: the direct form is planned (the
   * server passes them over; an index ON ONLY the table would stay invalid).
   */
  | {
      readonly kind: 'createIndex' | 'dropIndex'
      readonly table: QualifiedName
      readonly index: Index
      readonly partitioned?: true
      readonly partitions?: readonly PartitionLink[]
      readonly taken?: readonly HeldName[]
      readonly foreignPartitions?: readonly QualifiedName[]
      /**
       * For a new expression index on a partitioned table (creates): the names the server gives its columns as the
       * plan creates it (DiffOptions.indexColumnNames), from which its partitions' copies are named; absent when the
       * differ had no namer (the direct form is planned then).
       */
      readonly columnNames?: readonly string[]
    }
  | {
      readonly kind: 'addForeignKey' | 'dropForeignKey'
      readonly table: QualifiedName
      readonly foreignKey: ForeignKey
      readonly partitioned?: true
    }
  | { readonly kind: 'addCheck' | 'dropCheck'; readonly table: QualifiedName; readonly check: Check }
  | { readonly kind: 'createView' | 'dropView'; readonly view: View }
  /** Comments of objects that exist on both sides and differ only in their comment. */
  | {
      readonly kind: 'setComment'
      readonly target: CommentTarget
      readonly from: string | undefined
      readonly to: string | undefined
    }
  | TableStructureChange
  | RoutineChange
  | SecurityChange

/** A partition's copy of an index or key this plan makes: the name of the index it is attached to, its name in `to`. */
export interface NewCopy {
  readonly parent: string
  readonly name: string
  /** The index at the top of the tree, in its table's schema: what the copy is found by, whatever it is named. */
  readonly root: QualifiedName
  /** The name the server gives the copy while nothing holds it (`<partition>_<columns>_idx`, `_key`, `_pkey`). */
  readonly defaultName: string
}

/**
 * A name a relation holds in a schema, or (`constraint`) a check or foreign key: that one keeps a key's copy from the
 * name, not an index's (ChooseRelationName looks at constraints for a constraint's index only).
 */
export interface HeldName {
  readonly schema?: string
  readonly name: string
  readonly constraint?: true
}

/** A partition of a partitioned table: its parent, and whether it is a leaf (holds rows) or is partitioned again. */
export interface PartitionLink {
  readonly table: QualifiedName
  readonly parent: QualifiedName
  readonly leaf: boolean
  /**
   * For a new expression index: the name the target gives this partition's copy of it, when its catalog lists one
   * (expressionIndexCopies). The server named it from the expression as written there (`text(k)`: `_text_idx`), which
   * the plan's text, as the server prints it back (`(k)::text`: `_k_idx`), does not tell.
   */
  readonly copyName?: string
}

/**
 * PostgreSQL table structure beyond columns and keys: exclusion constraints, partitions (ATTACH / DETACH
 * PARTITION), inheritance (INHERIT / NO INHERIT) and rewrite rules. Each kind comes in an inverse pair.
 * `dropRule` names the rule's table as `from` has it (rules are dropped before any rename runs).
 */
export type TableStructureChange =
  | { readonly kind: 'addExclusion' | 'dropExclusion'; readonly table: QualifiedName; readonly exclusion: Exclusion }
  | {
      readonly kind: 'attachPartition' | 'detachPartition'
      readonly table: QualifiedName
      readonly partitionOf: PartitionOf
      /**
       * On an attach: the partition's own indexes and index-backed keys that the plan keeps (on both sides, by name).
       * ATTACH may take one as the copy of its parent's index, and DETACH leaves it: the undo keeps those.
       */
      readonly ownIndexes?: readonly string[]
      /**
       * On the undo of an attach (invert-structure.ts): DETACH leaves the partition the copies of its parent's indexes
       * and keys the attach made (the plan dropped its own first): the detach drops them, but `ownIndexes`.
       */
      readonly undoesAttach?: true
    }
  | { readonly kind: 'addInherit' | 'dropInherit'; readonly table: QualifiedName; readonly parent: QualifiedName }
  | { readonly kind: 'createRule' | 'dropRule'; readonly rule: Rule }

/**
 * Domains, routines (functions, procedures, aggregates) and triggers. An `alter*` change carries both
 * sides of an object present in both schemas; the planner decides how (ALTER DOMAIN, CREATE OR REPLACE,
 * or drop and create), and it covers a changed comment too. A trigger whose definition changes is a
 * `dropTrigger` and a `createTrigger`; `alterTrigger` changes only its enabled state or comment.
 */
export type RoutineChange =
  | { readonly kind: 'createDomain' | 'dropDomain'; readonly domain: Domain }
  | { readonly kind: 'alterDomain'; readonly from: Domain; readonly to: Domain }
  | { readonly kind: 'createRoutine' | 'dropRoutine'; readonly routine: Routine }
  | { readonly kind: 'alterRoutine'; readonly from: Routine; readonly to: Routine }
  | { readonly kind: 'createTrigger' | 'dropTrigger'; readonly trigger: Trigger }
  | { readonly kind: 'alterTrigger'; readonly from: Trigger; readonly to: Trigger }

/**
 * Privileges, row-level security and collations. `grant` and `revoke` name one grantee and the privileges granted
 * to it (or revoked) with or without the grant option; the differ emits them only for objects that exist on both
 * sides and are not recreated: the planner grants what a created object's model lists as part of creating it, and
 * a dropped object takes its privileges with it. Likewise a created table brings its row-level security and
 * policies. A policy whose command or kind changes, or that loses an expression, is a `dropPolicy` and a
 * `createPolicy`; `alterPolicy` changes only roles, expressions or the comment. `alterCollation` changes only the
 * comment (a changed collation is dropped and created).
 */
export type SecurityChange =
  | {
      readonly kind: 'grant' | 'revoke'
      readonly target: PrivilegeTarget
      readonly grantee: string
      readonly privileges: readonly string[]
      readonly grantable?: true
    }
  | {
      readonly kind: 'setRowLevelSecurity'
      readonly table: QualifiedName
      readonly from: RowLevelSecurity | undefined
      readonly to: RowLevelSecurity | undefined
    }
  | { readonly kind: 'createPolicy' | 'dropPolicy'; readonly table: QualifiedName; readonly policy: RowPolicy }
  | { readonly kind: 'alterPolicy'; readonly table: QualifiedName; readonly from: RowPolicy; readonly to: RowPolicy }
  | { readonly kind: 'createCollation' | 'dropCollation'; readonly collation: Collation }
  | { readonly kind: 'alterCollation'; readonly from: Collation; readonly to: Collation }

/** What a `grant` or `revoke` is about. Views and materialized views take `GRANT ... ON TABLE` too. */
export type PrivilegeTarget =
  | { readonly kind: 'table' | 'view' | 'materializedView' | 'sequence'; readonly name: QualifiedName }
  | { readonly kind: 'namespace'; readonly name: string }
  | {
      readonly kind: 'routine'
      readonly name: QualifiedName
      readonly routineKind: Routine['kind']
      readonly identityArgs: string
    }

/** A column whose type is (an array of) an enum, with its default, which must be dropped while the type is recreated. */
/** A domain over a recreated enum and the columns whose type is the domain (or an array of it). */
export interface EnumDomain {
  readonly domain: Domain
  readonly columns: readonly EnumUsage[]
}

export interface EnumUsage {
  readonly table: QualifiedName
  readonly column: Column
}

/** What a `setComment` change is about. */
export type CommentTarget =
  | { readonly kind: 'table' | 'view' | 'materializedView' | 'enum' | 'sequence'; readonly name: QualifiedName }
  | { readonly kind: 'namespace'; readonly name: string }
  | { readonly kind: 'column'; readonly table: QualifiedName; readonly column: string }
  | { readonly kind: 'index'; readonly table: QualifiedName; readonly index: string }
  | { readonly kind: 'constraint'; readonly table: QualifiedName; readonly constraint: string }

export type ChangeKind = Change['kind']

/** A rename, from a `renamedFrom` hint in the schema or from a person's answer to a question. */
export type Rename =
  | { readonly kind: 'table'; readonly from: QualifiedName; readonly to: QualifiedName }
  | { readonly kind: 'column'; readonly table: QualifiedName; readonly from: string; readonly to: string }

/**
 * A drop beside a look-alike add with no hint saying which it is. `diff` still returns the drop and
 * the add; commands that write or apply stop on an unanswered question.
 */
export type RenameQuestion =
  | { readonly kind: 'table'; readonly dropped: QualifiedName; readonly added: readonly QualifiedName[] }
  | {
      readonly kind: 'column'
      readonly table: QualifiedName
      readonly dropped: string
      readonly added: readonly string[]
    }

export interface DiffResult {
  readonly changes: readonly Change[]
  readonly questions: readonly RenameQuestion[]
}
