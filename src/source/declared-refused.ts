import { relative } from 'node:path'
import { KeelError } from '../errors.js'

/** The file a declared schema was read from, and the error code its refusal is reported under. */
export interface DeclaredIn {
  readonly path: string
  readonly cwd: string
  readonly code: 'SCHEMA_MODULE' | 'PRISMA_SCHEMA' | 'SCHEMA_JSON'
}

/**
 * Rewrites the failure of creating a declared schema (a .ts module or a Prisma schema) on the scratch database
 * into an error about that file: `integer().default('abc')` is bad input (exit 2) in schema.ts, naming the
 * declaration the database (`database`: PostgreSQL, SQLite...) refused, not "APPLY_FAILED: step 1 ..." (exit 1) about a statement the user never wrote.
 */
export function declaredSchemaRefused(error: unknown, database: string, { path, cwd, code }: DeclaredIn): unknown {
  if (!(error instanceof KeelError) || error.code !== 'APPLY_FAILED') return error
  const [first = '', ...rest] = error.message.split('\n')
  const statement = rest.join('\n').replace(/^\s*statement: /, '')
  const located = /^step \d+ \((.*)\):(\d+): (.*)$/.exec(first)
  const file = relative(cwd, path) || path
  if (located === null)
    return new KeelError(code, `${file}: ${database} refuses the declared schema: ${first}`, hintFor(file), {
      cause: error,
    })
  const [, what = '', line = '', reason = ''] = located
  const at = statement.split('\n')[Number(line) - 1]?.trim().replace(/,$/, '')
  const where = at === undefined || at === '' ? '' : `, at \`${at}\``
  return new KeelError(
    code,
    `${file}: ${database} refuses the declared schema (${what.replace(/^\w/, (c) => c.toLowerCase())}${where}): ${reason}`,
    hintFor(file),
    { cause: error },
  )
}

function hintFor(file: string): string {
  return `Fix that declaration in ${file} (KEEL_DEBUG=1 shows the SQL Keel generated from it).`
}
