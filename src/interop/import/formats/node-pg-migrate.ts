import { KeelError } from '../../../errors.js'
import type { ImportedMigration, MigrationFormat } from '../imported-migration.js'
import { folderFiles, tidySql } from '../read-folder.js'

/**
 * node-pg-migrate SQL migrations: `<timestamp>_<name>.sql` with `-- Up Migration` and `-- Down Migration`.
 * JavaScript/TypeScript migrations build SQL in code and are refused by name. Journal: `pgmigrations(name)`.
 */
export const nodePgMigrate: MigrationFormat = {
  tool: 'node-pg-migrate',
  describe: '<timestamp>_name.sql with -- Up Migration / -- Down Migration',
  read(dir) {
    const files = folderFiles(dir)
    const code = files.find((f) => /\.(c|m)?(js|ts)$/.test(f.name))
    if (code) {
      throw new KeelError(
        'IMPORT_SOURCE',
        `${code.path}: a node-pg-migrate migration written in code cannot be converted`,
        'Keel imports SQL migrations; adopt the rest with `keel baseline`, or rewrite them as SQL first.',
      )
    }
    return files.flatMap((file): ImportedMigration[] => {
      const match = /^(\d+)_(.*)\.sql$/.exec(file.name)
      if (!match) return []
      const [, version = '', name = ''] = match
      const body = file.text.replace(/^\s*--\s*Up Migration\s*$/m, '')
      const [up = '', down = ''] = body.split(/^\s*--\s*Down Migration\s*$/m)
      const millis = Number(version)
      return [
        {
          version,
          name,
          up: tidySql(up),
          ...(down.trim() === '' ? {} : { down: tidySql(down) }),
          noTransaction: false,
          journalKey: file.name.replace(/\.sql$/, ''),
          files: [file.path],
          ...(version.length === 13 && Number.isFinite(millis) ? { at: new Date(millis) } : {}),
          notes: [],
        },
      ]
    })
  },
}
