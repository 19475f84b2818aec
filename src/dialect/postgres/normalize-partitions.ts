/**
 * Canonical spelling of the PostgreSQL table-structure facts: partitioning, inheritance, exclusion constraints
 * and rules. Used by normalize.ts; `qualify` fills the default namespace into a name.
 */
import type { Exclusion, QualifiedName, Rule, Schema, Table, TableExt } from '../../schema/model.js'

type Qualify = (name: QualifiedName) => QualifiedName
type PostgresExt = NonNullable<TableExt['postgres']>

/** The `postgres` table facts with names qualified and defaults (not unlogged, no parents) omitted. */
export function normalizePostgresExt(ext: PostgresExt | undefined, qualify: Qualify): PostgresExt | undefined {
  if (ext === undefined) return undefined
  const { unlogged, partitionBy, partitionOf, inherits, ...rest } = ext
  const result: PostgresExt = {
    ...rest,
    ...(unlogged === true ? { unlogged: true } : {}),
    ...(partitionBy === undefined || partitionBy.trim() === '' ? {} : { partitionBy: partitionBy.trim() }),
    ...(partitionOf === undefined
      ? {}
      : { partitionOf: { parent: qualify(partitionOf.parent), bound: partitionOf.bound.trim() } }),
    ...(inherits === undefined || inherits.length === 0 ? {} : { inherits: inherits.map(qualify) }),
  }
  return Object.keys(result).length === 0 ? undefined : result
}

/** Exclusion constraints sorted by name, empty comments dropped; undefined when there are none. */
export function normalizeExclusions(exclusions: readonly Exclusion[] | undefined): readonly Exclusion[] | undefined {
  if (exclusions === undefined || exclusions.length === 0) return undefined
  return [...exclusions]
    .map((exclusion) => {
      const { comment, ...rest } = exclusion
      return comment === undefined || comment === '' ? rest : { ...rest, comment }
    })
    .sort((a, b) => compare(a.name, b.name))
}

/** `schema` with its rules normalised (qualified, sorted by table and name), and the field omitted when empty. */
export function normalizeRulesOf(schema: Schema, qualify: Qualify): Schema {
  const { rules, ...rest } = schema
  if (rules === undefined || rules.length === 0) return rest
  return { ...rest, rules: [...rules].map((rule) => normalizeRule(rule, qualify)).sort(compareRules) }
}

function normalizeRule(rule: Rule, qualify: Qualify): Rule {
  const { comment, ...rest } = rule
  const seen = new Set<string>()
  const dependsOn = rule.dependsOn
    .map(qualify)
    .filter((name) => {
      const key = `${name.schema}\u0000${name.name}`
      if (seen.has(key)) return false
      seen.add(key)
      return true
    })
    .sort((a, b) => compare(a.schema ?? '', b.schema ?? '') || compare(a.name, b.name))
  return {
    ...rest,
    table: qualify(rule.table),
    definition: rule.definition.trim().replace(/\s*;$/, ''),
    dependsOn,
    ...(comment === undefined || comment === '' ? {} : { comment }),
  }
}

function compareRules(a: Rule, b: Rule): number {
  return (
    compare(a.table.schema ?? '', b.table.schema ?? '') ||
    compare(a.table.name, b.table.name) ||
    compare(a.name, b.name)
  )
}

/** Code-unit order, the same on every machine (not the locale's). */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** A table's parents: its partitioned table, or its INHERITS list. */
export function parentsOf(table: Table): readonly QualifiedName[] {
  const postgres = table.ext?.postgres
  if (postgres?.partitionOf !== undefined) return [postgres.partitionOf.parent]
  return postgres?.inherits ?? []
}
