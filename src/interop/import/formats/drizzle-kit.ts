import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { KeelError } from '../../../errors.js'
import type { ImportedMigration, MigrationFormat } from '../imported-migration.js'
import { tidySql } from '../read-folder.js'
import { drizzleKitDialects } from '../served-dialects.js'

interface JournalEntry {
  readonly idx: number
  readonly when: number
  readonly tag: string
}

/**
 * drizzle-kit: `meta/_journal.json` lists the migrations in order (`tag`, and `when`, the moment it was
 * generated, which is also what `__drizzle_migrations.created_at` records); each is `<tag>.sql`, its
 * statements separated by `--> statement-breakpoint` (Keel's parser splits statements itself). No downs.
 */
export const drizzleKit: MigrationFormat = {
  tool: 'drizzle-kit',
  describe: '<tag>.sql files listed in meta/_journal.json',
  async read(dir) {
    const journalFile = join(dir, 'meta', '_journal.json')
    if (!existsSync(journalFile)) {
      throw new KeelError(
        'IMPORT_SOURCE',
        `${journalFile}: not found`,
        'Point at the folder drizzle-kit generates into (`out` in drizzle.config).',
      )
    }
    const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { dialect?: string; entries?: JournalEntry[] }
    const dialects = await drizzleKitDialects()
    if (journal.dialect !== undefined && !dialects.includes(journal.dialect)) {
      throw new KeelError(
        'UNSUPPORTED',
        `${journalFile}: the migrations are for ${journal.dialect}; Keel imports those for ${dialects.join(', ')}`,
      )
    }
    return [...(journal.entries ?? [])]
      .sort((a, b) => a.idx - b.idx)
      .map((entry): ImportedMigration => {
        const file = join(dir, `${entry.tag}.sql`)
        if (!existsSync(file)) throw new KeelError('IMPORT_SOURCE', `${file}: listed in meta/_journal.json but missing`)
        const text = readFileSync(file, 'utf8')
          .replace(/^\s*-->\s*statement-breakpoint\s*$/gm, '')
          .replace(/-->\s*statement-breakpoint/g, '')
        return {
          version: String(entry.idx).padStart(4, '0'),
          name: entry.tag.replace(/^\d+_/, ''),
          up: tidySql(text),
          noTransaction: false,
          journalKey: String(entry.when),
          files: [`${entry.tag}.sql`],
          at: new Date(entry.when),
          notes: [],
        }
      })
  },
}
