import { KeelError } from '../../../errors.js'
import type { ImportedMigration, MigrationFormat } from '../imported-migration.js'
import { folderFiles, tidySql, timestampOf } from '../read-folder.js'

/**
 * goose SQL migrations: `{version}_{name}.sql` with `-- +goose Up` and `-- +goose Down` sections,
 * `-- +goose StatementBegin` / `StatementEnd` around statements with semicolons inside (Keel's parser
 * splits those itself, so the markers go), and `-- +goose NO TRANSACTION`. Go migrations (`.go`) are
 * code and are refused. Journal: `goose_db_version(version_id, is_applied)`.
 */
export const goose: MigrationFormat = {
  tool: 'goose',
  describe: 'N_name.sql with -- +goose Up / Down (StatementBegin/End, NO TRANSACTION)',
  read(dir) {
    const files = folderFiles(dir)
    const code = files.find((f) => /^\d+_.*\.go$/.test(f.name))
    if (code) {
      throw new KeelError(
        'IMPORT_SOURCE',
        `${code.path}: a goose migration written in Go cannot be converted`,
        'Rewrite it as SQL (or as a Keel migration.ts) before importing.',
      )
    }
    return files.flatMap((file): ImportedMigration[] => {
      const match = /^(\d+)_(.*)\.sql$/.exec(file.name)
      if (!match) return []
      const [, version = '', name = ''] = match
      const sections = gooseSections(file.text, file.path)
      const at = timestampOf(version)
      return [
        {
          version,
          name,
          up: tidySql(sections.up),
          ...(sections.down.trim() === '' ? {} : { down: tidySql(sections.down) }),
          noTransaction: sections.noTransaction,
          journalKey: String(Number(version)),
          files: [file.path],
          ...(at === undefined ? {} : { at }),
          notes: sections.notes,
        },
      ]
    })
  },
}

function gooseSections(text: string, file: string) {
  let section: 'none' | 'up' | 'down' = 'none'
  const lines: Record<'up' | 'down', string[]> = { up: [], down: [] }
  let noTransaction = false
  const notes: string[] = []
  for (const [i, line] of text.split(/\r?\n/).entries()) {
    const annotation = /^\s*--\s*\+goose\s+(.*?)\s*$/i.exec(line)?.[1]
    if (annotation === undefined) {
      if (section !== 'none') lines[section].push(line)
      continue
    }
    const word = annotation.toUpperCase()
    if (word === 'UP') section = 'up'
    else if (word === 'DOWN') section = 'down'
    else if (word === 'NO TRANSACTION') noTransaction = true
    else if (word === 'STATEMENTBEGIN' || word === 'STATEMENTEND') continue
    else if (word.startsWith('ENVSUB'))
      notes.push(`${file}:${i + 1}: goose's environment substitution is not done by Keel`)
    else throw new KeelError('IMPORT_SOURCE', `${file}:${i + 1}: unknown goose annotation "+goose ${annotation}"`)
  }
  if (lines.up.join('').trim() === '' && section === 'none') {
    throw new KeelError('IMPORT_SOURCE', `${file}: no "-- +goose Up" section`)
  }
  return { up: lines.up.join('\n'), down: lines.down.join('\n'), noTransaction, notes }
}
