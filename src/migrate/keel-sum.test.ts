import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { migrationChecksum, totalChecksum } from './checksum.js'
import type { Migration, MigrationsDirectory } from './directory.js'
import {
  assertSumMatches,
  computeSum,
  DRAFT,
  formatSum,
  type KeelSum,
  type ParsedSum,
  parseSum,
  type SumProblem,
  verifySum,
} from './keel-sum.js'

const migration = (id: string, text = `-- ${id}`): Migration => {
  const files = [{ name: 'up.sql', text }]
  return {
    version: id.slice(0, 14),
    name: id.slice(15),
    id,
    dir: `/m/${id}`,
    up: { kind: 'sql', file: `/m/${id}/up.sql`, text },
    down: undefined,
    directives: { noTransaction: false, lintIgnores: [] },
    checksum: migrationChecksum(files),
    files,
  }
}
const directory = (migrations: Migration[], sumText: string | undefined): MigrationsDirectory => ({
  dir: '/m',
  migrations,
  sumText,
})

describe('keel.sum', () => {
  const a = migration('20260101000000_a')
  const b = migration('20260102000000_b')
  const c = migration('20260103000000_c')

  it('matches the directory it was written for', () => {
    expect(verifySum(directory([a, b], formatSum(computeSum([a, b]))))).toEqual([])
    expect(verifySum(directory([], undefined))).toEqual([])
  })

  it('explains a merge of two branches that both added migrations', () => {
    // main had a and c; the merged branch brought b, written before c.
    const sum = formatSum(computeSum([a, c]))
    expect(verifySum(directory([a, b, c], sum))).toEqual([{ kind: 'added', id: '20260102000000_b' }])
    expect(() => assertSumMatches(directory([a, b, c], sum))).toThrow(
      '20260102000000_b is not in keel.sum and is older than 20260103000000_c: added on another branch and merged?',
    )
  })

  it('reports edited, removed and hand-edited entries, conflict markers and a missing file', () => {
    const sum = formatSum(computeSum([a, b]))
    const edited = migration('20260102000000_b', 'changed')
    expect(verifySum(directory([a, edited], sum))).toEqual([{ kind: 'changed', id: '20260102000000_b' }])
    expect(verifySum(directory([a], sum))).toEqual([{ kind: 'removed', id: '20260102000000_b' }])
    const totalEdited = sum.replace(/^total n1:[0-9a-f]{4}/m, 'total n1:0000')
    expect(verifySum(directory([a, b], totalEdited))).toEqual([{ kind: 'total' }])
    const conflicted = `${sum}<<<<<<< HEAD\n${a.id} ${a.checksum}\n=======\n>>>>>>> branch\n`
    expect(verifySum(directory([a, b], conflicted))).toEqual([{ kind: 'conflict-markers', line: 5 }])
    expect(verifySum(directory([a], undefined))).toEqual([{ kind: 'missing-sum' }])
  })

  it('throws SUM_MISMATCH', () => {
    const error = (() => {
      try {
        assertSumMatches(directory([a], undefined))
      } catch (e) {
        return e as { code: string; message: string }
      }
    })()
    expect(error?.code).toBe('SUM_MISMATCH')
    expect(error?.message).toContain('keel.sum is missing')
  })
})

/** parseSum as it was before its fast path for `<id> <checksum>` lines: every line trimmed and split. */
function parseSumPlain(text: string): ParsedSum {
  let total: string | undefined
  const entries: { id: string; checksum: string }[] = []
  for (const [i, raw] of text.replace(/\r\n?/g, '\n').split('\n').entries()) {
    const line = raw.trim()
    if (/^(<{7}|={7}|>{7})/.test(line)) return { problem: { kind: 'conflict-markers', line: i + 1 } }
    if (line === '' || line.startsWith('#')) continue
    const fields = line.split(/\s+/)
    if (fields.length !== 2) return { problem: { kind: 'malformed', line: i + 1, text: line } }
    const [key = '', value = ''] = fields
    if (key === 'total') total = value
    else entries.push({ id: key, checksum: value })
  }
  if (total === undefined) return { problem: { kind: 'malformed', line: 1, text: 'no total line' } }
  return { sum: { total, entries } }
}

/** verifySum's comparison as it was before its in-order walk: a map and a set of every id. */
function sumProblemsByLookup(migrations: readonly Migration[], { total, entries }: KeelSum): SumProblem[] {
  const recorded = new Map(entries.map((e) => [e.id, e.checksum]))
  const present = new Set(migrations.map((m) => m.id))
  const problems: SumProblem[] = []
  for (const m of migrations) {
    const checksum = recorded.get(m.id)
    if (checksum === undefined) problems.push({ kind: 'added', id: m.id })
    else if (checksum !== m.checksum && checksum !== DRAFT) problems.push({ kind: 'changed', id: m.id })
  }
  for (const entry of entries) if (!present.has(entry.id)) problems.push({ kind: 'removed', id: entry.id })
  if (problems.length === 0 && totalChecksum(entries) !== total) problems.push({ kind: 'total' })
  return problems
}

describe('keel.sum at scale', () => {
  const ids = fc
    .uniqueArray(fc.integer({ min: 0, max: 60 }), { maxLength: 25 })
    .map((ns) => [...ns].sort((x, y) => x - y).map((n) => `202601010000${String(n).padStart(2, '0')}_m${n}`))

  it('parses every line as the trimming, splitting parser does', () => {
    const piece = fc.constantFrom(
      '20260101000000_a',
      'n1:abc',
      'total',
      'draft',
      ' ',
      '  ',
      '\t',
      '\u00a0',
      '#',
      '<<<<<<<',
      '=======',
      '>>>>>>>',
      '\r',
      'x',
    )
    const line = fc.array(piece, { maxLength: 4 }).map((parts) => parts.join(''))
    fc.assert(
      fc.property(fc.array(line, { maxLength: 8 }), (lines) => {
        const text = lines.join('\n')
        expect(parseSum(text)).toEqual(parseSumPlain(text))
      }),
    )
  })

  it('finds the problems the lookup finds, in its order, whatever was added, removed, edited or drafted', () => {
    fc.assert(
      fc.property(ids, ids, fc.array(fc.constantFrom('same', 'edited', 'draft')), (inDirectory, inSum, kinds) => {
        const migrations = inDirectory.map((id) => migration(id))
        const entries = inSum.map((id, i) => {
          const kind = kinds[i % Math.max(kinds.length, 1)] ?? 'same'
          return { id, checksum: kind === 'draft' ? DRAFT : kind === 'edited' ? 'n1:other' : migration(id).checksum }
        })
        // A total of the entries, or of other entries (a hand-resolved merge).
        for (const total of [totalChecksum(entries), 'n1:hand']) {
          const sum = { total, entries }
          expect(verifySum(directory(migrations, formatSum(sum)))).toEqual(sumProblemsByLookup(migrations, sum))
          // Out of order (a hand-merged file): the same problems, found by lookup.
          const reversed = { total, entries: [...entries].reverse() }
          expect(verifySum(directory(migrations, formatSum(reversed)))).toEqual(
            sumProblemsByLookup(migrations, reversed),
          )
        }
      }),
    )
  })
})
