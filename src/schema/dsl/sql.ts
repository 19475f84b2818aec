import { IndexPart } from './index-part.js'

/**
 * A SQL fragment written with the `sql` tag: literal text plus interpolated parameters. Column references and
 * tables render as (quoted where needed) names; `sql` fragments nest; any other value renders as a SQL literal.
 * Rendering happens in `collect()`, once casing and names are known.
 */
export class Sql {
  readonly '~keel' = 'sql' as const

  constructor(
    readonly strings: readonly string[],
    readonly params: readonly unknown[],
  ) {}

  /** This expression as an ascending index key part. */
  asc(): IndexPart {
    return new IndexPart(this).asc()
  }

  /** This expression as a descending index key part. */
  desc(): IndexPart {
    return new IndexPart(this).desc()
  }

  /** This expression as an index key part with `NULLS FIRST`. */
  nullsFirst(): IndexPart {
    return new IndexPart(this).nullsFirst()
  }

  /** This expression as an index key part with `NULLS LAST`. */
  nullsLast(): IndexPart {
    return new IndexPart(this).nullsLast()
  }

  /** This expression as an index key part with an operator class. */
  op(opclass: string): IndexPart {
    return new IndexPart(this).op(opclass)
  }
}

/** The `sql` tag, with `sql.raw(text)` for text that is already SQL. */
export interface SqlTag {
  (strings: TemplateStringsArray, ...params: readonly unknown[]): Sql
  /** SQL text used verbatim. */
  raw(text: string): Sql
}

/**
 * Writes a SQL expression: defaults, checks, partial-index predicates, generated columns, view definitions.
 * @example sql`now()`
 * @example check('price_positive', sql`${t.price} > 0`)
 * @example view('active_users', sql`select * from ${users} where ${users.active}`)
 */
export const sql: SqlTag = Object.assign(
  (strings: TemplateStringsArray, ...params: readonly unknown[]): Sql => new Sql([...strings], params),
  { raw: (text: string): Sql => new Sql([text], []) },
)
