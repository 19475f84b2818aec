import type { Table } from '../schema/model.js'

/** An index that names `columns` only as plain columns (no expression or predicate reads them): moveKeys builds it again. */
export function isPlainIndex(index: Table['indexes'][number], columns: ReadonlySet<string>): boolean {
  return (
    (index.where === undefined || !mentions([index.where], columns)) &&
    index.parts.every((p) => p.column !== undefined || !mentions([p.expr ?? ''], columns))
  )
}

/** Whether any text of `texts` names one of `columns` (see mentions). */
export function mentionsAny(texts: readonly string[], columns: ReadonlySet<string>): boolean {
  return mentions(texts, columns)
}

export function indexMentions(index: Table['indexes'][number]): readonly string[] {
  return [
    ...index.parts.map((p) => p.column ?? p.expr ?? ''),
    ...index.include,
    ...(index.where === undefined ? [] : [index.where]),
  ]
}

/** Whether any text names one of `columns`: equal to it, or holding it as an identifier (quoted or not). */
export function mentions(texts: readonly string[], columns: ReadonlySet<string>): boolean {
  if (columns.size === 0) return false
  return texts.some((text) =>
    [...columns].some(
      (c) =>
        text === c ||
        text.includes(`"${c.replaceAll('"', '""')}"`) ||
        new RegExp(`(^|[^\\w$".])${c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\w$"])`).test(text),
    ),
  )
}
