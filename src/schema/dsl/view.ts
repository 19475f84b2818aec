import type { Privilege, QualifiedName } from '../model.js'
import { attachState, BRAND } from './brand-of.js'
import type { IndexBuilder } from './index-builder.js'
import type { Sql } from './sql.js'
import type { AnyTable } from './table.js'

/** Options of `view()`. */
export interface ViewOptions {
  readonly schema?: string
  /** `CREATE MATERIALIZED VIEW` */
  readonly materialized?: boolean
  readonly comment?: string
  /** `GRANT ... ON TABLE` on the view (see `Privilege` in the model). */
  readonly privileges?: readonly Privilege[]
  /** A rename hint: the view used to be called this. */
  readonly renamedFrom?: string | QualifiedName
  /**
   * Relations the definition reads. Tables and views interpolated in the `sql` template are always found; without
   * this list, exported tables and views whose names appear in the text are found too.
   */
  readonly dependsOn?: readonly (AnyTable | AnyView)[]
  /** Indexes on a materialized view; key parts are column names (strings) or `sql` expressions. */
  readonly indexes?: readonly IndexBuilder[]
}

/** What a view declaration holds, under its brand. */
export interface ViewState {
  readonly kind: 'view'
  readonly name: string
  readonly definition: Sql | string
  readonly options: ViewOptions
}

/** A defined view. Interpolated in a `sql` template it renders as its (qualified) name. */
export interface AnyView {
  readonly [BRAND]: ViewState
  readonly viewName: string
}

/**
 * Defines a view, or with `{ materialized: true }` a materialized view.
 * @example export const published = view('published_posts', sql`select * from ${posts} where ${posts.status} = 'published'`)
 */
export function view(name: string, definition: Sql | string, options: ViewOptions = {}): AnyView {
  const def = { viewName: name }
  return Object.freeze(attachState(def, { kind: 'view', name, definition, options } satisfies ViewState)) as AnyView
}
