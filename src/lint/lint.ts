import { type DialectName, lintTreeDialect, loadRuntime, runtimeOf } from '../dialect/runtimes.js'
import type { Step } from '../plan/step.js'
import { type LintIgnoreComment, readIgnores } from './ignore.js'
import { type NameLookup, NamesSoFar } from './names-so-far.js'
import { Positions } from './positions.js'
import { loadRulesFor, ruleIdsFor } from './registry.js'
import type {
  DialectTraits,
  Finding,
  LintContext,
  LintStatement,
  LiveFacts,
  MigrationInfo,
  Report,
  Rule,
  Severity,
  TableSize,
} from './rule.js'
import { alterTable, relationKey } from './sql/ast.js'
import type { ParsedStatement } from './sql/parse.js'
import type { ServerSyntax } from './sql/parse-dialect.js'
import type { Node } from './sql/tree.js'

/** One file to lint: its text, parsed statements and, for a migration folder, what the runner knows of it. */
export interface LintSource {
  /** The path shown in findings. */
  readonly file: string
  readonly text: string
  readonly statements: readonly ParsedStatement[]
  readonly migration?: MigrationInfo
  /** For a generated migration: the plan step of each statement (same order and length as `statements`). */
  readonly steps?: readonly (Step | undefined)[]
}

/** Settings of a lint run (keel.config.ts `lint`, flags, and the live database's facts). */
export interface LintOptions {
  readonly rules?: readonly Rule[]
  /** Per-rule severity overrides; `off` disables a rule. */
  readonly severities?: Readonly<Record<string, Severity | 'off'>>
  readonly live?: LiveFacts
  readonly dialect?: DialectName
  /** Treat a loose file as running in one transaction (as squawk's `--assume-in-transaction`). */
  readonly assumeInTransaction?: boolean
  /**
   * The live database as the judge of a statement the dialect's parser refuses (MySQL: PREPARE, see
   * dialect/mysql/server-syntax.ts): when it refuses the syntax too, the statement is error[SQL_SYNTAX] instead of a warning.
   */
  readonly serverSyntax?: ServerSyntax
  /**
   * Tables that the migrations before this one in the same run create, keyed as `relationKey` keys them: new here
   * too, as those the file creates itself (`keel generate` splits one plan into several migrations, and a table one
   * of them creates is new in the next: no release uses it yet). See {@link createdTablesIn}.
   */
  readonly createdEarlier?: NameLookup
  /**
   * Tables on which the migrations before this one in the same run validate a constraint (VALIDATE CONSTRAINT),
   * keyed as `relationKey` keys them: as a VALIDATE earlier in the file does, it proves a later SET NOT NULL needs no
   * scan (`keel generate` puts a keyed retype's validations beside its concurrent builds, in the migration before the
   * swap). See {@link validatedTablesIn}.
   */
  readonly validatedEarlier?: NameLookup
}

/** Rows and bytes below which an existing table counts as small: a brief lock on it harms nobody. */
const SMALL_ROWS = 100_000
const SMALL_BYTES = 100 * 1024 * 1024

/**
 * Lints one file: runs every enabled rule over every statement (and the migration-level rules over a migration
 * folder), applies `-- keel:lint-ignore` comments, and reports ignores that match nothing or give no reason.
 * Pure but for loading what it needs (the dialect's runtime and rules, once): the caller reads files and the database.
 *
 * @example
 * ```ts
 * const statements = await parseSql('create index i on users (email);', 'up.sql')
 * (await lintSource({ file: 'up.sql', text, statements }))[0]?.rule // 'require-concurrent-index'
 * ```
 */
export async function lintSource(source: LintSource, options: LintOptions = {}): Promise<readonly Finding[]> {
  const dialect = options.dialect ?? lintTreeDialect
  // The rules read libpg_query's tree on every dialect, with PostgreSQL's builtin types (traits below).
  const [rules] = await Promise.all([
    enabledRules(options, dialect),
    loadRuntime(dialect),
    loadRuntime(lintTreeDialect),
  ])
  const positions = new Positions(source.text)
  const live = options.live ?? {}
  const statements: LintStatement[] = source.statements.map((parsed, i) => {
    const step = source.steps?.[i]
    return step === undefined ? { parsed, node: parsed.node } : { parsed, node: parsed.node, step }
  })
  const transactions = transactionFlags(source, options)
  const runtime = runtimeOf(dialect)
  const traits: DialectTraits = {
    title: runtime.title,
    notNullColumnWithoutDefault: runtime.lintSql?.notNullColumnWithoutDefault ?? 'fails-with-rows',
    defaultNamespace: runtime.defaultNamespace,
    builtinTypes: runtimeOf(lintTreeDialect).lintSql?.builtinTypes,
    quoteIdent: (name) => runtime.quoteIdent(name),
  }
  const raw: { finding: Finding; statement: number | undefined }[] = []
  const created = new NamesSoFar(options.createdEarlier)
  for (const [index, statement] of statements.entries()) {
    const ctx: LintContext = {
      dialect: runtime.name,
      traits,
      file: source.file,
      text: source.text,
      migration: source.migration,
      statements,
      index,
      inTransaction: transactions[index] ?? false,
      createdBefore: created.view(),
      validatedBefore: options.validatedEarlier ?? new Set(),
      sizeOf: (key) => sizeOf(key, created, live),
      isNew: (key) => created.has(key) || (live.tables !== undefined && !live.tables.has(key)),
      live,
    }
    for (const { rule, severity } of rules.forKind(nodeKind(statement.node))) {
      for (const report of rule.checkStatement?.(statement, ctx) ?? []) {
        raw.push({
          finding: toFinding(rule, severity, report, statement.parsed, source.file, positions),
          statement: index,
        })
      }
    }
    for (const key of createdTables(statement.node, statement.parsed.sql, traits.defaultNamespace)) created.add(key)
  }
  if (source.migration !== undefined) {
    for (const { rule, severity } of rules.all) {
      for (const report of rule.checkMigration?.(source.migration, statements) ?? []) {
        const at = report.at === undefined ? { line: 1, column: 1 } : positions.ofByte(report.at)
        raw.push({
          finding: {
            rule: rule.id,
            severity: report.severity ?? severity,
            message: report.message,
            hint: report.hint ?? rule.help,
            file: source.file,
            ...at,
          },
          statement: undefined,
        })
      }
    }
  }
  const ignores = readIgnores(source.text, source.statements)
  const known = ignores.length === 0 ? new Set<string>() : await ruleIdsFor(ignores.flatMap((i) => i.rules))
  const findings = applyIgnores(raw, ignores, source.file, known)
  // The engine's own findings about ignore comments honour the configured severities too.
  return findings.flatMap((f) => {
    const setting = options.severities?.[f.rule]
    if (setting === 'off') return []
    return setting === undefined || setting === f.severity ? [f] : [{ ...f, severity: setting }]
  })
}

type EnabledRule = { readonly rule: Rule; readonly severity: Severity }

/** The enabled rules, and by statement kind those whose checkStatement can report on it (Rule.statementKinds). */
interface EnabledRules {
  readonly all: readonly EnabledRule[]
  /** The rules with a checkStatement for a node of `kind`, in the order of `all` (the findings' order on a statement). */
  forKind(kind: string): readonly EnabledRule[]
}

function byKind(all: readonly EnabledRule[]): EnabledRules {
  const kinds = new Map<string, readonly EnabledRule[]>()
  return {
    all,
    forKind(kind) {
      let rules = kinds.get(kind)
      if (rules === undefined) {
        rules = all.filter(
          ({ rule }) =>
            rule.checkStatement !== undefined &&
            (rule.statementKinds === undefined || rule.statementKinds.includes(kind)),
        )
        kinds.set(kind, rules)
      }
      return rules
    },
  }
}

/** The kind of a statement's node (`CreateStmt`), its one key; '' for a statement without a tree (`{}`). */
function nodeKind(node: Node): string {
  for (const kind in node) return kind
  return ''
}

/** The last answer of enabledRules and what it was asked: a run lints each of its files with the same settings. */
let lastEnabled:
  | {
      readonly rules: LintOptions['rules']
      readonly severities: LintOptions['severities']
      readonly dialect: DialectName
      readonly enabled: Promise<EnabledRules>
    }
  | undefined

/**
 * The rules that lint `dialect` under `options`, each with its severity. Remembered for the next file linted with the
 * same rules, severities and dialect: worked out anew for each of 1,000 migrations, it took 17 ms of `keel migrate`.
 */
function enabledRules(options: LintOptions, dialect: DialectName): Promise<EnabledRules> {
  const last = lastEnabled
  if (
    last !== undefined &&
    last.rules === options.rules &&
    last.severities === options.severities &&
    last.dialect === dialect
  ) {
    return last.enabled
  }
  const enabled = findEnabledRules(options, dialect)
  lastEnabled = { rules: options.rules, severities: options.severities, dialect, enabled }
  return enabled
}

async function findEnabledRules(options: LintOptions, dialect: DialectName): Promise<EnabledRules> {
  const all = (options.rules ?? (await loadRulesFor(dialect))).flatMap((rule) => {
    const setting = options.severities?.[rule.id] ?? rule.severity
    if (setting === 'off') return []
    if (rule.dialects !== 'all' && !rule.dialects.includes(dialect)) return []
    return [{ rule, severity: setting }]
  })
  return byKind(all)
}

function toFinding(
  rule: Rule,
  severity: Severity,
  report: Report,
  statement: ParsedStatement,
  file: string,
  positions: Positions,
): Finding {
  const at = report.at === undefined ? positions.ofChar(statement.offset) : positions.ofByte(report.at)
  // A configured severity wins over a rule's contextual one, except that context may always lower it.
  const own = report.severity ?? severity
  return {
    rule: rule.id,
    severity: rank(own) < rank(severity) ? own : severity,
    message: report.message,
    hint: report.hint ?? rule.help,
    file,
    ...at,
    sql: statement.sql,
    statementLine: statement.line,
  }
}

const rank = (severity: Severity): number => ({ info: 0, warning: 1, error: 2 })[severity]

/**
 * Whether each statement runs in a transaction together with others: inside an explicit BEGIN ... COMMIT,
 * or in a Keel migration without `-- keel:no-transaction` (the runner runs a statement PostgreSQL refuses in a
 * transaction block alone), or in a loose file when the caller assumes one.
 */
function transactionFlags(source: LintSource, options: LintOptions): readonly boolean[] {
  let explicit = false
  // A loose file assumed to run in one transaction: its own COMMIT ends that transaction, and what follows runs
  // outside any until the next BEGIN (squawk's --assume-in-transaction reads `COMMIT; CREATE INDEX
  // CONCURRENTLY ...; BEGIN;` the same way).
  let assumed = source.migration === undefined && options.assumeInTransaction === true
  return source.statements.map((s) => {
    if (s.kind === 'TransactionStmt') {
      const kind = (s.node as Extract<Node, { TransactionStmt: unknown }>).TransactionStmt.kind
      if (kind === 'TRANS_STMT_BEGIN' || kind === 'TRANS_STMT_START') explicit = true
      else if (kind === 'TRANS_STMT_COMMIT' || kind === 'TRANS_STMT_ROLLBACK' || kind === 'TRANS_STMT_PREPARE') {
        explicit = false
        assumed = false
      }
      return explicit
    }
    if (explicit) return true
    if (source.migration !== undefined) return !source.migration.noTransaction && s.nonTransactional === undefined
    return assumed
  })
}

/** The tables `statements` create, keyed as lint keys them, for the {@link LintOptions.createdEarlier} of the next file. */
export function createdTablesIn(statements: readonly ParsedStatement[], dialect?: DialectName): readonly string[] {
  const { defaultNamespace } = runtimeOf(dialect ?? lintTreeDialect)
  return statements.flatMap((s) => createdTables(s.node, s.sql, defaultNamespace))
}

/** The tables `statements` validate a constraint on, keyed as lint keys them, for {@link LintOptions.validatedEarlier}. */
export function validatedTablesIn(statements: readonly ParsedStatement[], dialect?: DialectName): readonly string[] {
  const { defaultNamespace } = runtimeOf(dialect ?? lintTreeDialect)
  return statements.flatMap((s) => {
    const alter = alterTable(s.node, defaultNamespace)
    return alter?.cmds.some((c) => c.subtype === 'AT_ValidateConstraint') === true ? [alter.key] : []
  })
}

/** Tables a statement creates (CREATE TABLE, CREATE TABLE AS, SELECT INTO), keyed as `relationKey` keys them. */
function createdTables(node: Node, sql: string, defaultNamespace: string | undefined): readonly string[] {
  // No parse tree (a MySQL or SQLite CREATE TABLE that PostgreSQL's grammar does not read): its name, from the text.
  if (Object.keys(node).length === 0) {
    const table = createdTableOf(sql, defaultNamespace)
    return table === undefined ? [] : [table]
  }
  if ('CreateStmt' in node) return [relationKey(node.CreateStmt.relation, defaultNamespace)]
  if ('CreateTableAsStmt' in node) return [relationKey(node.CreateTableAsStmt.into?.rel, defaultNamespace)]
  return []
}

/** CREATE TABLE's table in `sql`, keyed as relationKey keys it: a quoted name as written, a bare one lowercased. */
function createdTableOf(sql: string, defaultNamespace: string | undefined): string | undefined {
  const name =
    /^\s*create\s+(?:or\s+replace\s+)?(?:temp(?:orary)?\s+)?table\s+(?:if\s+not\s+exists\s+)?((?:"[^"]+"|`[^`]+`|[\w$]+)(?:\s*\.\s*(?:"[^"]+"|`[^`]+`|[\w$]+))?)/i.exec(
      sql.replace(/^(?:\s*(?:--[^\n]*\n|\/\*[\s\S]*?\*\/))*/, ''),
    )?.[1]
  if (name === undefined) return undefined
  // MySQL's backquotes do not keep case as PostgreSQL's double quotes do (its rules key tables in lowercase).
  const parts = name
    .split(/\s*\.\s*/)
    .map((p) => (p.startsWith('"') ? p.slice(1, -1) : p.replace(/`/g, '').toLowerCase()))
  return parts.length > 1 && parts[0] === defaultNamespace ? parts.slice(1).join('.') : parts.join('.')
}

function sizeOf(key: string, created: NameLookup, live: LiveFacts): TableSize {
  if (created.has(key)) return 'new'
  if (live.tables === undefined) return 'unknown'
  const table = live.tables.get(key)
  // Not in the database yet: an earlier pending migration creates it, so it starts empty.
  if (table === undefined) return 'empty'
  if (table.rows <= 0 && table.bytes <= 8192) return 'empty'
  return table.rows < SMALL_ROWS && table.bytes < SMALL_BYTES ? 'small' : 'large'
}

/** The rule id of a finding about a lint-ignore comment itself. */
export const IGNORE_RULES = { unused: 'ban-unused-lint-ignore', reason: 'require-lint-ignore-reason' } as const

function applyIgnores(
  raw: readonly { readonly finding: Finding; readonly statement: number | undefined }[],
  ignores: readonly LintIgnoreComment[],
  file: string,
  known: ReadonlySet<string>,
): readonly Finding[] {
  const used = new Set<LintIgnoreComment>()
  const honoured = ignores.filter((i) => i.reason !== '' && i.rules.length > 0)
  const kept = raw.filter(({ finding, statement }) => {
    const match = honoured.find(
      (i) => i.rules.includes(finding.rule) && (i.statement === undefined || i.statement === statement),
    )
    if (match === undefined) return true
    used.add(match)
    return false
  })
  const meta: Finding[] = []
  for (const ignore of ignores) {
    const at = { file, line: ignore.line, column: ignore.column }
    if (ignore.reason === '' || ignore.rules.length === 0) {
      meta.push({
        rule: IGNORE_RULES.reason,
        severity: 'error',
        message: `keel:lint-ignore ${ignore.rules.join(',')} gives no reason, so it is not honoured`,
        hint: 'Write why the finding is safe to ignore after the rule id: `-- keel:lint-ignore RULE the table is empty`.',
        ...at,
      })
      continue
    }
    const unknown = ignore.rules.filter((r) => !known.has(r))
    if (unknown.length > 0 || !used.has(ignore)) {
      meta.push({
        rule: IGNORE_RULES.unused,
        severity: 'warning',
        message:
          unknown.length > 0
            ? `keel:lint-ignore names no known rule: ${unknown.join(', ')}`
            : `keel:lint-ignore ${ignore.rules.join(',')} matches no finding ${ignore.statement === undefined ? 'in this file' : 'on the next statement'}`,
        hint: 'Remove the comment, or fix the rule id (`keel lint --rules` lists them).',
        ...at,
      })
    }
  }
  return [...kept.map((k) => k.finding), ...meta].sort((a, b) => a.line - b.line || a.column - b.column)
}
