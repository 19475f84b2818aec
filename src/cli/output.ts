import pc from 'picocolors'
import { redactUrl } from '../db/redact-url.js'
import { forTerminal } from './terminal-text.js'

/**
 * Where a command's words go. Human output goes to stdout; with --json, stdout carries only the one
 * JSON document and everything meant for people (progress, warnings) goes to stderr.
 */
export interface Output {
  readonly json: boolean
  /** A line of the human result (suppressed under --json). */
  line(text?: string): void
  /** Progress for long work, on stderr so that pipes stay clean. */
  progress(text: string): void
  warn(text: string): void
  /** The machine result (printed only under --json). */
  result(value: unknown): void
}

export function createOutput(json: boolean, stdoutIsTty = Boolean(process.stdout.isTTY)): Output {
  const quiet = process.env.KEEL_QUIET === '1'
  // A terminal gets control characters escaped; a pipe gets the result byte for byte (it is data: SQL, a
  // schema), with passwords redacted all the same. stderr is for people, always.
  const forStdout = stdoutIsTty ? forTerminal : redactUrl
  return {
    json,
    line(text = '') {
      if (!json) process.stdout.write(`${forStdout(text)}\n`)
    },
    progress(text) {
      if (!quiet) process.stderr.write(`${colors.dim(forTerminal(text))}\n`)
    },
    warn(text) {
      process.stderr.write(`${colors.yellow('warning')}: ${forTerminal(text)}\n`)
    },
    result(value) {
      if (json) process.stdout.write(`${redactUrl(JSON.stringify(value, null, 2))}\n`)
    },
  }
}

/**
 * Colour only for a person at a terminal. picocolors alone also colours whenever a `CI` variable is set,
 * which put escape codes into piped output and into what scripts (and our tests) parse.
 */
export function wantsColor(env: NodeJS.ProcessEnv = process.env, isTty = Boolean(process.stdout.isTTY)): boolean {
  if ('NO_COLOR' in env && env.NO_COLOR !== '') return false
  if ('FORCE_COLOR' in env && env.FORCE_COLOR !== '0') return true
  return isTty && env.TERM !== 'dumb'
}

export const colors = pc.createColors(wantsColor())
