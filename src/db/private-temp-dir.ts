import { lstatSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * A folder of the system's temp directory that only this user can write (`<tmp>/<name>-<uid>`, made if missing),
 * or undefined when that cannot be had. Caches that Keel later loads and runs (transformed project code, PGlite's
 * data directory) live only there: the temp directory is shared, and a folder or file another user made could
 * hold planted content. A symlink is refused too, since it may point into someone else's folder.
 */
export function privateTempDir(name: string): string | undefined {
  const uid = process.getuid?.()
  const dir = join(tmpdir(), `${name}-${uid ?? 'user'}`)
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    const stat = lstatSync(dir)
    if (!stat.isDirectory()) return undefined
    if (uid !== undefined && (stat.uid !== uid || (stat.mode & 0o022) !== 0)) return undefined
    return dir
  } catch {
    return undefined
  }
}
