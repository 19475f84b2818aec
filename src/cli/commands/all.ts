import type { RegisterCommand } from '../command.js'
import { registerDiff } from './diff.js'
import { registerInit } from './init.js'
import { registerInspect } from './inspect.js'
import { registerPush } from './push.js'

/** Every CLI command, in the order `keel --help` lists them. One line per command. */
export const allCommands: readonly RegisterCommand[] = [
  registerInit,
  registerInspect,
  registerDiff,
  registerPush,
]
