import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { KeelError } from '../../errors.js'
import { readMigrationsDirectory, snakeName } from '../../migrate/directory.js'
import { writeSum } from '../../migrate/keel-sum.js'
import type { ImportedMigration } from './imported-migration.js'
import { keelVersions } from './keel-versions.js'

/** What `keel import` wrote for one migration. */
export interface WrittenMigration {
  readonly id: string
  readonly from: readonly string[]
  readonly down: boolean
  readonly noTransaction: boolean
  readonly notes: readonly string[]
}

/**
 * Writes imported migrations as Keel's directory (`<version>_<name>/up.sql`, `down.sql` where the tool had
 * a down) and its keel.sum. Each up.sql starts with `-- keel:imported-from TOOL KEY` (what `keel baseline
 * --from-peer` matches against the tool's journal) and, where the tool ran it outside a transaction,
 * `-- keel:no-transaction`. Refuses a directory that already holds migrations: importing beside them would
 * interleave histories nobody reviewed together.
 */
export function writeImported(out: string, tool: string, migrations: readonly ImportedMigration[]): WrittenMigration[] {
  if (existsSync(out) && readdirSync(out).some((name) => !name.startsWith('.'))) {
    throw new KeelError(
      'IMPORT_SOURCE',
      `${out} is not empty`,
      'Import into a new, empty migrations directory (--out DIR), then replace the old one.',
    )
  }
  const versions = keelVersions(migrations)
  mkdirSync(out, { recursive: true })
  const written = migrations.map((migration, i): WrittenMigration => {
    const id = `${versions[i]}_${snakeName(migration.name) || 'imported'}`
    const folder = join(out, id)
    mkdirSync(folder)
    const header = [
      `-- keel:imported-from ${tool} ${encodeURIComponent(migration.journalKey)}${journalTable(migration)}`,
      ...(migration.noTransaction ? ['-- keel:no-transaction'] : []),
      `-- Imported by \`keel import --from ${tool}\` from ${migration.files.join(', ')} (version ${migration.version}).`,
      ...migration.notes.map((note) => `-- Note: ${note}`),
    ]
    writeFileSync(join(folder, 'up.sql'), `${header.join('\n')}\n${migration.up}`)
    if (migration.down !== undefined) {
      writeFileSync(join(folder, 'down.sql'), `-- Imported by \`keel import --from ${tool}\`.\n${migration.down}`)
    }
    return {
      id,
      from: migration.files,
      down: migration.down !== undefined,
      noTransaction: migration.noTransaction,
      notes: migration.notes,
    }
  })
  writeSum(readMigrationsDirectory(out))
  return written
}

/** ` TABLE` for the imported-from directive when the tool's journal table is not its default ('' when it is). */
function journalTable(migration: ImportedMigration): string {
  const table = migration.journalTable
  if (table === undefined) return ''
  // Each part URI-encoded, dots too: the parts are joined with one.
  const part = (name: string) => encodeURIComponent(name).replace(/\./g, '%2E')
  return ` ${table.namespace === undefined ? '' : `${part(table.namespace)}.`}${part(table.table)}`
}
