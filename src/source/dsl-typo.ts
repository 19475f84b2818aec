import { readFileSync } from 'node:fs'
import { relative } from 'node:path'
import { ColumnBuilder } from '../schema/dsl/column-builder.js'
import { projectLocation } from './keel-imports.js'

/**
 * Explains a misspelt column method in a schema module (`text().notNul()`): which column, the method it may mean,
 * and the methods there are. Without this the user reads the transpiler's `(0 , _schema.text)(...).notNul is not a
 * function`. Undefined when the error is not such a typo on a column's line.
 */
export function describeColumnTypo(error: unknown, path: string, cwd: string): string | undefined {
  if (!(error instanceof TypeError)) return undefined
  const method = /\(\.\.\.\)\.([\w$]+) is not a function/.exec(error.message)?.[1]
  if (method === undefined) return undefined
  const place = projectLocation(error.stack ?? '')
  const lineNumber = place === undefined ? undefined : Number(/:(\d+)$/.exec(place)?.[1])
  if (lineNumber === undefined || place === undefined || !place.startsWith(path)) return undefined
  let line: string | undefined
  try {
    line = readFileSync(path, 'utf8').split('\n')[lineNumber - 1]
  } catch {
    return undefined
  }
  const escaped = method.replace(/\$/g, '\\$')
  const column = new RegExp(`([\\w$]+)\\s*:\\s*[\\w$]+\\([^)]*\\)[^,{}]*?\\.${escaped}\\s*\\(`).exec(line ?? '')?.[1]
  if (column === undefined) return undefined
  const methods = Object.getOwnPropertyNames(ColumnBuilder.prototype).filter((name) => name !== 'constructor')
  const near = closest(method, methods)
  const mean = near === undefined ? '' : `; did you mean \`.${near}()\`?`
  return `${relative(cwd, path) || path}:${lineNumber}: column \`${column}\`: \`.${method}()\` is not a column method${mean} (column methods: ${methods.join(', ')})`
}

/** The name within two edits of `word`, if any. */
function closest(word: string, names: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined
  for (const name of names) {
    const distance = editDistance(word.toLowerCase(), name.toLowerCase())
    if (distance <= 2 && (best === undefined || distance < best.distance)) best = { name, distance }
  }
  return best?.name
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost)
    }
    previous = current
  }
  return previous[b.length] ?? 0
}
