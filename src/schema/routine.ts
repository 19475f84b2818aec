import type { Privilege } from './privilege.js'
import type { QualifiedName } from './qualified-name.js'

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
