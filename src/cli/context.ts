import { dirname } from 'node:path'
import { isatty } from 'node:tty'
import type { ResolvedConfig } from '../config/config.js'
import { type DatabaseTarget, resolveDatabaseTarget, type SchemaUrl } from '../config/database-url.js'
import { loadConfig } from '../config/load-config.js'
import { findPrismaConfig, isPrismaSchemaPath } from '../source/prisma/prisma-files.js'
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
  /**
   * The database this command works on (--url, DATABASE_URL, config, or the embedded default). Resolved when a
   * command first reads it, so that commands that need no database (`new`, `sum`, `diff --from A --to B`) do
   * not fail on a config whose URL is unset.
   */
  readonly url: string
  /** The same, with where the URL came from. */
  readonly target: DatabaseTarget
  readonly out: Output
  /** Whether a person is at a terminal (prompts allowed). Never true under CI or --json. */
  readonly interactive: boolean
  /** Keel's folder in the user's cache directory (bin/code-cache.js's keelCacheFolder), when the CLI runs from bin/keel.js. */
  readonly cacheFolder: () => string | undefined
}

/** What bin/keel.js gives the CLI of the machine it runs on. */
export interface CliHost {
  /** Keel's folder in the user's cache directory, made when missing; undefined when it cannot be made safe. */
  readonly cacheFolder?: () => string | undefined
}

/** The URL a Prisma schema's datasource names, when the project's schema is one (read only then). */
async function schemaUrl(config: ResolvedConfig, cwd: string): Promise<SchemaUrl | undefined> {
  if (!isPrismaSchemaPath(config.schema)) return undefined
  const { prismaDatasourceUrl } = await import('../source/prisma/load-prisma.js')
  const found = await prismaDatasourceUrl(config.schema, cwd)
  if (found !== undefined) return { ...found, file: config.schema }
  // Prisma 7: the schema names no URL; prisma.config.ts does.
  const file = config.prismaConfig?.file ?? findPrismaConfig(config.root)
  if (file === undefined) return undefined
  const { loadPrismaConfig } = await import('../source/prisma/prisma-config.js')
  const prisma = config.prismaConfig ?? (await loadPrismaConfig(file))
  if (prisma.unsetEnv !== undefined) return { url: undefined, env: prisma.unsetEnv, file }
  if (prisma.url === undefined) return prisma.urlWritten ? { url: undefined, empty: 'datasource.url', file } : undefined
  const { keelUrlOfPrisma } = await import('../source/prisma/load-prisma.js')
  return { url: keelUrlOfPrisma(prisma.url, dirname(file)), file }
}

export async function createContext(
  options: GlobalOptions,
  cwd = process.cwd(),
  host: CliHost = {},
): Promise<CommandContext> {
  const config = await loadConfig(cwd, options.config)
  const json = options.json === true
  const fromSchema = await schemaUrl(config, cwd)
  let target: DatabaseTarget | undefined
  const resolveTarget = () => {
    target ??= resolveDatabaseTarget(config, options.url, fromSchema)
    return target
  }
  return {
    cwd,
    config,
    get url() {
      return resolveTarget().url
    },
    get target() {
      return resolveTarget()
    },
    out: createOutput(json),
    // isatty, not process.stdin.isTTY: reading process.stdin makes the stream, and for a pipe or a file Node then
    // loads its file streams, FileHandle, readline and fs/promises (every `keel status | ...` paid for them).
    interactive: !json && isatty(0) && isatty(1) && !process.env.CI,
    cacheFolder: host.cacheFolder ?? (() => undefined),
  }
}
