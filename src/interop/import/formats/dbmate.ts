import { KeelError } from '../../../errors.js'
import type { ImportedMigration, MigrationFormat } from '../imported-migration.js'
import { folderFiles, tidySql, timestampOf } from '../read-folder.js'

/**
 * dbmate: `{version}_{name}.sql` with `-- migrate:up` and `-- migrate:down` sections; `transaction:false`
 * on the section line runs it outside a transaction. Journal: `schema_migrations(version)`, one row per
 * applied version.
 */
export const dbmate: MigrationFormat = {
  tool: 'dbmate',
  describe: 'N_name.sql with -- migrate:up / -- migrate:down',
  read(dir) {
    return folderFiles(dir).flatMap((file): ImportedMigration[] => {
      const match = /^(\d+)_(.*)\.sql$/.exec(file.name)
      if (!match) return []
      const [, version = '', name = ''] = match
      let section: 'none' | 'up' | 'down' = 'none'
      const lines: Record<'up' | 'down', string[]> = { up: [], down: [] }
      const noTransaction = { up: false, down: false }
      for (const line of file.text.split(/\r?\n/)) {
        const marker = /^\s*--\s*migrate:(up|down)\b(.*)$/.exec(line)
        if (marker) {
          section = marker[1] as 'up' | 'down'
          if (/\btransaction:false\b/.test(marker[2] ?? '')) noTransaction[section] = true
          continue
        }
        if (section !== 'none') lines[section].push(line)
      }
      if (section === 'none') throw new KeelError('IMPORT_SOURCE', `${file.path}: no "-- migrate:up" section`)
      const down = lines.down.join('\n')
      const at = timestampOf(version)
      return [
        {
          version,
          name,
          up: tidySql(lines.up.join('\n')),
          ...(down.trim() === '' ? {} : { down: tidySql(down) }),
          noTransaction: noTransaction.up,
          journalKey: version,
          files: [file.path],
          ...(at === undefined ? {} : { at }),
          notes: noTransaction.down && !noTransaction.up ? [`${file.path}: its down ran outside a transaction`] : [],
        },
      ]
    })
  },
}
