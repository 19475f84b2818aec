#!/usr/bin/env node
// The footprint of a dialect: how many source files outside src/dialect/<folder>/ know about it. The
// target (issue 8) is that adding a dialect touches its folder, the registry lines and its driver and
// nothing else, so every other file listed here is a place where the seam leaks.
//
//   node scripts/dialect-footprint.mjs [postgres|sqlite|mysql] [--json] [--list]   (from the repository root)
//
// A file "knows" a dialect when it imports from the dialect's folder, spells its name as a string
// literal (`kind === 'postgres'`), imports its driver or parser packages, or holds SQL or error codes
// only that dialect understands (catalog tables, advisory locks, SQLSTATEs, PRAGMAs). Test files do not
// count: they run on every dialect on purpose. test/seam/dialect-footprint.test.ts lists the leaks left, so that
// none is added unnoticed.
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'

// The working directory, so that the same script measures another checkout (before/after numbers).
const root = process.cwd()

/** What marks a file as knowing a dialect; names are the literal names a Connection may carry. */
const markers = {
  postgres: {
    folder: 'postgres',
    names: ['postgres', 'pglite'],
    packages: ['pg', '@electric-sql/pglite', 'libpg-query'],
    sql: [
      /\bpg_catalog\b/,
      /\bpg_stat_activity\b/,
      /\bpg_(try_)?advisory/,
      /\bpg_backend_pid\b/,
      /\bpg_terminate_backend\b/,
      /\bto_regclass\b/,
      // SQLSTATEs as PostgreSQL uses them (25P01 no transaction, 42501 insufficient privilege, 57xxx operator
      // intervention), compared or tested by prefix. Class 08 (connection exception) is the standard's, which
      // MySQL reports too: a test of it alone marks no dialect.
      /'(25001|25P0[1-4]|28P01|55P03|57014|40P01|42501|42601|42P07|42710|23505)'/,
      /startsWith\('57'\)/,
    ],
  },
  sqlite: {
    folder: 'sqlite',
    names: ['sqlite'],
    packages: ['better-sqlite3'],
    sql: [/\bsqlite_(master|schema|sequence)\b/, /\bPRAGMA\b/i, /\bSQLITE_[A-Z]+\b/],
  },
  mysql: {
    folder: 'mysql',
    names: ['mysql', 'mariadb'],
    packages: ['mysql2'],
    sql: [/\bGET_LOCK\b/, /\binformation_schema\.(innodb|processlist)/i, /\bER_[A-Z_]+\b/],
  },
}

/** Files a dialect may touch outside its folder by design: the registry lines and its driver. */
const allowed = {
  postgres: [
    /^src\/dialect\/(registry|runtimes)\.ts$/,
    /^src\/db\/url-forms\.ts$/,
    /^src\/db\/drivers\/(pg|pglite)[.-]/,
    // The core's parse-tree format: the lint rules and engine read libpg_query's JSON (PostgreSQL's grammar) on
    // every dialect, and MySQL's and SQLite's statements are borrowed into it (DialectRuntime.lintSql.borrowTree).
    // This file names its types, types only (no parser loads here). A new dialect brings its own parser through
    // lintSql.parser and borrows this tree; it never edits the file. Moving it into dialect/postgres/ would only
    // make every rule import a dialect's folder.
    /^src\/lint\/sql\/tree\.ts$/,
  ],
  sqlite: [/^src\/dialect\/(registry|runtimes)\.ts$/, /^src\/db\/url-forms\.ts$/, /^src\/db\/drivers\/sqlite[.-]/],
  mysql: [/^src\/dialect\/(registry|runtimes)\.ts$/, /^src\/db\/url-forms\.ts$/, /^src\/db\/drivers\/mysql[.-]/],
}

function* sourceFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) yield* sourceFiles(path)
    else if (/\.ts$/.test(entry.name) && !/\.test(-d)?\.ts$/.test(entry.name)) yield path
  }
}

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')

/**
 * A lint rule's `dialects: ['postgres', 'pglite']` says which dialects the rule reads, as a registration does:
 * a new dialect never edits it (a rule that does not name it does not run on it), so it is not a place the seam
 * leaks. It was 30 of the 60 files this script counted for postgres. The rest of a rule file still counts.
 */
function withoutRuleDeclarations(rel, text) {
  return rel.startsWith('src/lint/rules/') ? text.replace(/^\s*dialects:\s*\[[^\]]*\],?\s*$/gm, '') : text
}

/** Why a file knows the dialect (the first few reasons), or an empty list. */
function reasonsIn(text, m) {
  const reasons = []
  if (new RegExp(`from '[^']*dialect/${m.folder}/`).test(text)) reasons.push(`imports dialect/${m.folder}/`)
  for (const name of m.names) if (text.includes(`'${name}'`)) reasons.push(`names '${name}'`)
  for (const pkg of m.packages)
    if (new RegExp(`(from|import\\()\\s*'${escapeRegExp(pkg)}(/[^']*)?'`).test(text)) reasons.push(`uses ${pkg}`)
  for (const re of m.sql) {
    const hit = re.exec(text)
    if (hit) reasons.push(`SQL ${hit[0]}`)
  }
  return reasons
}

const args = process.argv.slice(2)
const dialect = args.find((a) => !a.startsWith('--')) ?? 'postgres'
const m = markers[dialect]
if (m === undefined) {
  process.stderr.write(`unknown dialect ${dialect}; one of ${Object.keys(markers).join(', ')}\n`)
  process.exit(2)
}
const files = []
for (const path of sourceFiles(join(root, 'src'))) {
  const rel = relative(root, path).replaceAll('\\', '/')
  if (rel.startsWith(`src/dialect/${m.folder}/`)) continue
  const reasons = reasonsIn(withoutRuleDeclarations(rel, readFileSync(path, 'utf8')), m)
  if (reasons.length > 0) files.push({ file: rel, byDesign: allowed[dialect].some((re) => re.test(rel)), reasons })
}
const leaks = files.filter((f) => !f.byDesign)
if (args.includes('--json')) {
  process.stdout.write(
    `${JSON.stringify({ dialect, files: files.length, leaks: leaks.length, list: files }, null, 2)}\n`,
  )
} else {
  process.stdout.write(
    `${dialect}: ${files.length} files outside src/dialect/${m.folder}/ know it; ${leaks.length} of them beyond the registry and its driver\n`,
  )
  if (args.includes('--list'))
    for (const f of files) process.stdout.write(`  ${f.byDesign ? ' ' : '!'} ${f.file}: ${f.reasons.join(', ')}\n`)
}
