import type { Command } from 'commander'
import type { CommandContext, GlobalOptions } from './context.js'

/**
 * Wraps a command body: builds the context from the global flags, runs the body, and returns its exit
 * code. Errors propagate to main.ts, which prints them.
 */
export type ActionRunner = <O extends object>(
  body: (ctx: CommandContext, options: O, args: readonly string[]) => Promise<number | undefined>,
) => (...commanderArgs: unknown[]) => Promise<void>

/** A CLI command: registers itself (name, flags, help) on the program and runs through `run`. */
export type RegisterCommand = (program: Command, run: ActionRunner) => void

/** Adds the flags every command takes (DESIGN.md: --url, --config, --json). */
export function withGlobalOptions(command: Command): Command {
  return command
    .option('--url <url>', 'database URL (else DATABASE_URL, else the config, else the embedded default)')
    .option('--config <file>', 'config file (default: keel.config.ts in the working directory)')
    .option('--json', 'machine output on stdout, nothing else on stdout')
}

export type { GlobalOptions }
