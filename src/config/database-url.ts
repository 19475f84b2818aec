import { basename, relative, resolve } from 'node:path'
import { KeelError } from '../errors.js'
import type { ResolvedConfig } from './config.js'

/** Where a command's database URL came from, so that its first line can say so. */
export type UrlOrigin = '--url' | 'DATABASE_URL' | 'config' | 'prisma' | 'embedded'

/** The database a command works on, and where that choice came from. */
export interface DatabaseTarget {
  readonly url: string
  readonly origin: UrlOrigin
}

/** The URL a Prisma schema's datasource names, and the variable it reads it from (if any). */
export interface SchemaUrl {
  readonly url: string | undefined
  readonly env?: string
  /** A setting that names the URL but turned out empty (prisma.config.ts's `datasource.url: process.env.X`). */
  readonly empty?: string
  readonly file: string
}

/**
 * Where commands connect: --url, else DATABASE_URL, else the config, else the URL a Prisma schema's datasource
 * names, else the embedded database in `.keel/db`. The embedded database is only for a project that names no
 * database at all: a config or datasource whose URL turns out empty (an unset variable in a deploy job) is a
 * CONFIG error, because migrating `.keel/db` instead and exiting 0 would hide a deploy that did nothing.
 */
export function resolveDatabaseTarget(
  config: ResolvedConfig,
  flagUrl: string | undefined,
  schemaUrl?: SchemaUrl,
): DatabaseTarget {
  if (flagUrl !== undefined) {
    if (flagUrl.trim() === '')
      throw new KeelError('USAGE', '--url is empty', 'Pass a database URL (is the variable you passed to --url set?).')
    return { url: flagUrl, origin: '--url' }
  }
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, origin: 'DATABASE_URL' }
  // Set but empty, after .env had its chance to fill it: a CI secret that is missing (GitHub Actions passes
  // \`\${{ secrets.X }}\` as an empty string) must not send a deploy to the config's or the embedded database.
  if (process.env.DATABASE_URL === '') {
    throw new KeelError(
      'CONFIG',
      'DATABASE_URL is set but empty: Keel will not fall back to the config or the embedded database',
      'Give it a URL (in the environment or in .env), pass --url, or unset it (`unset DATABASE_URL`) to use the config.',
    )
  }
  if (config.url !== undefined) return { url: config.url, origin: 'config' }
  if (config.urlConfigured) {
    const file = config.configFile === undefined ? 'the config' : basename(config.configFile)
    throw new KeelError(
      'CONFIG',
      `${file} sets \`url\`, but it is empty: Keel will not fall back to the embedded database`,
      'Set the variable it reads (in the environment or in .env), pass --url, or remove `url` from the config to use the embedded database in .keel/db.',
    )
  }
  if (schemaUrl?.url) return { url: schemaUrl.url, origin: 'prisma' }
  if (schemaUrl?.empty !== undefined) {
    throw new KeelError(
      'CONFIG',
      `${relative(config.root, schemaUrl.file) || schemaUrl.file} sets \`${schemaUrl.empty}\`, but it is empty: Keel will not fall back to the embedded database`,
      'Set the variable it reads (in the environment or in .env), or pass --url.',
    )
  }
  if (schemaUrl?.env !== undefined) {
    throw new KeelError(
      'CONFIG',
      `${relative(config.root, schemaUrl.file) || schemaUrl.file}: the datasource reads env("${schemaUrl.env}"), which is not set: Keel will not fall back to the embedded database`,
      `Set ${schemaUrl.env} (in the environment or in .env), or pass --url.`,
    )
  }
  return { url: embeddedUrl(config), origin: 'embedded' }
}

/**
 * The config's \`devUrl\`, where scratch databases go; undefined when the config has none (they then go beside
 * the target). A \`devUrl\` that the config sets but that turns out empty (\`devUrl: process.env.DEV_DATABASE_URL\`
 * with the variable unset) is a CONFIG error, as for \`url\`: falling back would create scratch databases on the
 * target server, which a project sets \`devUrl\` precisely to avoid (a role without CREATEDB, a production host).
 */
export function devUrlOf(config: ResolvedConfig): string | undefined {
  if (config.devUrl !== undefined || !config.devUrlConfigured) return config.devUrl
  const file = config.configFile === undefined ? 'the config' : basename(config.configFile)
  throw new KeelError(
    'CONFIG',
    `${file} sets \`devUrl\`, but it is empty: Keel will not create scratch databases elsewhere instead`,
    "Set the variable it reads (in the environment or in .env), or remove `devUrl` from the config to compare beside the target (or on PGlite: devUrl: 'pglite:memory').",
  )
}

/** The embedded default: a PGlite database in `.keel/db` beside the config. */
export function embeddedUrl(config: ResolvedConfig): string {
  return `pglite:${resolve(config.root, '.keel', 'db')}`
}
