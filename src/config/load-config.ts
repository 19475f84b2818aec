import { existsSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { KeelError } from '../errors.js'
import { postgresDuration } from '../migrate/directives.js'
import type { PrismaConfig } from '../source/prisma/prisma-config.js'
import { findPrismaConfig } from '../source/prisma/prisma-files.js'
import type { KeelConfig, ResolvedConfig } from './config.js'
import { loadProjectEnv } from './load-env.js'

const CONFIG_NAMES = ['keel.config.ts', 'keel.config.mts', 'keel.config.js', 'keel.config.mjs']

/** Finds and loads keel.config.* (explicit path, else the working directory), applying defaults. */
export async function loadConfig(cwd: string, explicitPath?: string): Promise<ResolvedConfig> {
  const file = explicitPath === undefined ? findConfig(cwd) : resolve(cwd, explicitPath)
  if (explicitPath !== undefined && !existsSync(file!)) {
    throw new KeelError('CONFIG', `config file not found: ${explicitPath}`)
  }
  const root = file === undefined ? cwd : dirname(file)
  // Before the config is imported: it reads process.env.
  await loadProjectEnv(root)
  const config = file === undefined ? {} : validateConfig(await importConfig(file), file)
  const prismaConfig = config.schema === undefined ? await prismaProject(root) : undefined
  return {
    root,
    configFile: file,
    url: config.url || undefined,
    urlConfigured: 'url' in config,
    schema: prismaConfig?.schema ?? resolve(root, config.schema ?? 'schema.ts'),
    ...(prismaConfig === undefined ? {} : { prismaConfig }),
    schemaConfigured: config.schema !== undefined,
    migrations: resolve(root, config.migrations ?? 'migrations'),
    seeds: resolve(root, config.seeds ?? 'seeds'),
    devUrl: config.devUrl || undefined,
    devUrlConfigured: 'devUrl' in config,
    journalSchema: config.journalSchema ?? 'public',
    lockTimeout: config.lockTimeout,
    lockDeadline: config.lockDeadline,
    statementTimeout: config.statementTimeout ?? '0',
    namespaces: config.namespaces,
    lint: { rules: config.lint?.rules ?? {} },
  }
}

/**
 * A Prisma 7 project: no schema named in keel.config, no schema.ts, and a prisma.config.ts, whose `schema`
 * (default `prisma/schema.prisma`) and `datasource.url` are the project's. Loaded only then: it runs the
 * user's module.
 */
async function prismaProject(root: string): Promise<PrismaConfig | undefined> {
  if (existsSync(resolve(root, 'schema.ts'))) return undefined
  const found = findPrismaConfig(root)
  if (found === undefined) return undefined
  const { loadPrismaConfig } = await import('../source/prisma/prisma-config.js')
  return loadPrismaConfig(found)
}

function findConfig(cwd: string): string | undefined {
  return CONFIG_NAMES.map((name) => resolve(cwd, name)).find((path) => existsSync(path))
}

async function importConfig(file: string): Promise<KeelConfig> {
  try {
    const { createProjectLoader } = await import('../source/keel-imports.js')
    const jiti = createProjectLoader()
    const mod = (await jiti.import(file)) as { default?: KeelConfig } & KeelConfig
    const config = mod.default ?? mod
    if (typeof config !== 'object' || config === null || Array.isArray(config))
      throw new KeelError('CONFIG', `${file}: it does not export a config object`)
    return config
  } catch (error) {
    if (error instanceof KeelError) throw error
    const { describeLoadError } = await import('../source/keel-imports.js')
    throw new KeelError('CONFIG', `cannot load ${file}: ${describeLoadError(error)}`, undefined, { cause: error })
  }
}

const STRING_KEYS = [
  'url',
  'schema',
  'migrations',
  'seeds',
  'devUrl',
  'journalSchema',
  'lockTimeout',
  'lockDeadline',
  'statementTimeout',
] as const satisfies readonly (keyof KeelConfig)[]

/**
 * Checks what a config file exported: without a type check (jiti only strips types), a misspelt key would be
 * silently ignored and a number where a path belongs would fail deep inside a command.
 */
function validateConfig(config: KeelConfig, file: string): KeelConfig {
  const known = new Set<string>([...STRING_KEYS, 'namespaces', 'lint'])
  const fail = (message: string) => new KeelError('CONFIG', `${file}: ${message}`)
  for (const [key, value] of Object.entries(config)) {
    if (!known.has(key)) throw fail(`unknown setting \`${key}\` (known: ${[...known].join(', ')})`)
    if (value === undefined && NO_SILENT_DEFAULT.has(key)) throw unsetSetting(file, key)
    if (value === undefined) continue
    if (key === 'lint') {
      validateLint(value, fail)
    } else if (key === 'namespaces') {
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v === ''))
        throw fail('`namespaces` must be a list of namespace names')
    } else if (typeof value !== 'string') {
      throw fail(`\`${key}\` must be a string (got ${value === null ? 'null' : typeof value})`)
    } else if (value === '' && key !== 'url' && key !== 'devUrl') {
      throw fail(`\`${key}\` must not be empty`)
    } else if (
      (key === 'lockTimeout' || key === 'lockDeadline' || key === 'statementTimeout') &&
      postgresDuration(value) === undefined
    ) {
      throw fail(`\`${key}\` must be a duration such as 5s, 500ms or 2m (got "${value}")`)
    }
  }
  return config
}

/**
 * Settings whose default names another object than the one meant: \`migrations: process.env.MIGRATIONS_DIR\` with
 * the variable unset would apply the default folder's migrations, and an unset \`journalSchema\` would look for the
 * journal in \`public\`, find none and run every migration again. Written but undefined (an unset environment
 * variable) is an error for these, not the default. \`url\` and \`devUrl\` are refused when a command needs them
 * (config/database-url.ts), so that \`keel new\` still works; timeouts, \`namespaces\` and \`lint\` may be
 * undefined on purpose (\`lockTimeout: process.env.CI ? '1m' : undefined\`) and their defaults touch nothing else.
 */
const NO_SILENT_DEFAULT = new Set<string>(['schema', 'migrations', 'seeds', 'journalSchema'])

function unsetSetting(file: string, key: string): KeelError {
  return new KeelError(
    'CONFIG',
    `${file}: \`${key}\` is written but undefined (an unset environment variable?): Keel will not use its default instead`,
    `Set the variable it reads (in the environment or in .env), or remove \`${key}\` from the config to use the default.`,
  )
}

const SEVERITIES = ['error', 'warning', 'info', 'off']

/** `lint: { rules: { 'rule-id': 'error' | 'warning' | 'info' | 'off' } }`; rule ids are checked by `keel lint`. */
function validateLint(value: unknown, fail: (message: string) => KeelError): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw fail('`lint` must be an object')
  for (const [key, rules] of Object.entries(value)) {
    if (key !== 'rules') throw fail(`unknown setting \`lint.${key}\` (known: rules)`)
    if (typeof rules !== 'object' || rules === null || Array.isArray(rules))
      throw fail('`lint.rules` must map rule ids to a severity')
    for (const [rule, severity] of Object.entries(rules)) {
      if (!SEVERITIES.includes(severity as string))
        throw fail(
          `\`lint.rules['${rule}']\` must be one of ${SEVERITIES.join(', ')} (got ${JSON.stringify(severity)})`,
        )
    }
  }
}
