import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { type LintOptions, type LintSource, lintSource } from './lint.js'
import { parseFor } from './lint-migration.js'
import { loadAllRules } from './registry.js'
import type { Rule } from './rule.js'

// Rule.statementKinds lets lint skip a rule on statements of other kinds: it must never lose a finding. Every SQL text
// of the rules' own tests and examples is linted with the kinds and without them (each rule then called on every
// statement, as before the kinds), as a loose file, one assumed in a transaction and a migration: the same findings.
const rules = await loadAllRules()
const everywhere: readonly Rule[] = rules.map(({ statementKinds: _, ...rule }) => rule)

const RULES_DIR = join(import.meta.dirname, 'rules')

/** String literals of a test file that read as SQL (a statement's first word, and a semicolon or a single statement). */
function sqlLiterals(text: string): readonly string[] {
  const found: string[] = []
  for (const match of text.matchAll(/'((?:[^'\\\n]|\\.)*)'|`((?:[^`\\$]|\\.|\$(?!\{))*)`/g)) {
    const literal = (match[1] ?? match[2] ?? '').replace(/\\n/g, '\n').replace(/\\'/g, "'").replace(/\\\\/g, '\\')
    if (
      /^\s*(?:--[^\n]*\n\s*)*(?:create|alter|drop|insert|update|delete|begin|start|commit|rollback|set|lock|truncate|vacuum|cluster|reindex|comment|select|copy|merge|with|refresh|grant)\b/i.test(
        literal,
      )
    )
      found.push(literal)
  }
  return found
}

const corpus: readonly string[] = [
  ...new Set([
    ...readdirSync(RULES_DIR)
      .filter((f) => f.endsWith('.test.ts'))
      .flatMap((f) => sqlLiterals(readFileSync(join(RULES_DIR, f), 'utf8'))),
    ...rules.flatMap((r) => [r.examples.bad, r.examples.good]),
  ]),
]

const settings: readonly { readonly name: string; readonly migration: boolean; readonly options: LintOptions }[] = [
  { name: 'loose', migration: false, options: {} },
  { name: 'loose, in a transaction', migration: false, options: { assumeInTransaction: true } },
  { name: 'migration', migration: true, options: {} },
]

describe('rules skipped by statement kind', () => {
  it('lose no finding on any SQL of the rules’ tests and examples', async () => {
    expect(corpus.length).toBeGreaterThan(250)
    let compared = 0
    for (const sql of corpus) {
      const statements = await parseFor(sql, 'up.sql', {}).catch(() => undefined)
      if (statements === undefined) continue
      for (const { name, migration, options } of settings) {
        const source: LintSource = {
          file: 'up.sql',
          text: sql,
          statements,
          ...(migration
            ? { migration: { id: '20260101000000_t', noTransaction: false, hasDown: true, upFile: 'up.sql' } }
            : {}),
        }
        const declared = await lintSource(source, { ...options, rules })
        const all = await lintSource(source, { ...options, rules: everywhere })
        expect(declared, `${name}:\n${sql}`).toEqual(all)
        compared++
      }
    }
    expect(compared).toBeGreaterThan(600)
  })

  it('name only kinds of statement that the parser makes', () => {
    for (const rule of rules) {
      for (const kind of rule.statementKinds ?? []) expect(kind, rule.id).toMatch(/^[A-Z][A-Za-z]+Stmt$/)
    }
  })
})
