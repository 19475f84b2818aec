/**
 * bin/code-cache.js: `keel status` runs from dist/cli-bundle.cjs with V8's code cache kept in the user's cache
 * directory. A cache that is damaged, made for another bundle, or in a directory others can write is never handed
 * to V8 (a damaged payload crashed Node): the command's output is the same as with no cache, and a bad cache is
 * replaced by a good one.
 */
import { spawnSync } from 'node:child_process'
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { withoutDatabaseUrl } from '../support/cli.js'

const BIN = join(import.meta.dirname, '../../bin/keel.js')
const root = mkdtempSync(join(tmpdir(), 'keel-code-cache-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

// Records, for each vm.Script made, whether it was given cached data and whether V8 took it.
const SPY = `const vm = require('node:vm')
const { appendFileSync } = require('node:fs')
const Script = vm.Script
vm.Script = class extends Script {
  constructor(source, options) {
    super(source, options)
    const given = options?.cachedData !== undefined
    appendFileSync(process.env.KEEL_SPY_FILE, (given ? (this.cachedDataRejected ? 'rejected' : 'used') : 'none') + '\\n')
  }
}
`

/** A project with two migrations, and an embedded database that does not exist yet: status needs no server. */
function project(): string {
  const dir = mkdtempSync(join(root, 'project-'))
  for (const [folder, sql] of [
    ['20260101000000_one', 'CREATE TABLE one (id int);'],
    ['20260102000000_two', 'CREATE TABLE two (id int);'],
  ]) {
    mkdirSync(join(dir, 'migrations', folder as string), { recursive: true })
    writeFileSync(join(dir, 'migrations', folder as string, 'up.sql'), sql as string)
  }
  return dir
}

/** `keel status --json` with XDG_CACHE_HOME at `cacheHome`; what it printed and what the cache spy saw. */
function status(cwd: string, cacheHome: string) {
  const spyFile = join(cwd, 'spy.txt')
  writeFileSync(spyFile, '')
  const run = spawnSync(process.execPath, ['--require', join(root, 'spy.cjs'), BIN, 'status', '--json'], {
    cwd,
    env: { ...withoutDatabaseUrl(process.env), NO_COLOR: '1', XDG_CACHE_HOME: cacheHome, KEEL_SPY_FILE: spyFile },
    encoding: 'utf8',
  })
  return { code: run.status, stdout: run.stdout, stderr: run.stderr, cache: readFileSync(spyFile, 'utf8').trim() }
}

function cacheFiles(cacheHome: string): string[] {
  return readdirSync(join(cacheHome, 'keel')).map((name) => join(cacheHome, 'keel', name))
}

describe.skipIf(process.platform === 'win32')('the code cache of keel status', () => {
  writeFileSync(join(root, 'spy.cjs'), SPY)

  it('is written by the first run and used by the next, with the same output', () => {
    const dir = project()
    const cacheHome = join(dir, 'cache')
    const first = status(dir, cacheHome)
    expect(first.cache).toBe('none')
    // 1: no keel.sum yet, a problem status reports; the same with or without the cache.
    expect(first.code, first.stderr).toBe(1)
    expect(JSON.parse(first.stdout).migrations.map((m: { id: string }) => m.id)).toEqual([
      '20260101000000_one',
      '20260102000000_two',
    ])
    expect(cacheFiles(cacheHome)).toHaveLength(1)
    const second = status(dir, cacheHome)
    expect(second.cache).toBe('used')
    expect([second.code, second.stdout, second.stderr]).toEqual([first.code, first.stdout, first.stderr])
  })

  it('passes over a damaged or foreign cache file, with the same output, and writes a good one', () => {
    const dir = project()
    const cacheHome = join(dir, 'cache')
    const first = status(dir, cacheHome)
    const [file] = cacheFiles(cacheHome) as [string]
    const good = readFileSync(file)
    const headerEnd = good.indexOf(0x0a, good.indexOf(0x0a) + 1) + 1
    // Damaged: bytes of the payload changed, its header intact (V8 itself does not check a payload's checksum).
    const damaged = Buffer.from(good)
    for (let i = headerEnd + 1000; i < headerEnd + 1064; i++) damaged[i] = (damaged[i] as number) ^ 0x5a
    // Foreign: a whole, intact cache made for another bundle.
    const header = good
      .subarray(0, headerEnd)
      .toString()
      .replace(/keel-bundle sha256:[0-9a-f]+/, 'keel-bundle sha256:0')
    const foreign = Buffer.concat([Buffer.from(header), good.subarray(headerEnd)])
    for (const bad of [damaged, foreign, Buffer.from('not a cache'), Buffer.alloc(0)]) {
      writeFileSync(file, bad)
      const run = status(dir, cacheHome)
      expect(run.cache).toBe('none')
      expect([run.code, run.stdout, run.stderr]).toEqual([first.code, first.stdout, first.stderr])
      expect(status(dir, cacheHome).cache).toBe('used')
    }
  })

  // Root with another user's HOME (sudo keeps it on macOS): a folder made there would be root's in the user's home.
  it.skipIf(process.getuid?.() !== 0)("makes no folder in another user's cache directory", () => {
    const dir = project()
    const theirs = join(dir, 'home')
    mkdirSync(theirs)
    chownSync(theirs, 65534, 65534)
    const cacheHome = join(theirs, '.cache')
    const first = status(dir, cacheHome)
    expect(existsSync(cacheHome)).toBe(false)
    expect(first.cache).toBe('none')
    expect(JSON.parse(first.stdout).migrations).toHaveLength(2)
  })

  it('is neither read nor written in a cache directory that others can write', () => {
    const dir = project()
    const cacheHome = join(dir, 'cache')
    mkdirSync(join(cacheHome, 'keel'), { recursive: true })
    chmodSync(join(cacheHome, 'keel'), 0o777)
    const first = status(dir, cacheHome)
    const second = status(dir, cacheHome)
    expect([first.cache, second.cache]).toEqual(['none', 'none'])
    expect(cacheFiles(cacheHome)).toEqual([])
    expect([second.code, second.stdout, second.stderr]).toEqual([first.code, first.stdout, first.stderr])
    expect(JSON.parse(second.stdout).migrations).toHaveLength(2)
  })
})
