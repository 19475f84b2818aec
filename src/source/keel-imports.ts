import { existsSync } from 'node:fs'
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
