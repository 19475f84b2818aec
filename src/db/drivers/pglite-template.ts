import { randomBytes } from 'node:crypto'
import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { privateTempDir } from '../private-temp-dir.js'

/**
 * A freshly initialised PGlite data directory, kept so that later in-memory databases skip initdb.
 * Creating a PGlite from nothing runs initdb in WebAssembly (about 5 s here); loading a saved data
 * directory takes under a second. Scratch databases (one or two per `diff`, `generate` or `check`)
 * are in-memory PGlites, so this is most of their cost.
 *
 * The template is kept in memory for the process and in this user's temp folder across processes,
 * keyed by the PGlite build, so that an upgrade never loads a data directory of another version.
 */
let template: Promise<Blob> | undefined

export function freshDataDir(): Promise<Blob> {
  template ??= loadOrCreate().catch((error) => {
    template = undefined
    throw error
  })
  return template
}

async function loadOrCreate(): Promise<Blob> {
  const file = cacheFile()
  try {
    if (file !== undefined) return new Blob([readFileSync(file)])
  } catch {
    // Not cached yet (or unreadable): create it below.
  }
  const db = new PGlite()
  await db.waitReady
  const blob = await db.dumpDataDir('none')
  await db.close()
  if (file === undefined) return blob
  try {
    // Write then rename, so that a concurrent process never reads half a file.
    const partial = `${file}.${randomBytes(4).toString('hex')}.partial`
    writeFileSync(partial, Buffer.from(await blob.arrayBuffer()))
    renameSync(partial, file)
  } catch {
    // A read-only temp directory only costs speed.
  }
  return blob
}

/** Forgets a cached template that failed to load (say, truncated by a full disk). */
export function discardCachedDataDir(): void {
  template = undefined
  const file = cacheFile()
  if (file !== undefined) rmSync(file, { force: true })
}

/** In a temp folder only this user can write (a planted data directory would be loaded), else none. */
function cacheFile(): string | undefined {
  const dir = privateTempDir('keel-pglite')
  if (dir === undefined) return undefined
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite')
  const stamp = statSync(entry)
  const build = `${Math.round(stamp.mtimeMs)}-${stamp.size}`
  return join(dir, `template-${build}.tar`)
}
