import { readFileSync } from 'node:fs'
import type { ProjectTemplate } from '../project-template.js'

/** The starter schema is the brief's blog (users and posts), the same file the demo starts from. */
const STARTER_SCHEMA = new URL('../../../examples/blog/schema.v1.ts', import.meta.url)

/** The starter schema, opening with words for its new owner rather than the example's own comment. */
function starterSchema(): string {
  const example = readFileSync(STARTER_SCHEMA, 'utf8').replace(/^(\/\/.*\n)+/, '')
  return `// Your database schema. Edit it, then run \`keel push\` (development) or \`keel generate NAME\` (a migration).\n${example}`
}

/** `keel init --dialect postgres`: DATABASE_URL from .env (no fallback), and the blog in Keel's TypeScript DSL. */
export const postgresProjectTemplate: ProjectTemplate = {
  label: 'postgres',
  config: `import { defineConfig } from 'keel'

// DATABASE_URL comes from the environment or from .env. If it is unset, Keel stops with an error rather than
// touching another database (a fallback URL here would send a deploy with a missing variable to it).
export default defineConfig({
  url: process.env.DATABASE_URL,
  schema: 'schema.ts',
  migrations: 'migrations',
})
`,
  schema: { file: 'schema.ts', text: starterSchema },
  env: 'DATABASE_URL=postgres://postgres@localhost:5432/app\n',
}

/** `keel init` (the default): the embedded PostgreSQL in .keel/db, and the blog in Keel's TypeScript DSL. */
export const pgliteProjectTemplate: ProjectTemplate = {
  label: 'pglite (embedded, no server)',
  config: `import { defineConfig } from 'keel'

// With no url, Keel uses an embedded PostgreSQL (PGlite) in .keel/db: nothing to install or start.
export default defineConfig({
  schema: 'schema.ts',
  migrations: 'migrations',
})
`,
  schema: { file: 'schema.ts', text: starterSchema },
}
