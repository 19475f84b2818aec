import type { ResolvedConfig } from '../config/config.js'
import { loadConfig, resolveDatabaseUrl } from '../config/load-config.js'
import { isPrismaSchemaPath } from '../source/prisma/prisma-files.js'
import { createOutput, type Output } from './output.js'

/** The flags every command takes (DESIGN.md's CLI contract). */
export interface GlobalOptions {
  readonly url?: string
  readonly config?: string
  readonly json?: boolean
}

/** What a command function receives: the resolved config, where to connect, and where to write. */
export interface CommandContext {
  readonly cwd: string
  readonly config: ResolvedConfig
  /** The database this command works on (--url, DATABASE_URL, config, or the embedded default). */
  readonly url: string
  readonly out: Output
  /** Whether a person is at a terminal (prompts allowed). Never true under CI or --json. */
  readonly interactive: boolean
}

/** The URL a Prisma schema's datasource names, when the project's schema is one (read only then). */
async function schemaUrl(config: ResolvedConfig, cwd: string): Promise<string | undefined> {
  if (!isPrismaSchemaPath(config.schema)) return undefined
  const { prismaDatasourceUrl } = await import('../source/prisma/load-prisma.js')
  return prismaDatasourceUrl(config.schema, cwd)
}

export async function createContext(options: GlobalOptions, cwd = process.cwd()): Promise<CommandContext> {
  const config = await loadConfig(cwd, options.config)
  const json = options.json === true
  return {
    cwd,
    config,
    url: resolveDatabaseUrl(config, options.url, await schemaUrl(config, cwd)),
    out: createOutput(json),
    interactive: !json && process.stdin.isTTY === true && process.stdout.isTTY === true && !process.env.CI,
  }
}
