import { displayPath } from '../../migrate/directory.js'
import { emptyMigrationFiles, writeMigration } from '../../migrate/new-migration.js'
import type { RegisterCommand } from '../command.js'
import { withGlobalOptions } from '../command.js'

/** `keel new NAME [--ts]`: an empty hand-written migration (SQL, or TypeScript with --ts). */
export const registerNew: RegisterCommand = (program, run) => {
  withGlobalOptions(program.command('new').description('write an empty migration to fill in by hand'))
    .argument('<name>', 'what the migration does, e.g. add_user_nickname')
    .option('--ts', 'a TypeScript migration (migration.ts with up(db) and down(db)) instead of SQL')
    .action(
      run<{ ts?: boolean }>(async (ctx, flags, args) => {
        const files = emptyMigrationFiles(flags.ts === true)
        const written = writeMigration(ctx.config.migrations, args[0] ?? '', files)
        const paths = Object.keys(files).map((file) => displayPath(`${written.dir}/${file}`))
        ctx.out.result({ id: written.id, version: written.version, dir: written.dir, files: paths })
        ctx.out.line(`Created ${paths.join(' and ')}.`)
        ctx.out.line('Edit it, then `keel migrate` (keel.sum keeps it as a draft until it is applied).')
        return 0
      }),
    )
}
