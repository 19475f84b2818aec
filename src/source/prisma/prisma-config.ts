import { dirname, resolve } from 'node:path'
import { KeelError } from '../../errors.js'

/** What Keel takes from a Prisma 7 `prisma.config.ts`: where the schema is, and the datasource URL. */
export interface PrismaConfig {
  readonly file: string
  /** Absolute; Prisma's default `prisma/schema.prisma` beside the config when it names none. */
  readonly schema: string
  /** `datasource.url` as written (a Prisma URL: `file:./dev.db` is not yet Keel's `sqlite:`). */
  readonly url: string | undefined
  /** Whether the config writes `datasource.url` at all (`url: process.env.X` with X unset writes nothing). */
  readonly urlWritten: boolean
  /** The variable `env('NAME')` could not read: Prisma's `env()` throws while the config loads. */
  readonly unsetEnv?: string
}

/** What an unset variable reads as while the config is run again (see loadPrismaConfig). */
const STAND_IN = 'keel-unset-variable'

/**
 * Loads a Prisma 7 config (Prisma 7 moved the datasource URL out of the schema into it). It is the user's
 * module, run as Prisma runs it: `defineConfig` and `env` come from the project's own `prisma/config`.
 */
export async function loadPrismaConfig(file: string): Promise<PrismaConfig> {
  const { createProjectLoader, describeLoadError } = await import('../keel-imports.js')
  const base = dirname(file)
  const defaultSchema = resolve(base, 'prisma', 'schema.prisma')
  let exported: unknown
  // `env('DATABASE_URL')` throws PrismaConfigEnvError ("Cannot resolve environment variable: DATABASE_URL.")
  // when the variable is unset: that is an unset URL to report as such, not a broken config. The config is run
  // again with a stand-in value, so that its `schema` is still read; the stand-in is never used as a URL.
  const unset: string[] = []
  try {
    for (;;) {
      try {
        const mod = (await createProjectLoader().import(file)) as { default?: unknown }
        exported = mod.default ?? mod
        break
      } catch (error) {
        const name = /environment variable:?\s*"?([A-Za-z_][A-Za-z0-9_]*)/.exec(String((error as Error)?.message))?.[1]
        if (name === undefined || unset.includes(name) || unset.length >= 10) {
          throw new KeelError('CONFIG', `cannot load ${file}: ${describeLoadError(error)}`, 'Check prisma.config.ts.', {
            cause: error,
          })
        }
        unset.push(name)
        process.env[name] = STAND_IN
      }
    }
  } finally {
    for (const name of unset) delete process.env[name]
  }
  const schemaOf = (schema: unknown) => (typeof schema === 'string' ? resolve(base, schema) : defaultSchema)
  const config = (typeof exported === 'object' && exported !== null ? exported : {}) as {
    readonly schema?: unknown
    readonly datasource?: { readonly url?: unknown }
  }
  const url = config.datasource?.url
  const unsetUrl = unset.length > 0 && url === STAND_IN ? unset[0] : undefined
  if (unsetUrl !== undefined)
    return { file, schema: schemaOf(config.schema), url: undefined, urlWritten: true, unsetEnv: unsetUrl }
  return {
    file,
    schema: schemaOf(config.schema),
    url: typeof url === 'string' && url !== '' ? url : undefined,
    urlWritten: config.datasource !== undefined && 'url' in config.datasource,
  }
}
