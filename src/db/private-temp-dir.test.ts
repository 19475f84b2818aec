import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { privateTempDir } from './private-temp-dir.js'

const uid = process.getuid?.()
const roots: string[] = []
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true })
})

/** Calls privateTempDir with the temp directory set to a fresh folder that `prepare` may fill first. */
function inFreshTemp(prepare: (expected: string) => void = () => {}): { dir: string | undefined; expected: string } {
  const root = mkdtempSync(join(tmpdir(), 'keel-private-test-'))
  roots.push(root)
  const expected = join(root, `cache-${uid ?? 'user'}`)
  prepare(expected)
  const saved = process.env.TMPDIR
  process.env.TMPDIR = root
  try {
    return { dir: privateTempDir('cache'), expected }
  } finally {
    if (saved === undefined) delete process.env.TMPDIR
    else process.env.TMPDIR = saved
  }
}

describe.runIf(uid !== undefined)('privateTempDir', () => {
  it('makes a folder only this user can write, and finds it again', () => {
    const { dir, expected } = inFreshTemp()
    expect(dir).toBe(expected)
    const stat = statSync(expected)
    expect(stat.uid).toBe(uid)
    expect(stat.mode & 0o077).toBe(0)
  })

  it('refuses a folder others can write: someone else may have put a cache there', () => {
    const { dir } = inFreshTemp((expected) => {
      mkdirSync(expected)
      chmodSync(expected, 0o777)
    })
    expect(dir).toBeUndefined()
  })

  it('refuses a symlink, which may point into another user’s folder', () => {
    const { dir } = inFreshTemp((expected) => {
      const elsewhere = `${expected}-target`
      mkdirSync(elsewhere, { mode: 0o700 })
      symlinkSync(elsewhere, expected)
    })
    expect(dir).toBeUndefined()
  })
})
