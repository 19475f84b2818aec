import { KeelError } from '../../../errors.js'
import type { ImportedMigration, MigrationFormat } from '../imported-migration.js'
import { folderFiles, tidySql } from '../read-folder.js'

/**
 * Liquibase formatted SQL: files starting `--liquibase formatted sql`, each a list of `--changeset
 * author:id` with `--rollback ...` lines. One file becomes one migration (changesets keep their comment
 * lines); its down is every changeset's rollback, last first, and exists only when each changeset has one.
 * `runInTransaction:false` makes the migration run outside a transaction. Journal: `databasechangelog`.
 */
export const liquibase: MigrationFormat = {
  tool: 'liquibase',
  describe: '--liquibase formatted sql files with --changeset author:id and --rollback',
  read(dir) {
    return folderFiles(dir, { recursive: true }).flatMap((file, position): ImportedMigration[] => {
      if (!file.name.endsWith('.sql')) return []
      if (!/^\s*--\s*liquibase formatted sql/i.test(file.text)) {
        throw new KeelError(
          'IMPORT_SOURCE',
          `${file.path}: not a Liquibase formatted SQL file (no "--liquibase formatted sql" line)`,
        )
      }
      const changesets = readChangesets(file.text, file.path)
      const complete = changesets.every((c) => c.rollback.length > 0)
      const name = file.name.replace(/\.sql$/, '').replace(/^\d+[_-]?/, '')
      return [
        {
          version: String(position + 1),
          name: name || file.name,
          up: tidySql(changesets.map((c) => `${c.header}\n${c.body.join('\n').trim()}`).join('\n\n')),
          ...(complete && changesets.length > 0
            ? {
                down: tidySql(
                  [...changesets]
                    .reverse()
                    .map((c) => c.rollback.join('\n'))
                    .join('\n'),
                ),
              }
            : {}),
          noTransaction: changesets.some((c) => c.noTransaction),
          journalKey: changesets.map((c) => c.id).join(','),
          files: [file.path],
          notes:
            !complete && changesets.some((c) => c.rollback.length > 0)
              ? [`${file.path}: not every changeset has a rollback, so the migration has no down`]
              : [],
        },
      ]
    })
  },
}

interface Changeset {
  readonly id: string
  readonly header: string
  readonly body: string[]
  readonly rollback: string[]
  readonly noTransaction: boolean
}

function readChangesets(text: string, file: string): Changeset[] {
  const changesets: Changeset[] = []
  for (const [i, line] of text.split(/\r?\n/).entries()) {
    const header = /^\s*--\s*changeset\s+(\S+?:\S+)(.*)$/i.exec(line)
    if (header) {
      changesets.push({
        id: header[1] ?? '',
        header: line.trim(),
        body: [],
        rollback: [],
        noTransaction: /\brunInTransaction:false\b/i.test(header[2] ?? ''),
      })
      continue
    }
    const current = changesets.at(-1)
    const rollback = /^\s*--\s*rollback:?\s?(.*)$/i.exec(line)
    if (rollback) {
      if (current === undefined)
        throw new KeelError('IMPORT_SOURCE', `${file}:${i + 1}: a rollback outside any changeset`)
      const sql = (rollback[1] ?? '').trim()
      if (sql !== '' && !/^empty$/i.test(sql)) current.rollback.push(sql)
      else if (/^empty$/i.test(sql)) current.rollback.push('-- (empty rollback)')
      continue
    }
    if (/^\s*--\s*liquibase formatted sql/i.test(line) || current === undefined) continue
    if (/^\s*--\s*(preconditions|precondition-|comment:?|validCheckSum|ignoreLines)/i.test(line)) continue
    current.body.push(line)
  }
  return changesets
}
