import { lintTreeDialect, loadRuntime } from '../dialect/runtimes.js'
import { KeelError } from '../errors.js'
import type { Migration } from '../migrate/directory.js'
import { migrationFilePath } from '../migrate/display-path-memo.js'
import { stripPgDumpMeta } from '../source/psql-meta.js'
import { createdTablesIn, type LintOptions, lintSource, validatedTablesIn } from './lint.js'
import { NamesSoFar } from './names-so-far.js'
import { Positions } from './positions.js'
import type { Finding } from './rule.js'
import type { ParsedStatement } from './sql/parse.js'
import { loadDialectParser } from './sql/parse-dialect.js'

/**
 * Statements as the rules of `options.dialect` read them: PostgreSQL's parse tree by default; for MySQL/MariaDB
 * and SQLite, the runner's own split, each statement read by the dialect's parser (its DialectRuntime.lintSql: MySQL's
 * tree from node-sql-parser, SQLite's syntax from SQLite itself) and, where PostgreSQL's grammar reads it alike, with
 * PostgreSQL's tree too, for the rules every dialect shares. A statement the dialect's database would refuse is
 * `error[SQL_SYNTAX]` (exit 2) at its `file:line:column`.
 */
export async function parseFor(text: string, file: string, options: LintOptions): Promise<readonly ParsedStatement[]> {
  const runtime = await loadRuntime(options.dialect ?? lintTreeDialect)
  const split = await runtime.runner.parseStatements(text, file)
  if (runtime.capabilities.sqlLint) return split
  const parser = await loadDialectParser(runtime.name)
  const borrowTree = (await loadRuntime(lintTreeDialect)).lintSql?.borrowTree
  const statements: ParsedStatement[] = []
  let byte = 0
  let counted = 0
  for (const statement of split) {
    const verdict = parser?.(statement.sql)
    if (verdict?.kind === 'invalid') throw syntaxError(text, file, statement.offset + verdict.offset, verdict.message)
    if (verdict?.kind === 'refused' && options.serverSyntax !== undefined) {
      const refused = await options.serverSyntax(statement.sql)
      if (refused !== undefined) {
        const line = statement.line + refused.line - 1
        throw new KeelError('SQL_SYNTAX', `${file}:${line}: ${refused.message}`)
      }
    }
    byte += Buffer.byteLength(text.slice(counted, statement.offset), 'utf8')
    counted = statement.offset
    const tree = await borrowTree?.(statement.sql, byte)
    const read = verdict === undefined ? statement : { ...statement, dialectParse: verdict }
    statements.push(tree === undefined ? read : { ...read, ...tree })
  }
  return statements
}

function syntaxError(text: string, file: string, offset: number, message: string): KeelError {
  const { line, column } = new Positions(text).ofChar(offset)
  return new KeelError('SQL_SYNTAX', `${file}:${line}:${column}: ${message}`)
}

/** The findings of one file, with its text for code frames. */
export interface LintedFile {
  readonly file: string
  readonly text: string
  readonly findings: readonly Finding[]
}

/**
 * Lints a migration folder: its up.sql statement by statement, and the folder as a whole (a missing down,
 * statements that cannot run in its transaction). A TypeScript migration's code cannot be read as SQL; only
 * the folder rules apply to it. Throws `error[SQL_SYNTAX]` (exit 2) at the line of a parse error.
 */
export async function lintMigration(
  migration: Migration,
  options: LintOptions = {},
  /**
   * up.sql's statements as the runner parsed them (migrate/prepare-statements.ts), when they are at hand: where
   * the rules read PostgreSQL's tree, that is the same parse of the same text, so `keel migrate` parses once.
   */
  parsed?: readonly ParsedStatement[],
): Promise<LintedFile> {
  const { linted } = await lintMigrationParsed(migration, options, parsed)
  return linted
}

/** A migration that runs in a run of several (the pending ones), with up.sql's statements when the runner has them. */
export interface MigrationInRun {
  readonly migration: Migration
  readonly statements?: readonly ParsedStatement[] | undefined
}

/**
 * Lints the migrations of one run in their order, each knowing what the ones before it do (lintInRunOrder).
 * `keel generate` splits a plan around its concurrent builds, so a keyed retype's contract validates its NOT NULL
 * check in one migration and sets NOT NULL in the next: linted alone, the second was refused (ban-set-not-null)
 * although it scans nothing.
 */
export async function lintMigrationsInOrder(
  run: readonly MigrationInRun[],
  options: LintOptions = {},
): Promise<LintedFile[]> {
  return lintInRunOrder(run, options, async ({ migration, statements }, earlier) => {
    const parsed = await lintMigrationParsed(migration, earlier, statements)
    return { result: parsed.linted, statements: parsed.statements }
  })
}

/**
 * Lints the files of one run in their order, each knowing what the ones before it do, as a statement knows what the
 * statements before it in its file do: the tables they create are new (LintOptions.createdEarlier), the tables they
 * validate a constraint on are validated (LintOptions.validatedEarlier). `lint` lints one file under the options it
 * is given and returns the statements it read. Migrations on disk (`keel migrate`, `keel check`, `keel lint`) and
 * the migrations `keel generate` is about to write (migrate/blocking-steps.ts) go through this one loop, so that
 * generate judges its files as migrate will.
 */
export async function lintInRunOrder<File, Result>(
  files: readonly File[],
  options: LintOptions,
  lint: (
    file: File,
    earlier: LintOptions,
  ) => Promise<{ readonly result: Result; readonly statements: readonly ParsedStatement[] }>,
): Promise<Result[]> {
  const created = new NamesSoFar(options.createdEarlier)
  const validated = new NamesSoFar(options.validatedEarlier)
  const results: Result[] = []
  for (const file of files) {
    const earlier = { ...options, createdEarlier: created.view(), validatedEarlier: validated.view() }
    const { result, statements } = await lint(file, earlier)
    results.push(result)
    for (const table of createdTablesIn(statements, options.dialect)) created.add(table)
    for (const table of validatedTablesIn(statements, options.dialect)) validated.add(table)
  }
  return results
}

async function lintMigrationParsed(
  migration: Migration,
  options: LintOptions,
  parsed: readonly ParsedStatement[] | undefined,
): Promise<{ readonly linted: LintedFile; readonly statements: readonly ParsedStatement[] }> {
  const up = migration.up
  const file = migrationFilePath(up.file)
  // psql's \restrict lines of a pasted pg_dump are blanked as the runner blanks them (source/psql-meta.ts).
  const text = up.kind === 'sql' ? stripPgDumpMeta(up.text) : ''
  const sameParse =
    parsed !== undefined && (options.dialect === undefined || (await loadRuntime(options.dialect)).capabilities.sqlLint)
  const statements = up.kind === 'sql' ? (sameParse ? parsed : await parseFor(text, file, options)) : []
  const findings = await lintSource(
    {
      file,
      text,
      statements,
      migration: {
        id: migration.id,
        noTransaction: migration.directives.noTransaction,
        ...(migration.directives.phase === undefined ? {} : { phase: migration.directives.phase }),
        hasDown: migration.down !== undefined,
        upFile: file,
      },
    },
    options,
  )
  return { linted: { file, text, findings }, statements }
}

/** Lints a loose .sql file (not a migration folder): statement rules only. */
export async function lintSqlText(file: string, text: string, options: LintOptions = {}): Promise<LintedFile> {
  const statements = await parseFor(text, file, options)
  return { file, text, findings: await lintSource({ file, text, statements }, options) }
}
