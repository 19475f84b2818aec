/**
 * The seam's ratchet (issue 8): a dialect is its folder, the registry lines and its driver, so every other source
 * file that knows a dialect (scripts/dialect-footprint.mjs says how it tells) is a leak. The leaks left are listed
 * here by name: a file that starts to know a dialect fails this test, and so does a list that has grown. A leak
 * that goes away needs no edit here, but strike it from the list so that it cannot come back unnoticed.
 */
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '../..')

/** The files outside each dialect's folder that still know it, beyond its registry lines and driver. */
const knownLeaks: Record<string, readonly string[]> = {
  postgres: [
    // The differ reads the model's PostgreSQL table facts (TableExt.postgres: PARTITION BY/OF, INHERITS) to recreate,
    // attach and detach tables. A new dialect does not edit it (its facts go in its own TableExt slot), but one with
    // partitions of its own (MySQL) would need a differ hook, or neutral partition facts in the model. The inherited
    // serial's default it spells is quoted by the quoter diff() is given (DiffOptions.quoteIdent, the dialect's).
    'src/diff/diff-partitions.ts',
    // collect(), public API, writes the names its sql`` fragments interpolate with PostgreSQL's quoter when not told
    // the target's (CollectOptions.quoteIdent, which source/load-source.ts passes from the dialect that normalises
    // the module): a module reads as it always did. Its default constraint names are PostgreSQL's too. A new dialect
    // does not edit it.
    'src/schema/dsl/render-sql.ts',
  ],
  sqlite: [
    // A rule for SQLite alone (dialects: ['sqlite']), in lint/rules beside every rule for the registry and the doc
    // pages; its prose names SQLITE_BUSY, the error a writer waiting on the rebuild gets. A new dialect does not edit it.
    'src/lint/rules/ban-table-rebuild.ts',
  ],
  mysql: [],
}

interface Footprint {
  readonly leaks: number
  readonly list: readonly { readonly file: string; readonly byDesign: boolean; readonly reasons: readonly string[] }[]
}

function footprint(dialect: string): Footprint {
  const out = execFileSync(process.execPath, ['scripts/dialect-footprint.mjs', dialect, '--json'], {
    cwd: root,
    encoding: 'utf8',
  })
  return JSON.parse(out) as Footprint
}

describe('dialect footprint', () => {
  for (const [dialect, known] of Object.entries(knownLeaks)) {
    it(`${dialect}: no file outside its folder, registry and driver starts to know it`, () => {
      const { leaks, list } = footprint(dialect)
      const leaking = list.filter((f) => !f.byDesign)
      const unexpected = leaking.filter((f) => !known.includes(f.file)).map((f) => `${f.file}: ${f.reasons.join(', ')}`)
      expect(unexpected).toEqual([])
      expect(leaks).toBeLessThanOrEqual(known.length)
    })
  }

  it('the measure sees a leak (a file of the core naming a dialect is one)', () => {
    // The script's own markers, on a line a leaking file would hold: guards against a script that finds nothing.
    const { list } = footprint('postgres')
    expect(list.some((f) => f.file === 'src/dialect/runtimes.ts' && f.byDesign)).toBe(true)
  })
})
