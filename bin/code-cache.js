// Runs a CommonJS script (dist/cli-bundle.cjs) with V8's code cache kept between runs: Node 20 compiles every
// function of every module again in each process (22.1 has module.enableCompileCache; 20 has nothing). The cache
// is written once the script has run, so that it holds the functions compiled lazily during the run too, and read
// by the next run instead of parsing and compiling them.
//
// What V8 checks of a cache (its version, flags, the source's length) does not prove it belongs to this source,
// and it does not check the payload: a damaged one crashed Node. So the cache file names what it was made from
// (the bundle's content hash from its first line, its size, mtime and inode, Node's version and arch) and the
// sha256 of its payload; anything else is not handed to V8, and the script is compiled as if there were no cache.
// The file lives in the user's own cache directory, which must be theirs and writable by them alone: compiled
// code (or, for keel status's checksum cache, checksums) that another user could write would be trusted by this one.
// A run that writes a cache also removes Keel's caches there whose bundle is gone or was built again (a removed
// install, worktree or package folder): each bundle path has a file of its own, and nothing else would remove them.
'use strict'
const { createHash } = require('node:crypto')
const fs = require('node:fs')
const { createRequire } = require('node:module')
const { homedir } = require('node:os')
const { dirname, isAbsolute, join } = require('node:path')
const vm = require('node:vm')

const FORMAT = 'keel-code-cache 2'
/** The names Keel gives its cache files and their temporary files (cacheFileFor, writeCache): the only ones pruned. */
const CACHE_NAME = /^[a-z]+-[0-9a-f]{16}\.v8-cache$/
const TEMPORARY_NAME = /^[a-z]+-[0-9a-f]{16}\.v8-cache\.\d+\.tmp$/
/** How old a temporary file must be to be taken as left by a process that died while writing it (it takes ms). */
const ABANDONED_MS = 60 * 60 * 1000

/**
 * Loads `file` as a CommonJS module run from a vm.Script with the code cache; returns its exports. `use` names what
 * the run does with it (`status`, `help`): each keeps its own cache, holding the functions that use compiles.
 */
function requireWithCodeCache(file, use) {
  const source = fs.readFileSync(file, 'utf8')
  const cacheFile = cacheFileFor(file, use)
  const key = cacheFile === undefined ? '' : `${bundleKey(file, firstLine(source))} ${process.version} ${process.arch}`
  const cachedData = cacheFile === undefined ? undefined : readCache(cacheFile, key)
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    ...(cachedData === undefined ? {} : { cachedData }),
  })
  if (cacheFile !== undefined && (cachedData === undefined || script.cachedDataRejected === true)) {
    // At exit, when the run has compiled what it needed. Synchronous (an exit handler cannot wait), and silent:
    // a cache that cannot be written is only a slower next start.
    process.once('exit', () => {
      if (writeCache(cacheFile, key, file, script)) pruneCaches(dirname(cacheFile), cacheFile)
    })
  }
  const module = { exports: {} }
  script.runInThisContext().call(module.exports, module.exports, createRequire(file), module, file, dirname(file))
  return module.exports
}

/**
 * Where the cache of `file` is kept: one file per installed bundle (its path hashed) and use, in Keel's folder of the
 * user's cache directory. Undefined when KEEL_CODE_CACHE=0, or when no such folder can be made safe.
 */
function cacheFileFor(file, use) {
  if (process.env.KEEL_CODE_CACHE === '0') return undefined
  const dir = keelCacheFolder()
  if (dir === undefined) return undefined
  return join(dir, `${use}-${createHash('sha256').update(file).digest('hex').slice(0, 16)}.v8-cache`)
}

/**
 * Keel's folder in the user's cache directory, made when missing; undefined when it cannot be made safe. Besides the
 * code cache, `keel status` keeps its checksum cache there (src/migrate/checksum-cache.ts; bin/keel.js hands it the
 * folder).
 */
function keelCacheFolder() {
  try {
    const dir = join(userCacheDirectory(), 'keel')
    if (!fs.existsSync(dir)) {
      // Made only where this user's folders are: root with another user's HOME (sudo keeps it on macOS, sudo -E
      // anywhere) made a folder of root's in that user's cache directory (or the cache directory itself), which the
      // user's own runs could then never write, nor other programs of theirs in a ~/.cache made root's.
      if (!ownedByUser(nearestExisting(dirname(dir)))) return undefined
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 })
    }
    return ownedByUserAlone(fs.lstatSync(dir), true) ? dir : undefined
  } catch {
    return undefined
  }
}

/** The per-user cache directory of the platform (XDG_CACHE_HOME when it is an absolute path). */
function userCacheDirectory() {
  if (process.platform === 'win32') return process.env.LOCALAPPDATA || join(homedir(), 'AppData', 'Local')
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Caches')
  const xdg = process.env.XDG_CACHE_HOME
  return xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.cache')
}

/** The status of `path`, or of its nearest ancestor that exists (links followed: ~/.cache may be one). */
function nearestExisting(path) {
  const stat = fs.statSync(path, { throwIfNoEntry: false })
  return stat !== undefined || dirname(path) === path ? stat : nearestExisting(dirname(path))
}

/** Whether a folder is this user's (POSIX; on Windows, where there is no uid, the per-user folder is). */
function ownedByUser(stat) {
  return stat !== undefined && (process.platform === 'win32' || stat.uid === process.getuid())
}

/** Whether a directory or file is this user's and no one else can write it (POSIX; Windows' per-user folder is). */
function ownedByUserAlone(stat, directory) {
  if (process.platform === 'win32') return directory ? stat.isDirectory() : stat.isFile()
  if (directory ? !stat.isDirectory() : !stat.isFile()) return false
  return stat.uid === process.getuid() && (stat.mode & 0o022) === 0
}

/**
 * What a cache must have been made from to be used, less the Node it ran on: this exact bundle (its content hash,
 * from its first line, and its file). A cache's key is this, then Node's version and arch.
 */
function bundleKey(file, first) {
  const stat = fs.statSync(file)
  const content = first.startsWith('// keel-bundle ') ? first : ''
  return [content, stat.size, stat.mtimeMs, stat.ino].join(' ')
}

function firstLine(text) {
  const end = text.indexOf('\n')
  return end < 0 ? text : text.slice(0, end)
}

/** The cached data in `cacheFile` if it was made for `key` and is intact, else undefined. */
function readCache(cacheFile, key) {
  try {
    if (!ownedByUserAlone(fs.lstatSync(cacheFile), false)) return undefined
    const bytes = fs.readFileSync(cacheFile)
    const first = bytes.indexOf(0x0a)
    const end = first < 0 ? -1 : bytes.indexOf(0x0a, first + 1)
    if (end < 0 || bytes.toString('utf8', 0, first) !== FORMAT) return undefined
    const { key: madeFor, sha256 } = JSON.parse(bytes.toString('utf8', first + 1, end))
    const payload = bytes.subarray(end + 1)
    if (madeFor !== key || sha256 !== createHash('sha256').update(payload).digest('hex')) return undefined
    return payload
  } catch {
    return undefined
  }
}

/**
 * Writes the script's code cache for `key`, made from `bundle`: whole or not at all (a temporary file renamed over
 * the old one). Whether it was written.
 */
function writeCache(cacheFile, key, bundle, script) {
  const temporary = `${cacheFile}.${process.pid}.tmp`
  try {
    const payload = script.createCachedData()
    const header = JSON.stringify({ key, sha256: createHash('sha256').update(payload).digest('hex'), bundle })
    fs.writeFileSync(temporary, Buffer.concat([Buffer.from(`${FORMAT}\n${header}\n`), payload]), {
      mode: 0o600,
      flag: 'wx',
    })
    fs.renameSync(temporary, cacheFile)
    return true
  } catch {
    try {
      fs.unlinkSync(temporary)
    } catch {}
    return false
  }
}

/**
 * Removes from `dir` (Keel's own folder, checked as this user's alone) the cache files no run can use any more, but
 * `kept`: a cache whose bundle is gone or is not the bundle it was made from, one in the format before this one (its
 * bundle unknown), and a temporary file a process left an hour ago or more. Only files named as Keel names them and
 * owned by this user; a cache in a format after this one is left to the Keel that wrote it. Silent, as the write.
 */
function pruneCaches(dir, kept) {
  try {
    for (const name of fs.readdirSync(dir)) {
      const path = join(dir, name)
      if (path === kept || !(CACHE_NAME.test(name) || TEMPORARY_NAME.test(name))) continue
      try {
        const stat = fs.lstatSync(path)
        if (!ownedByUserAlone(stat, false)) continue
        const stale = CACHE_NAME.test(name) ? isStaleCache(path) : Date.now() - stat.mtimeMs >= ABANDONED_MS
        if (stale) fs.unlinkSync(path)
      } catch {}
    }
  } catch {}
}

/** Whether the cache file at `path` was made from a bundle that is gone or has changed since (or its format's). */
function isStaleCache(path) {
  const head = readHead(path, 4096)
  const lines = head.split('\n')
  if (lines[0] === 'keel-code-cache 1') return true
  if (lines[0] !== FORMAT || lines.length < 3) return false
  const { key, bundle } = JSON.parse(lines[1])
  if (typeof bundle !== 'string' || !isAbsolute(bundle) || !fs.existsSync(bundle)) return true
  return typeof key !== 'string' || !key.startsWith(`${bundleKey(bundle, firstLine(readHead(bundle, 256)))} `)
}

/** The first `bytes` bytes of a file, as text. */
function readHead(path, bytes) {
  const fd = fs.openSync(path, 'r')
  try {
    const buffer = Buffer.alloc(bytes)
    return buffer.toString('utf8', 0, fs.readSync(fd, buffer, 0, bytes, 0))
  } finally {
    fs.closeSync(fd)
  }
}

module.exports = { requireWithCodeCache, keelCacheFolder }
