/**
 * The seam's ratchet (issue 8): a dialect is its folder, the registry lines and its driver, so every other source
 * file that knows a dialect (scripts/dialect-footprint.mjs says how it tells) is a leak. The leaks left are listed
 * here by name, and the list must be exactly what the script finds: a file that starts to know a dialect fails this
 * test, and so does a leak that went away but is still listed (strike it, so that it cannot come back unnoticed).
 */
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '../..')

/** The files outside each dialect's folder that still know it, beyond its registry lines and driver. */
const knownLeaks: Record<string, readonly string[]> = {
  postgres: [],
  sqlite: [],
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
    it(`${dialect}: the files outside its folder, registry and driver that know it are exactly the listed ones`, () => {
      const { leaks, list } = footprint(dialect)
      const leaking = list.filter((f) => !f.byDesign)
      const unexpected = leaking.filter((f) => !known.includes(f.file)).map((f) => `${f.file}: ${f.reasons.join(', ')}`)
      expect(unexpected, 'files that started to know the dialect').toEqual([])
      const gone = known.filter((file) => !leaking.some((f) => f.file === file))
      expect(gone, 'listed leaks the script no longer finds: strike them from the list').toEqual([])
      expect(leaks).toBe(known.length)
    })
  }

  it('the measure sees a leak (a file of the core naming a dialect is one)', () => {
    // The script's own markers, on a line a leaking file would hold: guards against a script that finds nothing.
    const { list } = footprint('postgres')
    expect(list.some((f) => f.file === 'src/dialect/runtimes.ts' && f.byDesign)).toBe(true)
  })
})
