import { existsSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { KeelError } from '../errors.js'
import type { KeelConfig, ResolvedConfig } from './config.js'

const CONFIG_NAMES = ['keel.config.ts', 'keel.config.mts', 'keel.config.js', 'keel.config.mjs']

/** Finds and loads keel.config.* (explicit path, else the working directory), applying defaults. */
export async function loadConfig(cwd: string, explicitPath?: string): Promise<ResolvedConfig> {
  const file = explicitPath === undefined ? findConfig(cwd) : resolve(cwd, explicitPath)
  if (explicitPath !== undefined && !existsSync(file!)) {
    throw new KeelError('CONFIG', `config file not found: ${explicitPath}`)
  }
  const config = file === undefined ? {} : await importConfig(file)
  const root = file === undefined ? cwd : dirname(file)
  return {
    root,
    configFile: file,
    url: config.url,
    schema: resolve(root, config.schema ?? 'schema.ts'),
    migrations: resolve(root, config.migrations ?? 'migrations'),
    seeds: resolve(root, config.seeds ?? 'seeds'),
    devUrl: config.devUrl,
    journalSchema: config.journalSchema ?? 'public',
    lockTimeout: config.lockTimeout ?? '5s',
    statementTimeout: config.statementTimeout ?? '0',
    namespaces: config.namespaces,
  }
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
    if (typeof config !== 'object' || config === null) throw new Error('it does not export a config object')
    return config
  } catch (error) {
    if (error instanceof KeelError) throw error
    throw new KeelError(
      'CONFIG',
      `cannot load ${file}: ${error instanceof Error ? error.message : String(error)}`,
      undefined,
      {
        cause: error,
      },
    )
  }
}

/** Where commands connect: --url, else DATABASE_URL, else the config, else the embedded default. */
export function resolveDatabaseUrl(config: ResolvedConfig, flagUrl: string | undefined): string {
  return (
    flagUrl ?? (process.env.DATABASE_URL || undefined) ?? config.url ?? `pglite:${resolve(config.root, '.keel', 'db')}`
  )
}
