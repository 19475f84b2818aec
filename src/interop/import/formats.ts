import { KeelError } from '../../errors.js'
import { dbmate } from './formats/dbmate.js'
import { drizzleKit } from './formats/drizzle-kit.js'
import { flyway } from './formats/flyway.js'
import { golangMigrate } from './formats/golang-migrate.js'
import { goose } from './formats/goose.js'
import { knexMigrations } from './formats/knex.js'
import { liquibase } from './formats/liquibase.js'
import { nodePgMigrate } from './formats/node-pg-migrate.js'
import { prismaMigrate } from './formats/prisma-migrate.js'
import type { CodeMigrationFormat, MigrationFormat } from './imported-migration.js'

/** Every tool `keel import --from` knows, one line each. */
export const migrationFormats: readonly (MigrationFormat | CodeMigrationFormat)[] = [
  golangMigrate,
  goose,
  dbmate,
  flyway,
  liquibase,
  prismaMigrate,
  drizzleKit,
  nodePgMigrate,
  knexMigrations,
]

/** The format for `--from TOOL`, or USAGE listing the supported tools. */
export function migrationFormat(tool: string | undefined): MigrationFormat | CodeMigrationFormat {
  const format = migrationFormats.find((f) => f.tool === tool?.toLowerCase())
  if (format === undefined) {
    throw new KeelError(
      'USAGE',
      tool === undefined ? 'keel import needs --from TOOL' : `unknown migration tool "${tool}" for --from`,
      `Supported: ${migrationFormats.map((f) => f.tool).join(', ')}.`,
    )
  }
  return format
}
