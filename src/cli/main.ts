import { Command, CommanderError } from 'commander'
import { redactUrl } from '../db/redact-url.js'
import { rememberSecret, rememberSecretsIn } from '../db/secrets.js'
import { errorCodes, KeelError } from '../errors.js'
import type { ActionRunner } from './command.js'
import { commandNamed, commandsFor } from './commands/all.js'
import type { CliHost, GlobalOptions } from './context.js'
import { colors } from './output.js'
import { forTerminal } from './terminal-text.js'
import { keelVersion } from './version.js'

/**
 * Runs the CLI with `argv` (without node and script) and returns the exit code; never calls process.exit. `host`:
 * what bin/keel.js gives it (the user's cache folder); without it, nothing is cached.
 */
export async function main(argv: readonly string[], host: CliHost = {}): Promise<number> {
  // Passwords are known before anything can print them, whichever way the URL arrives.
  for (const arg of argv) rememberSecretsIn(arg)
  rememberSecretsIn(process.env.DATABASE_URL ?? '')
  rememberSecret(process.env.PGPASSWORD)
  let exitCode = 0
  const program = new Command('keel')
    .description('Safe database schema evolution for PostgreSQL (and PGlite, embedded), MySQL/MariaDB and SQLite')
    .version(keelVersion())
    .exitOverride()
    .showHelpAfterError(false)
    .configureOutput({
      writeOut: (text) => process.stdout.write(forTerminal(text)),
      writeErr: (text) => process.stderr.write(forTerminal(text)),
      // Usage errors follow the same `error[CODE]: message` shape as every other error.
      outputError: (text, write) => write(`${colors.red('error[USAGE]')}: ${text.replace(/^error: /, '')}`),
    })

  // Loaded when a command is named, not for `--help` or `--version`: the config loader, dotenv and the URL forms
  // of every driver are a good part of a cold start. Its import starts beside the command's own, so that the two
  // module graphs load together (an ESM import waits on file reads; one import's waits are the other's turns).
  const contextModule = runsCommand(argv) ? import('./context.js') : undefined
  contextModule?.catch(() => {})
  const run: ActionRunner =
    (body) =>
    async (...commanderArgs) => {
      const command = commanderArgs.at(-1) as Command
      const options = command.opts() as GlobalOptions & Record<string, unknown>
      const args = command.args
      const { createContext } = await (contextModule ?? import('./context.js'))
      const ctx = await createContext(options, process.cwd(), host)
      exitCode = (await body(ctx, options as never, args)) ?? 0
    }
  for (const register of await commandsFor(argv)) register(program, run)

  try {
    await program.parseAsync([...argv], { from: 'user' })
    return exitCode
  } catch (error) {
    return reportError(error, wantsJson(argv))
  }
}

/** Whether `argv` names a command to run, rather than asking for help (`keel help status`, `keel status --help`). */
function runsCommand(argv: readonly string[]): boolean {
  const end = argv.indexOf('--')
  const flags = end === -1 ? argv : argv.slice(0, end)
  return commandNamed(argv) !== undefined && argv[0] !== 'help' && !flags.includes('--help') && !flags.includes('-h')
}

/** Whether the command line asks for machine output (a `--json` before any `--`), even if parsing failed. */
function wantsJson(argv: readonly string[]): boolean {
  const end = argv.indexOf('--')
  return (end === -1 ? argv : argv.slice(0, end)).includes('--json')
}

/**
 * Prints an error as people read it (stderr), and under --json also as `{"error": {code, message, hint, notes}}` on
 * stdout, so that a script reading stdout sees the failure, not an empty document. `hint` is the hint as printed,
 * notes included (what else went wrong after the error: KeelError.addNote); `notes` lists them alone.
 */
function reportError(error: unknown, json: boolean): number {
  const jsonError = (code: string, message: string, hint: string, notes: readonly string[] = []) => {
    if (!json) return
    const redacted = { code, message: redactUrl(message), hint: redactUrl(hint), notes: notes.map(redactUrl) }
    process.stdout.write(`${JSON.stringify({ error: redacted }, null, 2)}\n`)
  }
  if (error instanceof CommanderError) {
    // --help and --version end by "throwing" with exit code 0.
    if (error.exitCode === 0 || error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0
    const hint = 'Run `keel --help` for the commands and their flags.'
    process.stderr.write(`${colors.dim(`hint: ${hint}`)}\n`)
    jsonError('USAGE', error.message.replace(/^error: /, ''), hint)
    return 2
  }
  const debug = process.env.KEEL_DEBUG === '1'
  if (error instanceof KeelError) {
    process.stderr.write(`${colors.red(`error[${error.code}]`)}: ${forTerminal(error.message)}\n`)
    process.stderr.write(`${colors.dim(`hint: ${forTerminal(error.hint)}`)}\n`)
    if (debug) {
      const cause = error.cause ? String((error.cause as Error).stack ?? error.cause) : ''
      process.stderr.write(`${forTerminal(`${error.stack}\n${cause}`)}\n`)
    }
    jsonError(error.code, error.message, error.hint, error.notes)
    return error.exitCode
  }
  const message = error instanceof Error ? error.message : String(error)
  const hint = errorCodes.INTERNAL.hint
  process.stderr.write(`${colors.red('error[INTERNAL]')}: ${forTerminal(message)}\n`)
  process.stderr.write(`${colors.dim(`hint: ${hint}`)}\n`)
  if (debug && error instanceof Error) process.stderr.write(`${forTerminal(String(error.stack))}\n`)
  jsonError('INTERNAL', message, hint)
  return 1
}
