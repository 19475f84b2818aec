import { existsSync, readdirSync, statSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createJiti, type Jiti } from 'jiti'
import { privateTempDir } from '../db/private-temp-dir.js'

/**
 * A module loader for the project's TypeScript files (config, schema, migrations, seeds). Their imports
 * of `keel` and `keel/schema` are pointed at the Keel that is running, so that a schema is built with the
 * very code that collects it, even when the project has its own copy of Keel installed or none at all
 * (`npx keel`).
 */
export function createProjectLoader(): Jiti {
  return createJiti(import.meta.url, {
    moduleCache: false,
    fsCache: transformCacheDir(),
    alias: { 'keel/schema': entry('../schema/dsl/index.js'), keel: entry('../index.js') },
  })
}

let cacheDir: string | false | undefined
/**
 * Where jiti keeps its transforms of project files between processes. An entry is found by the file's path and
 * used only if it ends with the hash of the file's current text (jiti checks), so an edited file is transformed
 * anew. A hit spares loading Babel and transforming: about 0.3 s of CPU in every command that reads
 * keel.config.ts (0.52 -> 0.21 s for a process loading a one-line config). In the temp directory, in a folder
 * of this user's that no one else can write, or no cache at all: another user's folder could hold planted code.
 */
function transformCacheDir(): string | false {
  cacheDir ??= privateTempDir('keel-jiti') ?? false
  return cacheDir
}

/**
 * A path relative to this file, as .js when built. Run from source (tests), the built copy in dist/ when it was
 * built after every source file's last change, else the .ts: jiti resolves and transpiles the ~400 source modules
 * behind `keel` on every load (7 s of CPU per migration importing it, 1.5 s per schema module), the built
 * ones in a fiftieth of that. Both are a copy apart from the running code, which jiti loads anew anyway.
 */
function entry(path: string): string {
  const js = fileURLToPath(new URL(path, import.meta.url))
  if (existsSync(js)) return js
  const built = join(KEEL_ROOT, 'dist', relative(join(KEEL_ROOT, 'src'), js))
  return distIsFresh() && existsSync(built) ? built : js.replace(/\.js$/, '.ts')
}

let fresh: boolean | undefined
/**
 * Whether `npm run build` ran after the last change to a non-test source file: it stamps dist/.build-stamp once
 * tsc is done. (Output files' own times do not tell: tsc leaves alone the output of a file touched but unchanged.)
 */
function distIsFresh(): boolean {
  fresh ??= (() => {
    const stamp = join(KEEL_ROOT, 'dist', '.build-stamp')
    if (!existsSync(stamp)) return false
    const built = statSync(stamp).mtimeMs
    return (function check(dir: string): boolean {
      for (const item of readdirSync(dir, { withFileTypes: true })) {
        const file = join(dir, item.name)
        if (item.isDirectory()) {
          if (!check(file)) return false
        } else if (item.name.endsWith('.ts') && !/\.test(-d)?\.ts$/.test(item.name) && statSync(file).mtimeMs > built)
          return false
      }
      return true
    })(join(KEEL_ROOT, 'src'))
  })()
  return fresh
}

const KEEL_ROOT = fileURLToPath(new URL('../..', import.meta.url))
const KEEL_CODE = ['src', 'dist', 'bin'].map((dir) => join(KEEL_ROOT, dir, sep))

/**
 * Why a project module failed to load, on one line: the error's first line, then where it happened in the
 * project's own files (jiti puts a syntax error's position on a second line; a throw has it in its stack).
 */
export function describeLoadError(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  const [first = '', ...rest] = error.message.split('\n')
  const place = projectLocation([...rest, ...(error.stack ?? '').split('\n').slice(1)].join('\n'))
  const message = first.trim()
  return place === undefined || message.includes(place) ? message : `${message} (at ${place})`
}

export function projectLocation(text: string): string | undefined {
  for (const match of text.matchAll(/(file:\/\/[^\s()]+|(?:[A-Za-z]:)?[\\/][^\s():]+):(\d+):(\d+)/g)) {
    const file = match[1]?.startsWith('file://') ? fileURLToPath(match[1]) : (match[1] ?? '')
    if (KEEL_CODE.some((dir) => file.startsWith(dir)) || /[\\/]node_modules[\\/]/.test(file)) continue
    // The line only: jiti's transform keeps lines but may shift columns (a prelude on line 1).
    return `${file}:${match[2]}`
  }
  return undefined
}
