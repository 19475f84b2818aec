import { existsSync } from 'node:fs'
import { join, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createJiti, type Jiti } from 'jiti'

/**
 * A module loader for the project's TypeScript files (config, schema, migrations, seeds). Their imports
 * of `keel` and `keel/schema` are pointed at the Keel that is running, so that a schema is built with the
 * very code that collects it, even when the project has its own copy of Keel installed or none at all
 * (`npx keel`).
 */
export function createProjectLoader(): Jiti {
  return createJiti(import.meta.url, {
    moduleCache: false,
    fsCache: false,
    alias: { 'keel/schema': entry('../schema/dsl/index.js'), keel: entry('../index.js') },
  })
}

/** A path relative to this file, as .js when built and as .ts when run from source (tests). */
function entry(relative: string): string {
  const js = fileURLToPath(new URL(relative, import.meta.url))
  return existsSync(js) ? js : js.replace(/\.js$/, '.ts')
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
