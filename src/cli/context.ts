import type { ResolvedConfig } from '../config/config.js'
import { loadConfig, resolveDatabaseUrl } from '../config/load-config.js'
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

export async function createContext(options: GlobalOptions, cwd = process.cwd()): Promise<CommandContext> {
  const config = await loadConfig(cwd, options.config)
  const json = options.json === true
  return {
    cwd,
    config,
    url: resolveDatabaseUrl(config, options.url),
    out: createOutput(json),
    interactive: !json && process.stdin.isTTY === true && process.stdout.isTTY === true && !process.env.CI,
  }
}
