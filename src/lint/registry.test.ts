import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { dialectNames, runtimeOf } from '../dialect/runtimes.js'
import { CHECKLIST_RULES, checklistRules } from './checklist.js'
import { loadAllRules, sharedRules } from './registry.js'
import { renderRuleDoc } from './rule-doc.js'

const allRules = await loadAllRules()

const RULES_DIR = join(import.meta.dirname, 'rules')
const DIALECTS_DIR = join(import.meta.dirname, '../dialect')
const DOCS_DIR = join(import.meta.dirname, '../../docs/rules')

/** Rule modules in `dir` (each `<id>.ts` beside its `<id>.test.ts`), by file name; none when there is no such folder. */
const ruleFiles = (dir: string): readonly string[] =>
  existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')) : []

/** Where each rule's module lives: lint/rules/ for the shared ones, dialect/<folder>/lint-rules/ for a dialect's own. */
const ruleDirs: readonly string[] = [
  RULES_DIR,
  ...readdirSync(DIALECTS_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(DIALECTS_DIR, entry.name, 'lint-rules')),
]

describe('rule registry', () => {
  it("registers each rule module once, under the id that is its file name, shared or a dialect's own", () => {
    const files = ruleDirs.flatMap(ruleFiles)
    expect(allRules.map((r) => `${r.id}.ts`).sort()).toEqual([...files].sort())
    expect(new Set(allRules.map((r) => r.id)).size).toBe(allRules.length)
    expect(sharedRules.map((r) => `${r.id}.ts`).sort()).toEqual([...ruleFiles(RULES_DIR)].sort())
  })

  it("takes a dialect's own rules from its runtime, and each runs on that dialect alone", () => {
    for (const name of dialectNames()) {
      for (const rule of runtimeOf(name).lintRules ?? []) {
        expect(allRules, rule.id).toContain(rule)
        expect(rule.dialects, rule.id).not.toBe('all')
        expect(rule.dialects, rule.id).toContain(name)
        // loadRulesFor(d) takes a dialect's rules from its own runtime: a rule that names d must be listed there.
        for (const other of rule.dialects === 'all' ? [] : rule.dialects) {
          expect(runtimeOf(other).lintRules ?? [], `${rule.id} on ${other}`).toContain(rule)
        }
      }
    }
    // SQLite's table rebuild is the first such rule: it is SQLite's, kept in dialect/sqlite/lint-rules/.
    expect(runtimeOf('sqlite').lintRules?.map((r) => r.id)).toEqual(['ban-table-rebuild'])
    expect(sharedRules.map((r) => r.id)).not.toContain('ban-table-rebuild')
  })

  it('gives each rule an id that starts with its verdict, and a test file beside it', () => {
    for (const rule of allRules) {
      expect(rule.id).toMatch(/^(ban|prefer|require)-[a-z0-9-]+$/)
      const dir = ruleDirs.find((d) => existsSync(join(d, `${rule.id}.ts`)))
      expect(dir, `${rule.id}.ts`).toBeDefined()
      expect(existsSync(join(dir as string, `${rule.id}.test.ts`)), `${rule.id}.test.ts`).toBe(true)
    }
  })

  it('has an up-to-date doc page per rule (KEEL_UPDATE=1 rewrites them)', () => {
    for (const rule of allRules) {
      const path = join(DOCS_DIR, `${rule.id}.md`)
      const expected = renderRuleDoc(rule)
      if (process.env.KEEL_UPDATE === '1') writeFileSync(path, expected)
      expect(existsSync(path), `docs/rules/${rule.id}.md`).toBe(true)
      expect(readFileSync(path, 'utf8')).toBe(expected)
    }
    const pages = readdirSync(DOCS_DIR).filter((f) => f.endsWith('.md') && f !== 'README.md')
    expect(pages.sort()).toEqual(allRules.map((r) => `${r.id}.md`).sort())
  })

  it("names only registered rules in the checklist, and finds the items a dialect's rule names itself", () => {
    const ids = new Set(allRules.map((r) => r.id))
    for (const rule of Object.values(CHECKLIST_RULES).flat()) expect(ids.has(rule), rule).toBe(true)
    expect(checklistRules('locks', allRules)).toContain('ban-table-rebuild')
    expect(checklistRules('compatible', allRules)).not.toContain('ban-table-rebuild')
  })
})
