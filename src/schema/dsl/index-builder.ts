import { brandOf } from './brand-of.js'
import type { ColumnRef } from './column-ref.js'
import { IndexPart, type IndexTarget } from './index-part.js'
import type { Sql } from './sql.js'

/** An index as declared, before names are resolved. */
export interface IndexSpec {
  readonly name?: string
  readonly unique: boolean
  readonly parts: readonly IndexPart[]
  readonly method?: string
  readonly where?: Sql
  readonly include: readonly (ColumnRef | string)[]
  readonly nullsNotDistinct: boolean
  readonly comment?: string
}

/**
 * An index declaration. Immutable. Without a name it is named as PostgreSQL would name it:
 * `<table>_<columns>_idx`, expressions contributing their function name (or `expr`).
 * @example index('idx_posts_recent').on(t.authorId, t.createdAt.desc()).where(sql`deleted_at is null`)
 */
export class IndexBuilder {
  readonly '~keel' = 'index' as const

  constructor(readonly spec: IndexSpec) {}

  private with(patch: Partial<IndexSpec>): IndexBuilder {
    return new IndexBuilder({ ...this.spec, ...patch })
  }

  /** The key parts: columns, `sql` expressions, or parts with modifiers (`t.name.desc()`). */
  on(...targets: readonly (IndexTarget | IndexPart)[]): IndexBuilder {
    return this.with({ parts: targets.map(toPart) })
  }

  /** The access method (`gin`, `gist`, `brin`, `hash`, ...), optionally with the key parts. */
  using(method: string, ...targets: readonly (IndexTarget | IndexPart)[]): IndexBuilder {
    return targets.length === 0 ? this.with({ method }) : this.with({ method, parts: targets.map(toPart) })
  }

  /** A partial index: only rows matching the predicate. */
  where(predicate: Sql): IndexBuilder {
    return this.with({ where: predicate })
  }

  /** Non-key columns stored in the index (`INCLUDE (...)`). */
  include(...columns: readonly (ColumnRef | string)[]): IndexBuilder {
    return this.with({ include: columns })
  }

  /** `NULLS NOT DISTINCT` (PostgreSQL 15+; unique indexes). */
  nullsNotDistinct(): IndexBuilder {
    return this.with({ nullsNotDistinct: true })
  }

  /** `COMMENT ON INDEX` */
  comment(comment: string): IndexBuilder {
    return this.with({ comment })
  }
}

function toPart(target: IndexTarget | IndexPart): IndexPart {
  return brandOf(target) === 'part' ? (target as IndexPart) : new IndexPart(target as IndexTarget)
}

function start(name: string | undefined, unique: boolean): IndexBuilder {
  const spec: IndexSpec = { unique, parts: [], include: [], nullsNotDistinct: false }
  return new IndexBuilder(name === undefined ? spec : { ...spec, name })
}

/**
 * An index; follow with `.on(...)`.
 * @example index().on(t.email)
 */
export function index(name?: string): IndexBuilder {
  return start(name, false)
}

/**
 * A unique index (`CREATE UNIQUE INDEX`), named `<table>_<columns>_idx` by default; for a unique
 * constraint use `unique()`.
 * @example uniqueIndex('users_email_lower').on(sql`lower(${t.email})`)
 */
export function uniqueIndex(name?: string): IndexBuilder {
  return start(name, true)
}
