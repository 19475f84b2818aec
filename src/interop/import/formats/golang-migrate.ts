import { KeelError } from '../../../errors.js'
import type { ImportedMigration, MigrationFormat } from '../imported-migration.js'
import { folderFiles, naturalCompare, tidySql, timestampOf } from '../read-folder.js'

/**
 * golang-migrate: `{version}_{title}.up.sql` and `{version}_{title}.down.sql`; the version is an unsigned
 * integer (often a timestamp). Its journal, `schema_migrations(version, dirty)`, holds the latest version.
 */
export const golangMigrate: MigrationFormat = {
  tool: 'golang-migrate',
  describe: 'N_title.up.sql / N_title.down.sql',
  read(dir) {
    const byVersion = new Map<string, { name: string; up?: string; down?: string; files: string[] }>()
    for (const file of folderFiles(dir)) {
      const match = /^(\d+)(?:_(.*?))?\.(up|down)\.sql$/.exec(file.name)
      if (!match) continue
      const [, version = '', title = '', direction] = match
      const entry = byVersion.get(version) ?? { name: title, files: [] }
      if (entry[direction as 'up' | 'down'] !== undefined) {
        throw new KeelError('IMPORT_SOURCE', `${dir}: two ${direction} files for version ${version}`)
      }
      entry[direction as 'up' | 'down'] = file.text
      entry.files.push(file.path)
      byVersion.set(version, entry)
    }
    return [...byVersion.entries()]
      .sort(([a], [b]) => naturalCompare(a, b))
      .map(([version, entry]): ImportedMigration => {
        if (entry.up === undefined) {
          throw new KeelError('IMPORT_SOURCE', `${dir}: version ${version} has a down file but no up file`)
        }
        const at = timestampOf(version)
        return {
          version,
          name: entry.name || `version_${version}`,
          up: tidySql(entry.up),
          ...(entry.down === undefined ? {} : { down: tidySql(entry.down) }),
          noTransaction: false,
          journalKey: version,
          files: entry.files,
          ...(at === undefined ? {} : { at }),
          notes: [],
        }
      })
  },
}
