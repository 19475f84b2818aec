/**
 * No module of src/ awaits at its top level. Such a module cannot go into the CommonJS bundles bin/keel.js runs
 * `keel status` and `keel migrate` from (scripts/build-bundle.mjs fails on one), and the awaits it held were loading
 * every dialect's runtime wherever it was imported: code that needs a dialect awaits loadRuntime(name) in a function
 * (src/dialect/runtimes.ts).
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

const SRC = join(import.meta.dirname, '../../src')

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) yield* sourceFiles(path)
    else if (/\.ts$/.test(entry.name) && !/\.test(-d)?\.ts$/.test(entry.name) && !entry.name.endsWith('.d.ts'))
      yield path
  }
}

/** The lines of the awaits (and `for await`s) of `file` outside any function: its module's own top level. */
function topLevelAwaits(file: string): number[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true)
  const lines: number[] = []
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) || ts.isClassStaticBlockDeclaration(node)) return
    if (ts.isAwaitExpression(node) || (ts.isForOfStatement(node) && node.awaitModifier !== undefined)) {
      lines.push(source.getLineAndCharacterOfPosition(node.getStart()).line + 1)
    }
    ts.forEachChild(node, visit)
  }
  ts.forEachChild(source, visit)
  return lines
}

describe('src/', () => {
  it('has no top-level await', () => {
    const found = [...sourceFiles(SRC)].flatMap((file) =>
      topLevelAwaits(file).map((line) => `${relative(SRC, file)}:${line}`),
    )
    expect(found).toEqual([])
  })
})
