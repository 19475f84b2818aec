import { existsSync, statSync } from 'node:fs'
import { KeelError } from '../../errors.js'
import { migrationFormat } from './formats.js'
import { type WrittenMigration, writeImported } from './write-imported.js'

export interface ImportOptions {
  /** The other tool's migrations folder. */
  readonly dir: string
  readonly tool: string | undefined
  /** Keel's migrations directory to write (must be empty or missing). */
  readonly out: string
  /** The project's database URL, beside which code migrations (knex) run on a scratch database. */
  readonly near?: string
}

/** Converts another tool's migrations folder into Keel's directory; returns what was written. */
export async function importMigrations(options: ImportOptions): Promise<{
  readonly tool: string
  readonly migrations: readonly WrittenMigration[]
}> {
  const format = migrationFormat(options.tool)
  if (!existsSync(options.dir) || !statSync(options.dir).isDirectory()) {
    throw new KeelError('SOURCE_NOT_FOUND', `no such directory: ${options.dir}`)
  }
  const migrations =
    'read' in format
      ? await format.read(options.dir)
      : await format.convert(options.dir, options.near === undefined ? {} : { near: options.near })
  if (migrations.length === 0) {
    throw new KeelError('IMPORT_SOURCE', `${options.dir}: no ${format.tool} migrations found (${format.describe})`)
  }
  return { tool: format.tool, migrations: writeImported(options.out, format.tool, migrations) }
}
