/**
 * The schema model: readonly, JSON-serialisable data describing a database schema.
 * No classes, no back-pointers, no IO. Dialects normalise introspected and declared
 * schemas into one spelling so that comparing two schemas is plain structural equality.
 *
 * Optional fields are omitted (never `undefined`) when they hold the dialect's default,
 * so that `{ nullable: true }` and a column that never mentions a default compare equal.
 */

import type { Privilege } from './privilege.js'
import type { Routine, Trigger } from './routine.js'
import type { Sequence } from './sequence.js'
import type { Table } from './table.js'
import type { Collation, Domain, EnumType } from './user-type.js'
import type { Rule, View } from './view.js'

// The model's types live in one file per kind of object; every one of them is named from here too.
export type * from './column.js'
export type * from './constraint.js'
export type * from './privilege.js'
export type * from './qualified-name.js'
export type * from './routine.js'
export type * from './sequence.js'
export type * from './table.js'
export type * from './table-index.js'
export type * from './user-type.js'
export type * from './view.js'

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

export interface Extension {
  readonly name: string
  /** The namespace the extension's objects live in; omitted for the default (`public`). */
  readonly schema?: string
  /** Compared only when both sides state it: declared schemas usually leave it to the server. */
  readonly version?: string
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
