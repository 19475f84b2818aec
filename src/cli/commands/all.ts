import type { RegisterCommand } from '../command.js'

/**
 * A CLI command by name, with its module loaded on demand: a command's cold start then loads its own
 * modules only, not the planner, parser and loaders of every other command (`keel status` needs
 * none of them).
 */
export interface CommandEntry {
  readonly name: string
  readonly load: () => Promise<RegisterCommand>
}

/** Every CLI command, in the order `keel --help` lists them. One line per command. */
export const allCommands: readonly CommandEntry[] = [
  { name: 'init', load: async () => (await import('./init.js')).registerInit },
  { name: 'inspect', load: async () => (await import('./inspect.js')).registerInspect },
  { name: 'diff', load: async () => (await import('./diff.js')).registerDiff },
  { name: 'push', load: async () => (await import('./push.js')).registerPush },
  { name: 'generate', load: async () => (await import('./generate.js')).registerGenerate },
  { name: 'new', load: async () => (await import('./new.js')).registerNew },
  { name: 'migrate', load: async () => (await import('./migrate.js')).registerMigrate },
  { name: 'rollback', load: async () => (await import('./rollback.js')).registerRollback },
  { name: 'status', load: async () => (await import('./status.js')).registerStatus },
  { name: 'check', load: async () => (await import('./check.js')).registerCheck },
  { name: 'resolve', load: async () => (await import('./resolve.js')).registerResolve },
  { name: 'baseline', load: async () => (await import('./baseline.js')).registerBaseline },
  { name: 'sum', load: async () => (await import('./sum.js')).registerSum },
  { name: 'reset', load: async () => (await import('./reset.js')).registerReset },
  { name: 'seed', load: async () => (await import('./seed.js')).registerSeed },
  { name: 'types', load: async () => (await import('./types.js')).registerTypes },
  { name: 'import', load: async () => (await import('./import.js')).registerImport },
]

/**
 * The commands to register for `argv`: only the one it names, or all of them when it names none
 * (`--help`, `help`, a misspelt command, which commander then answers with the full list).
 */
export function commandsFor(argv: readonly string[]): Promise<readonly RegisterCommand[]> {
  const named = allCommands.filter((command) => command.name === argv[0])
  return Promise.all((named.length === 1 ? named : allCommands).map((command) => command.load()))
}
