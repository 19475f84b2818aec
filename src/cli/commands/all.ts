import { Option } from 'commander'
import type { RegisterCommand } from '../command.js'

/**
 * A CLI command by name, with its module loaded on demand: a command's cold start then loads its own
 * modules only, not the planner, parser and loaders of every other command (`keel status` needs
 * none of them).
 */
export interface CommandEntry {
  readonly name: string
  /** Its arguments and its one-line description, as `keel --help` lists it without loading the module. */
  readonly args?: string
  readonly summary: string
  readonly load: () => Promise<RegisterCommand>
}

/** Every CLI command, in the order `keel --help` lists them. One line per command. */
export const allCommands: readonly CommandEntry[] = [
  {
    name: 'init',
    summary: 'start a Keel project in the working directory',
    load: async () => (await import('./init.js')).loadRegisterInit(),
  },
  {
    name: 'inspect',
    summary: "print the live database's schema",
    load: async () => (await import('./inspect.js')).registerInspect,
  },
  {
    name: 'diff',
    summary: 'print the SQL that turns one schema into another',
    load: async () => (await import('./diff.js')).registerDiff,
  },
  {
    name: 'push',
    summary: 'apply the schema to the database directly (development)',
    load: async () => (await import('./push.js')).registerPush,
  },
  {
    name: 'generate',
    args: '[name]',
    summary: 'write the next migration from the schema',
    load: async () => (await import('./generate.js')).registerGenerate,
  },
  {
    name: 'new',
    args: '<name>',
    summary: 'write an empty migration to fill in by hand',
    load: async () => (await import('./new.js')).registerNew,
  },
  {
    name: 'drop-last',
    summary: 'delete the newest migration if no database has applied it (a draft)',
    load: async () => (await import('./drop-last.js')).registerDropLast,
  },
  {
    name: 'migrate',
    summary: 'apply pending migrations',
    load: async () => (await import('./migrate.js')).registerMigrate,
  },
  {
    name: 'rollback',
    summary: 'run down of the latest applied migrations (default: the last batch)',
    load: async () => (await import('./rollback.js')).registerRollback,
  },
  {
    name: 'status',
    summary: 'show applied, pending, partial and edited migrations',
    load: async () => (await import('./status.js')).registerStatus,
  },
  {
    name: 'lint',
    args: '[files...]',
    summary: 'lint migrations for operations that lock, rewrite or lose data',
    load: async () => (await import('./lint.js')).registerLint,
  },
  {
    name: 'check',
    summary: 'CI gate: keel.sum, edited migrations, drift, schema vs migrations',
    load: async () => (await import('./check.js')).registerCheck,
  },
  {
    name: 'resolve',
    args: '<version>',
    summary: "record a person's decision about a migration that stopped part-way",
    load: async () => (await import('./resolve.js')).registerResolve,
  },
  {
    name: 'baseline',
    summary: 'adopt an existing database: mark migrations as applied without running them',
    load: async () => (await import('./baseline.js')).registerBaseline,
  },
  {
    name: 'sum',
    summary: 'verify keel.sum, or rewrite it with --rehash',
    load: async () => (await import('./sum.js')).registerSum,
  },
  {
    name: 'reset',
    summary: 'drop everything and re-apply every migration',
    load: async () => (await import('./reset.js')).registerReset,
  },
  {
    name: 'seed',
    summary: 'run the seed files (seeds/*.sql, seeds/*.ts exporting seed(db))',
    load: async () => (await import('./seed.js')).registerSeed,
  },
  {
    name: 'types',
    summary: "write Kysely's DB interface (row types) for a schema, as kysely-codegen does",
    load: async () => (await import('./types.js')).registerTypes,
  },
  {
    name: 'import',
    args: '<dir>',
    summary: "convert another tool's migrations folder into Keel's migrations directory",
    load: async () => (await import('./import.js')).registerImport,
  },
]

/**
 * The commands to register for `argv`: only the one it names (`keel status`, `keel help status`). When it names
 * none (`--help`, `--version`, `help`, a misspelt command, which commander answers with the list), no command
 * module is loaded: each is registered as a stub holding its name, arguments and summary, enough for commander's
 * list and its "did you mean" suggestions, and never run, since a command line that names a command loads it.
 * `keel --version` and `keel --help` then start in the time of commander alone.
 */
export async function commandsFor(argv: readonly string[]): Promise<readonly RegisterCommand[]> {
  const named = commandNamed(argv)
  if (named !== undefined) return [await named.load()]
  return allCommands.map(stub)
}

/** The command `argv` names (`keel status`, `keel help status`), if any. */
export function commandNamed(argv: readonly string[]): CommandEntry | undefined {
  const words = argv.filter((arg) => !arg.startsWith('-'))
  const wanted = words[0] === 'help' ? words[1] : words[0]
  return allCommands.find((command) => command.name === wanted)
}

/** A command as `keel --help` lists it: name, `[options]` (every command has some), arguments, summary. */
function stub(entry: CommandEntry): RegisterCommand {
  return (program) => {
    program
      .command(entry.args === undefined ? entry.name : `${entry.name} ${entry.args}`)
      .description(entry.summary)
      .addOption(new Option('--json').hideHelp())
  }
}
