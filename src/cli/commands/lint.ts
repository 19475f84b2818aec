import { existsSync, readFileSync, statSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import { openDatabase } from '../../db/open.js'
import { KeelError } from '../../errors.js'
import type { LintOptions } from '../../lint/lint.js'
import { type LintedFile, lintMigration, lintMigrationsInOrder, lintSqlText } from '../../lint/lint-migration.js'
import { lintPending } from '../../lint/lint-pending.js'
import { readLiveFacts } from '../../lint/live-facts.js'
import { loadAllRules } from '../../lint/registry.js'
import type { LiveFacts, Rule } from '../../lint/rule.js'
import { type ServerSyntax, serverSyntaxOf } from '../../lint/sql/parse-dialect.js'
import { displayPath, type Migration, readMigrationFolder, readMigrationsDirectory } from '../../migrate/directory.js'
import type { RegisterCommand } from '../command.js'
import { withGlobalOptions } from '../command.js'
import type { CommandContext } from '../context.js'
import {
  countFindings,
  LINT_FORMATS,
  type LintFormat,
  renderGithub,
  renderJson,
  renderPretty,
  renderSarif,
} from '../format/lint-report.js'
import { isMissingEmbeddedDatabase, isProject, noProject } from '../read-only.js'

interface LintFlags {
  readonly format?: string
  readonly all?: boolean
  readonly assumeInTransaction?: boolean
  readonly rules?: boolean
  readonly url?: string
}

/**
 * `keel lint [FILES...] [--format pretty|json|github|sarif]`: checks migrations against the safety rules.
 * Without files, the pending migrations of the project (from the database's journal); FILES may be .sql files,
 * migration folders or migrations directories. Exit 1 when a finding is an error, 2 for SQL that does not parse.
 */
export const registerLint: RegisterCommand = (program, run) => {
  withGlobalOptions(
    program.command('lint').description('lint migrations for operations that lock, rewrite or lose data'),
  )
    .argument('[files...]', '.sql files, migration folders or migrations directories (default: pending migrations)')
    .option('--format <format>', `output: ${LINT_FORMATS.join(', ')} (default pretty; --json means json)`)
    .option('--all', 'lint every migration of the project, applied ones too')
    .option('--assume-in-transaction', 'treat loose .sql files as running in one transaction')
    .option('--rules', 'list the rules and exit')
    .action(run<LintFlags>((ctx, flags, args) => runLint(ctx, flags, args)))
}

async function runLint(ctx: CommandContext, flags: LintFlags, files: readonly string[]): Promise<number> {
  const format = formatOf(flags, ctx)
  const allRules = await loadAllRules()
  if (flags.rules) return listRules(ctx, allRules)
  const unknown = Object.keys(ctx.config.lint.rules).filter((id) => !allRules.some((r) => r.id === id))
  if (unknown.length > 0)
    throw new KeelError(
      'CONFIG',
      `lint.rules names unknown rules: ${unknown.join(', ')}`,
      'Run `keel lint --rules` for the rule ids.',
    )
  // Files are linted as SQL of the project's dialect, with the rules that dialect lists.
  const { parseDatabaseUrl } = await import('../../db/url.js')
  const options: LintOptions = {
    dialect: parseDatabaseUrl(ctx.url).kind,
    severities: ctx.config.lint.rules,
    ...(flags.assumeInTransaction ? { assumeInTransaction: true } : {}),
  }
  const linted =
    files.length > 0
      ? flags.url === undefined
        ? await lintPaths(ctx, files, options)
        : await withLiveDatabase(ctx.url, (live) => lintPaths(ctx, files, { ...options, ...live }))
      : await lintProject(ctx, flags.all === true, options)
  print(ctx, format, linted, allRules)
  return countFindings(linted).errors > 0 ? 1 : 0
}

function formatOf(flags: LintFlags, ctx: CommandContext): LintFormat {
  if (flags.format === undefined) return ctx.out.json ? 'json' : 'pretty'
  const format = LINT_FORMATS.find((f) => f === flags.format)
  if (format === undefined)
    throw new KeelError('USAGE', `--format must be one of ${LINT_FORMATS.join(', ')} (got "${flags.format}")`)
  return format
}

function print(
  ctx: CommandContext,
  format: LintFormat,
  linted: readonly LintedFile[],
  allRules: readonly Rule[],
): void {
  // The machine formats go to stdout whatever --json says: they are what was asked for.
  if (format === 'json') process.stdout.write(`${JSON.stringify(renderJson(linted), null, 2)}\n`)
  else if (format === 'sarif')
    process.stdout.write(
      `${JSON.stringify(renderSarif(linted, process.env.npm_package_version ?? '0.1.0', allRules), null, 2)}\n`,
    )
  else if (format === 'github') {
    const text = renderGithub(linted)
    if (text !== '') process.stdout.write(`${text}\n`)
  } else ctx.out.line(renderPretty(linted))
}

function listRules(ctx: CommandContext, allRules: readonly Rule[]): number {
  const rules = allRules.map((r) => ({
    id: r.id,
    severity: ctx.config.lint.rules[r.id] ?? r.severity,
    summary: r.summary,
    help: r.help,
  }))
  ctx.out.result({ rules })
  for (const r of rules) ctx.out.line(`${r.id.padEnd(40)} ${r.severity.padEnd(8)} ${r.summary}`)
  return 0
}

/** Lints what the command line names: .sql files, migration folders, migrations directories. */
async function lintPaths(ctx: CommandContext, paths: readonly string[], options: LintOptions): Promise<LintedFile[]> {
  const linted: LintedFile[] = []
  for (const path of paths) {
    const full = resolve(ctx.cwd, path)
    if (!existsSync(full))
      throw new KeelError(
        'SOURCE_NOT_FOUND',
        `${path}: no such file or directory`,
        'Name .sql files, migration folders or a migrations directory.',
      )
    if (statSync(full).isFile()) {
      // A migration's up.sql is linted as its folder is: its directives (`-- keel:phase contract`,
      // `-- keel:no-transaction`) change what is safe, and the folder's rules (a missing down) apply.
      const migration = basename(full) === 'up.sql' ? migrationOfUp(full) : undefined
      linted.push(
        migration === undefined
          ? await lintSqlText(displayPath(full), readFileSync(full, 'utf8'), options)
          : await lintMigration(migration, options),
      )
      continue
    }
    for (const migration of migrationsAt(full)) linted.push(await lintMigration(migration, options))
  }
  return linted
}

/** The migration whose up.sql `file` is, when its folder is named as a migration (`20261124093000_name`). */
function migrationOfUp(file: string): Migration | undefined {
  const dir = dirname(file)
  return /^\d{14}_/.test(basename(dir)) ? readMigrationFolder(dir) : undefined
}

/** A migration folder (it holds up.sql or migration.ts) or a directory of them. */
function migrationsAt(dir: string): readonly Migration[] {
  const isFolder = ['up.sql', 'migration.ts', 'migration.mts', 'migration.js', 'migration.mjs'].some((f) =>
    existsSync(join(dir, f)),
  )
  return isFolder ? [readMigrationFolder(dir)] : readMigrationsDirectory(dir).migrations
}

/** The project's pending migrations (see lintPending), or with --all every migration, each judged on its own. */
async function lintProject(ctx: CommandContext, all: boolean, options: LintOptions): Promise<readonly LintedFile[]> {
  // Every migration: no database needed, and its present sizes say nothing about when the old ones ran.
  if (all) return lintEach(readMigrationsDirectory(ctx.config.migrations).migrations, options)
  // An embedded database that does not exist yet has nothing applied and no tables; opening it would create it.
  if (isMissingEmbeddedDatabase(ctx.url, ctx.cwd)) {
    if (!isProject(ctx)) throw noProject(ctx)
    return lintAllAsPending(ctx, options)
  }
  const linted = await lintPending(
    { url: ctx.url, migrationsDir: ctx.config.migrations, journalSchema: ctx.config.journalSchema },
    options,
  )
  if (linted.length === 0) ctx.out.progress('no pending migrations to lint')
  return linted
}

/**
 * Every migration as `keel migrate` would lint it on the database it creates: all pending, in order, judged against
 * an empty database (no table exists before the migrations create it).
 */
async function lintAllAsPending(ctx: CommandContext, options: LintOptions): Promise<readonly LintedFile[]> {
  const { migrations } = readMigrationsDirectory(ctx.config.migrations)
  if (migrations.length === 0) {
    ctx.out.progress('no pending migrations to lint')
    return []
  }
  return lintMigrationsInOrder(
    migrations.map((migration) => ({ migration })),
    { ...options, live: EMPTY_DATABASE },
  )
}

/** The live facts of a database with nothing in it. */
const EMPTY_DATABASE: LiveFacts = {
  tables: new Map(),
  viewColumns: new Map(),
  columnTypes: new Map(),
  indexes: new Map(),
  notNullChecked: new Set(),
  partitions: new Map(),
}

async function lintEach(migrations: readonly Migration[], options: LintOptions): Promise<LintedFile[]> {
  const linted: LintedFile[] = []
  for (const migration of migrations) linted.push(await lintMigration(migration, options))
  return linted
}

/**
 * `--url` with files: the database's facts, and (MySQL) the server as the judge of statements its parser refuses
 * (lint/sql/parse-dialect.ts), while the files are linted.
 */
async function withLiveDatabase<T>(
  url: string,
  fn: (live: { readonly live: LiveFacts; readonly serverSyntax?: ServerSyntax }) => Promise<T>,
): Promise<T> {
  const conn = await openDatabase(url, 'keel lint')
  try {
    const live = await readLiveFacts(conn)
    const serverSyntax = serverSyntaxOf(conn.dialect, conn)
    return await fn(serverSyntax === undefined ? { live } : { live, serverSyntax })
  } finally {
    await conn.close()
  }
}
