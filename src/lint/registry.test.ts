import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CHECKLIST_RULES } from './checklist.js'
import { allRules } from './registry.js'
import { renderRuleDoc } from './rule-doc.js'

const RULES_DIR = join(import.meta.dirname, 'rules')
const DOCS_DIR = join(import.meta.dirname, '../../docs/rules')

describe('rule registry', () => {
  it('registers each rule module once, under the id that is its file name', () => {
    const files = readdirSync(RULES_DIR).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    expect(allRules.map((r) => `${r.id}.ts`).sort()).toEqual(files.sort())
    expect(new Set(allRules.map((r) => r.id)).size).toBe(allRules.length)
  })

  it('gives each rule an id that starts with its verdict, and a test file', () => {
    for (const rule of allRules) {
      expect(rule.id).toMatch(/^(ban|prefer|require)-[a-z0-9-]+$/)
      expect(existsSync(join(RULES_DIR, `${rule.id}.test.ts`)), `${rule.id}.test.ts`).toBe(true)
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

  it('names only registered rules in the checklist', () => {
    const ids = new Set(allRules.map((r) => r.id))
    for (const rule of Object.values(CHECKLIST_RULES).flat()) expect(ids.has(rule), rule).toBe(true)
  })
})
