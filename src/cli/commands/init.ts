import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Option } from 'commander'
import { KeelError } from '../../errors.js'
import type { RegisterCommand } from '../command.js'
import { withGlobalOptions } from '../command.js'

interface InitOptions {
  readonly dialect: 'postgres' | 'mysql' | 'sqlite' | 'pglite'
}

const CONFIGS: Record<'postgres' | 'pglite', string> = {
  pglite: `import { defineConfig } from 'keel'

// With no url, Keel uses an embedded PostgreSQL (PGlite) in .keel/db: nothing to install or start.
export default defineConfig({
  schema: 'schema.ts',
  migrations: 'migrations',
})
`,
  postgres: `import { defineConfig } from 'keel'

export default defineConfig({
  url: process.env.DATABASE_URL ?? 'postgres://postgres@localhost:5432/app',
  schema: 'schema.ts',
  migrations: 'migrations',
})
`,
}

/** The starter schema is the brief's blog (users and posts), the same file the demo starts from. */
const STARTER_SCHEMA = new URL('../../../examples/blog/schema.v1.ts', import.meta.url)

/** `keel init [--dialect ...]`: writes keel.config.ts, schema.ts and migrations/. */
export const registerInit: RegisterCommand = (program, run) => {
  withGlobalOptions(program.command('init').description('start a Keel project in the working directory'))
    .addOption(
      new Option('--dialect <dialect>', 'database')
        .choices(['postgres', 'mysql', 'sqlite', 'pglite'])
        .default('pglite'),
    )
    .action(
      run<InitOptions>(async (ctx, options) => {
        if (options.dialect === 'mysql' || options.dialect === 'sqlite') {
          throw new KeelError(
            'UNSUPPORTED',
            `the ${options.dialect} dialect is not available yet`,
            'Use postgres or pglite.',
          )
        }
        const written: string[] = []
        const write = (name: string, text: string) => {
          const path = join(ctx.cwd, name)
          if (existsSync(path)) return ctx.out.warn(`${name} exists; left as it is`)
          writeFileSync(path, text)
          written.push(name)
        }
        write('keel.config.ts', CONFIGS[options.dialect])
        write('schema.ts', readFileSync(STARTER_SCHEMA, 'utf8'))
        if (!existsSync(join(ctx.cwd, 'migrations'))) {
          mkdirSync(join(ctx.cwd, 'migrations'))
          written.push('migrations/')
        }
        ctx.out.line(written.length > 0 ? `Wrote ${written.join(', ')}.` : 'Nothing to write.')
        ctx.out.line('Next: `keel push` to apply schema.ts to the database, or `keel generate init` for a migration.')
        ctx.out.result({ written })
        return 0
      }),
    )
}
