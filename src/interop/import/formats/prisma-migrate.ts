import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { KeelError } from '../../../errors.js'
import type { ImportedMigration, MigrationFormat } from '../imported-migration.js'
import { tidySql, timestampOf } from '../read-folder.js'
import { prismaProviders } from '../served-dialects.js'

/**
 * Prisma Migrate: `migrations/<timestamp>_<name>/migration.sql` beside `migration_lock.toml`, whose
 * provider must be one a dialect of Keel serves (postgresql, mysql, sqlite; the SQL is kept as Prisma wrote it).
 * Prisma has no down migrations. Journal: `_prisma_migrations`.
 */
export const prismaMigrate: MigrationFormat = {
  tool: 'prisma',
  describe: 'migrations/<timestamp>_<name>/migration.sql with migration_lock.toml',
  async read(dir) {
    const lock = join(dir, 'migration_lock.toml')
    if (existsSync(lock)) {
      const provider = /^\s*provider\s*=\s*"([^"]*)"/m.exec(readFileSync(lock, 'utf8'))?.[1]
      const providers = await prismaProviders()
      if (provider !== undefined && !providers.accepted.includes(provider)) {
        throw new KeelError(
          'UNSUPPORTED',
          `${lock}: the migrations are for ${provider}; Keel imports those for ${providers.named.join(', ')}`,
        )
      }
    }
    return readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort()
      .flatMap((folder): ImportedMigration[] => {
        const file = join(dir, folder, 'migration.sql')
        if (!existsSync(file)) return []
        const match = /^(\d{14})_(.*)$/.exec(folder)
        const version = match?.[1] ?? folder
        const at = timestampOf(version)
        return [
          {
            version,
            name: match?.[2] ?? folder,
            up: tidySql(readFileSync(file, 'utf8')),
            noTransaction: false,
            journalKey: folder,
            files: [`${folder}/migration.sql`],
            ...(at === undefined ? {} : { at }),
            notes: [],
          },
        ]
      })
  },
}
