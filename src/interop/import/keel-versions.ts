import { versionAt } from '../../migrate/directory.js'
import type { ImportedMigration } from './imported-migration.js'

/**
 * Keel versions (14-digit UTC timestamps) for imported migrations, in their tool's order. When the tool
 * recorded a moment for each (a timestamp version, drizzle-kit's `when`), that moment is the version,
 * moved on by a second where two fall in one second; otherwise (versions 1, 2, 3 or Flyway's 1.1) the
 * n-th migration gets 1970-01-01 00:00:00 plus n seconds, which keeps the order and sorts before anything
 * `keel generate` writes later.
 */
export function keelVersions(migrations: readonly ImportedMigration[]): string[] {
  const moments = migrations.map((m) => m.at)
  const dated = moments.every((at): at is Date => at !== undefined)
  let previous = -Infinity
  return migrations.map((_, i) => {
    const wanted = dated ? Math.floor((moments[i] as Date).getTime() / 1000) : i + 1
    const seconds = Math.max(wanted, previous + 1)
    previous = seconds
    return versionAt(new Date(seconds * 1000))
  })
}
