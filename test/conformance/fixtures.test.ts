/**
 * The tests run in a clone with nothing beside it: no source, test or script may read a path outside the project
 * (the maintainers' shared corpus folder beside their checkout, where these fixtures came from), and every vendored
 * fixture folder says where its files came from and carries the upstream licence.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = join(import.meta.dirname, '../..')
const FIXTURES = join(ROOT, 'test/fixtures')

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'fixtures' ? [] : filesUnder(path)
    return /\.(ts|mts|mjs|js|sh)$/.test(entry.name) ? [path] : []
  })
}

/** Folders of schemas written for Keel's own tests: nothing in them came from elsewhere, so no licence to keep. */
const WRITTEN_FOR_KEEL = ['interop']

describe('tests need nothing outside the clone', () => {
  it('no code names a path into the shared corpus folder outside the clone', () => {
    const code = [
      ...['src', 'test', 'scripts', 'bench'].flatMap((dir) => filesUnder(join(ROOT, dir))),
      join(ROOT, '.ci/run'),
    ].filter((file) => file !== import.meta.filename)
    expect(code.length).toBeGreaterThan(50)
    // A path literal that climbs out of the project into shared/ (comments naming the corpus are fine).
    const outside = /(['"`]|\s)(\.\.\/)+shared\b|\/work\/shared\b/
    const offenders = code.filter((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .some((line) => !/^\s*(\/\/|\*|#)/.test(line) && outside.test(line)),
    )
    expect(offenders.map((file) => relative(ROOT, file))).toEqual([])
  })

  it('every fixture folder has its licence and a SOURCES.md naming repository and commit', () => {
    const folders = readdirSync(FIXTURES).filter((name) => statSync(join(FIXTURES, name)).isDirectory())
    expect(folders).toEqual(expect.arrayContaining(['migra', 'atlas', 'chinook', 'pagila', 'sakila']))
    for (const folder of folders.filter((name) => !WRITTEN_FOR_KEEL.includes(name))) {
      const sources = readFileSync(join(FIXTURES, folder, 'SOURCES.md'), 'utf8')
      expect(sources, folder).toMatch(/https:\/\/github\.com\/[\w.-]+\/[\w.-]+/)
      expect(sources, folder).toMatch(/\b[0-9a-f]{40}\b/)
      const all = readdirSync(join(FIXTURES, folder), { recursive: true, encoding: 'utf8' })
      expect(
        all.some((file) => /(^|\/)LICEN[CS]E(-\w+)?(\.\w+)?$/.test(file)),
        `${folder} has no licence file`,
      ).toBe(true)
    }
  })

  it('folders written for Keel say so in every README', () => {
    for (const folder of WRITTEN_FOR_KEEL) {
      const readmes = readdirSync(join(FIXTURES, folder), { recursive: true, encoding: 'utf8' }).filter((file) =>
        /(^|\/)README\.md$/.test(file),
      )
      expect(readmes.length, folder).toBeGreaterThan(0)
      for (const readme of readmes) {
        expect(readFileSync(join(FIXTURES, folder, readme), 'utf8'), readme).toMatch(/Written for Keel/)
      }
    }
  })
})
