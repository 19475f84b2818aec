/**
 * bin/code-cache.js: `keel status` runs from dist/cli-bundle.cjs with V8's code cache kept in the user's cache
 * directory. A cache that is damaged, made for another bundle, or in a directory others can write is never handed
 * to V8 (a damaged payload crashed Node): the command's output is the same as with no cache, and a bad cache is
 * replaced by a good one. A run that writes its cache removes Keel's caches of bundles that are gone or changed.
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
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runKeel, TEST_CACHE_HOME, withoutDatabaseUrl } from '../support/cli.js'

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

/**
 * Where a folder of another user's can be had: root makes one (CHOWN); another user takes a folder not theirs that
 * anyone may write in, or none (then the case cannot be set up).
 */
const CHOWN = 'chown'
const foreignParent =
  process.getuid?.() === 0
    ? CHOWN
    : [tmpdir(), '/tmp'].find((path) => {
        const stat = statSync(path, { throwIfNoEntry: false })
        return stat !== undefined && stat.uid !== process.getuid?.() && (stat.mode & 0o1002) === 0o1002
      })

/** The code cache's files (beside them, status keeps its checksum cache: src/migrate/checksum-cache.ts). */
function cacheFiles(cacheHome: string): string[] {
  return readdirSync(join(cacheHome, 'keel'))
    .filter((name) => name.endsWith('.v8-cache'))
    .map((name) => join(cacheHome, 'keel', name))
}

/** A file in the cache folder's format: its header (format line, then the key and checksum), then `payload`. */
function cacheFile(format: number, header: Record<string, unknown>, payload = 'payload'): string {
  return `keel-code-cache ${format}\n${JSON.stringify({ sha256: '0', ...header })}\n${payload}`
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
  // As root, a home of 65534's stands for it; as another user, a folder of someone else's that anyone may make
  // folders in (/tmp: sticky and world-writable, root's), where `mkdir -p` would succeed. Confirmed as uid 65534: the
  // code before a492eec made /tmp/<new>/.cache/keel, today's does not.
  it.skipIf(foreignParent === undefined)("makes no folder in another user's cache directory", () => {
    const dir = project()
    let theirs = join(foreignParent as string, `keel-not-mine-${process.pid}-${Date.now()}`)
    if (foreignParent === CHOWN) {
      theirs = join(dir, 'home')
      mkdirSync(theirs)
      chownSync(theirs, 65534, 65534)
    }
    const cacheHome = join(theirs, '.cache')
    try {
      const first = status(dir, cacheHome)
      expect(existsSync(cacheHome)).toBe(false)
      expect(first.cache).toBe('none')
      expect(JSON.parse(first.stdout).migrations).toHaveLength(2)
    } finally {
      if (foreignParent !== CHOWN) rmSync(theirs, { recursive: true, force: true })
    }
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

  it("removes Keel's caches of bundles that are gone or changed when it writes its own, and nothing else", () => {
    const dir = project()
    const cacheHome = join(dir, 'cache')
    const folder = join(cacheHome, 'keel')
    // The cache of keel's help run from the bundle (keel --help alone is printed from dist/help.json, without it): the
    // bundle it was made from is the one status runs, so it stays.
    const help = spawnSync(process.execPath, [BIN, '--help', '--json'], {
      cwd: dir,
      env: { ...withoutDatabaseUrl(process.env), XDG_CACHE_HOME: cacheHome },
    })
    expect(help.status).toBe(0)
    const [helpCache] = cacheFiles(cacheHome) as [string]
    const bundle = JSON.parse(readFileSync(helpCache, 'utf8').split('\n')[1] as string).bundle
    expect(existsSync(bundle)).toBe(true)
    const stale = {
      // An installation or worktree since removed.
      'status-00000000000000a1.v8-cache': cacheFile(2, {
        key: '// keel-bundle sha256:1 1 1 1',
        bundle: join(dir, 'gone.cjs'),
      }),
      // This bundle before it was built again.
      'status-00000000000000a2.v8-cache': cacheFile(2, { key: '// keel-bundle sha256:2 1 1 1 v20 x64', bundle }),
      // The format before: its bundle is not recorded, and no Keel that reads this format reads it.
      'help-00000000000000a3.v8-cache': cacheFile(1, { key: '// keel-bundle sha256:3 1 1 1' }),
      // Left by a process that died while writing, two hours ago.
      'status-00000000000000a4.v8-cache.4242.tmp': 'partial',
    }
    const kept = {
      // Not Keel's names, or a format after this one's, or a temporary file being written now.
      'notes.txt': 'mine',
      'status-00000000000000b1.v8-cache.old': cacheFile(2, { key: 'x', bundle: join(dir, 'gone.cjs') }),
      'status-00000000000000b2.v8-cache': cacheFile(3, { key: 'x', bundle: join(dir, 'gone.cjs') }),
      'status-00000000000000b3.v8-cache.4243.tmp': 'partial',
    }
    for (const [name, text] of Object.entries({ ...stale, ...kept }))
      writeFileSync(join(folder, name), text, { mode: 0o600 })
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000)
    utimesSync(join(folder, 'status-00000000000000a4.v8-cache.4242.tmp'), twoHoursAgo, twoHoursAgo)

    // A run that writes its cache removes what no run can use.
    const first = status(dir, cacheHome)
    expect(first.cache).toBe('none')
    const written = readdirSync(folder).filter(
      (name) => /^status-[0-9a-f]{16}\.v8-cache$/.test(name) && !(name in stale) && !(name in kept),
    )
    expect(written).toHaveLength(1)
    // (status's checksum cache, beside them, is its own: src/migrate/checksum-cache.ts)
    const left = readdirSync(folder).filter((name) => !name.startsWith('checksums-'))
    expect(left.sort()).toEqual([...Object.keys(kept), basename(helpCache), ...written].sort())
    expect(status(dir, cacheHome).cache).toBe('used')
  })

  // macOS's cache directory is ~/Library/Caches whatever XDG_CACHE_HOME says: there the tests' runs still use it.
  it.skipIf(process.platform === 'darwin')(
    "keeps the tests' own keel runs out of the user's cache directory (test/support/cli.ts)",
    async () => {
      const dir = project()
      const home = join(dir, 'home')
      mkdirSync(home)
      const run = await runKeel(['help', 'status'], { cwd: dir, env: { HOME: home } })
      expect(run.code, run.stderr).toBe(0)
      expect(existsSync(join(home, '.cache'))).toBe(false)
      expect(readdirSync(join(TEST_CACHE_HOME, 'keel')).some((name) => name.startsWith('status-'))).toBe(true)
    },
  )
})
