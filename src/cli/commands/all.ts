import type { RegisterCommand } from '../command.js'
import { registerBaseline } from './baseline.js'
import { registerCheck } from './check.js'
import { registerDiff } from './diff.js'
import { registerGenerate } from './generate.js'
import { registerInit } from './init.js'
import { registerInspect } from './inspect.js'
import { registerMigrate } from './migrate.js'
import { registerNew } from './new.js'
import { registerPush } from './push.js'
import { registerReset } from './reset.js'
import { registerResolve } from './resolve.js'
import { registerRollback } from './rollback.js'
import { registerSeed } from './seed.js'
import { registerStatus } from './status.js'
import { registerSum } from './sum.js'

/** Every CLI command, in the order `keel --help` lists them. One line per command. */
export const allCommands: readonly RegisterCommand[] = [
  registerInit,
  registerInspect,
  registerDiff,
  registerPush,
  registerGenerate,
  registerNew,
  registerMigrate,
  registerRollback,
  registerStatus,
  registerCheck,
  registerResolve,
  registerBaseline,
  registerSum,
  registerReset,
  registerSeed,
]
