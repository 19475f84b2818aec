import type { IndexStmt, Node } from 'libpg-query'
import { chooseIndexColumnNames, makeObjectName, nameAddition } from '../../../schema/dsl/naming.js'

/**
 * A DefaultIndexName is the family of names PostgreSQL may give the index of a `CREATE INDEX` that
 * names none: ChooseIndexName's `<table>_<columns>_idx`, then `_idx1`, `_idx2`, ... while a relation
 * of the namespace holds the name (ChooseRelationName). Which pass it took depends on the names
 * taken when the statement ran, so a caller matches existing names against the family.
 */
export interface DefaultIndexName {
  /** The name when nothing in the namespace holds it: `things_a_lower_idx`. */
  readonly base: string
  /** The name tried on ChooseRelationName's pass `pass` (0 is the base; 1 is `things_a_lower_idx1`). */
  at(pass: number): string
  /** The pass on which PostgreSQL chooses `name`, or undefined when it never gives this index that name. */
  passOf(name: string): number | undefined
}

/**
 * The default names of a parsed `CREATE [UNIQUE] INDEX ... ON table (...)`, as PostgreSQL 15 chooses
 * them (indexcmds.c): the label is `idx`, also for a unique index (`key` is for constraints only);
 * the columns, then the INCLUDE columns, are named by ChooseIndexColumnNames, expressions by
 * FigureIndexColname; makeObjectName shortens table and columns to fit 63 bytes, differently for
 * `idx` and `idx10`. Undefined when the statement has no table.
 *
 * @example
 * defaultIndexName(parsed('create index on things (a, lower(b))'))?.at(1) // 'things_a_lower_idx1'
 */
export function defaultIndexName(stmt: IndexStmt): DefaultIndexName | undefined {
  const table = stmt.relation?.relname
  if (table === undefined) return undefined
  const addition = nameAddition(chooseIndexColumnNames(indexColumnLabels(stmt)))
  const label = 'idx'
  const at = (pass: number) => makeObjectName(table, addition, pass === 0 ? label : `${label}${pass}`)
  return {
    base: at(0),
    at,
    passOf(name) {
      // The label is never shortened, so the pass is the number after the last `_idx`.
      const match = /_idx([1-9][0-9]*)?$/.exec(name)
      if (match === null) return undefined
      const pass = match[1] === undefined ? 0 : Number(match[1])
      return Number.isSafeInteger(pass) && at(pass) === name ? pass : undefined
    },
  }
}

/**
 * The names a parsed `CREATE INDEX` gives its columns before ChooseIndexColumnNames numbers the repeats: each key
 * column's, then each INCLUDE column's; an expression's is what FigureIndexColname calls it (`lower(t)` gives
 * `lower`, an operator `expr`), from the statement's own text.
 */
export function indexColumnLabels(stmt: IndexStmt): string[] {
  return [...(stmt.indexParams ?? []), ...(stmt.indexIncludingParams ?? [])].map(indexColumnLabel)
}

/** The name an index element contributes: its column, or what FigureIndexColname calls its expression. */
function indexColumnLabel(element: Node): string {
  if (!('IndexElem' in element)) return 'expr'
  const { name, expr, indexcolname } = element.IndexElem
  return indexcolname ?? name ?? (expr === undefined ? undefined : figureColname(expr).name) ?? 'expr'
}

/** A name guess and how sure it is, ranked as FigureColnameInternal ranks them (2 sure, 1 a type name, 0 none). */
interface Figured {
  readonly name?: string
  readonly strength: 0 | 1 | 2
}

const none: Figured = { strength: 0 }
const sure = (name: string): Figured => ({ name, strength: 2 })

/**
 * FigureColnameInternal (parse_target.c) over the raw parse tree, which is what the server names an
 * index expression from. Only the forms allowed in an index expression matter: subqueries, aggregates
 * and volatile functions are refused there.
 */
function figureColname(node: Node): Figured {
  if ('ColumnRef' in node) return lastString(node.ColumnRef.fields)
  if ('A_Indirection' in node) {
    const field = lastString(node.A_Indirection.indirection)
    const arg = node.A_Indirection.arg
    return field.strength > 0 || arg === undefined ? field : figureColname(arg)
  }
  if ('FuncCall' in node) return lastString(node.FuncCall.funcname)
  if ('A_Expr' in node) return node.A_Expr.kind === 'AEXPR_NULLIF' ? sure('nullif') : none
  if ('TypeCast' in node) {
    const arg = node.TypeCast.arg === undefined ? none : figureColname(node.TypeCast.arg)
    if (arg.strength === 2) return arg
    const type = lastString(node.TypeCast.typeName?.names)
    return type.name === undefined ? arg : { name: type.name, strength: 1 }
  }
  if ('CollateClause' in node)
    return node.CollateClause.arg === undefined ? none : figureColname(node.CollateClause.arg)
  if ('CaseExpr' in node) {
    const otherwise = node.CaseExpr.defresult === undefined ? none : figureColname(node.CaseExpr.defresult)
    return otherwise.strength === 2 ? otherwise : { name: 'case', strength: 1 }
  }
  if ('A_ArrayExpr' in node) return sure('array')
  if ('RowExpr' in node) return sure('row')
  if ('CoalesceExpr' in node) return sure('coalesce')
  if ('MinMaxExpr' in node) {
    const op = node.MinMaxExpr.op
    return op === 'IS_GREATEST' ? sure('greatest') : op === 'IS_LEAST' ? sure('least') : none
  }
  if ('XmlSerialize' in node) return sure('xmlserialize')
  if ('XmlExpr' in node) {
    const name = xmlFunctions[node.XmlExpr.op ?? '']
    return name === undefined ? none : sure(name)
  }
  return none
}

const xmlFunctions: Readonly<Record<string, string>> = {
  IS_XMLCONCAT: 'xmlconcat',
  IS_XMLELEMENT: 'xmlelement',
  IS_XMLFOREST: 'xmlforest',
  IS_XMLPARSE: 'xmlparse',
  IS_XMLPI: 'xmlpi',
  IS_XMLROOT: 'xmlroot',
  IS_XMLSERIALIZE: 'xmlserialize',
}

/** The last String of a name list (`pg_catalog.int4` → `int4`), ignoring `*` and subscripts. */
function lastString(list: readonly Node[] | undefined): Figured {
  let name: string | undefined
  for (const item of list ?? []) if ('String' in item && item.String.sval !== undefined) name = item.String.sval
  return name === undefined ? none : sure(name)
}
