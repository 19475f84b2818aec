import { describe, expect, it } from 'vitest'
import { migrationChecksum } from './checksum.js'
import type { Migration, MigrationsDirectory } from './directory.js'
import { assertSumMatches, computeSum, formatSum, verifySum } from './keel-sum.js'

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
