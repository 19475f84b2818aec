import type {
  Check,
  ColumnType,
  Domain,
  ObjectRef,
  QualifiedName,
  Routine,
  Schema,
  Trigger,
} from '../../schema/model.js'

/** The name and type normalisers of normalize.ts, passed in so that this module does not import it back. */
export interface NameAndTypeNormalizers {
  readonly qualifyName: (name: QualifiedName) => QualifiedName
  readonly normalizeType: (type: ColumnType) => ColumnType
}

/**
 * Domains, routines and triggers in canonical form: names qualified with the default namespace, lists
 * sorted (domains and routines by name, then identity arguments; triggers by relation then name; domain
 * checks by name; routine dependencies deduplicated), definitions trimmed of blanks and a final
 * semicolon, empty comments dropped, and each list omitted when empty (absent means none).
 */
export function normalizeRoutinesOf(schema: Schema, normalizers: NameAndTypeNormalizers): Schema {
  const { domains, routines, triggers, ...rest } = schema
  const normalDomains = sorted(
    (domains ?? []).map((d) => normalizeDomain(d, normalizers)),
    domainKey,
  )
  const normalRoutines = sorted(
    (routines ?? []).map((r) => normalizeRoutine(r, normalizers)),
    routineSortKey,
  )
  const normalTriggers = sorted(
    (triggers ?? []).map((t) => normalizeTrigger(t, normalizers)),
    triggerSortKey,
  )
  return {
    ...rest,
    ...(normalDomains.length > 0 ? { domains: normalDomains } : {}),
    ...(normalRoutines.length > 0 ? { routines: normalRoutines } : {}),
    ...(normalTriggers.length > 0 ? { triggers: normalTriggers } : {}),
  }
}

function normalizeDomain(domain: Domain, { qualifyName, normalizeType }: NameAndTypeNormalizers): Domain {
  const { notNull, default: defaultExpr, collation, comment, checks, ...rest } = domain
  return {
    ...rest,
    name: qualifyName(domain.name),
    type: normalizeType(domain.type),
    ...(notNull === true ? { notNull } : {}),
    ...(defaultExpr === undefined ? {} : { default: defaultExpr }),
    ...(collation === undefined || collation === 'default' || collation === '' ? {} : { collation }),
    checks: sorted(checks.map(normalizeCheck), (c) => [c.name]),
    ...withComment(comment),
  }
}

function normalizeCheck(check: Check): Check {
  const { comment, noInherit: _, ...rest } = check
  return { ...rest, ...withComment(comment) }
}

function normalizeRoutine(routine: Routine, { qualifyName }: NameAndTypeNormalizers): Routine {
  const { comment, ...rest } = routine
  const seen = new Set<string>()
  const dependsOn = routine.dependsOn
    .map((dep): ObjectRef => ({ ...dep, name: qualifyName(dep.name) }))
    .filter((dep) => {
      const key = refKey(dep).join('\u0000')
      if (seen.has(key)) return false
      seen.add(key)
      return true
    })
  return {
    ...rest,
    name: qualifyName(routine.name),
    definition: trimDefinition(routine.definition),
    dependsOn: sorted(dependsOn, refKey),
    ...withComment(comment),
  }
}

function normalizeTrigger(trigger: Trigger, { qualifyName }: NameAndTypeNormalizers): Trigger {
  const { comment, enabled, ...rest } = trigger
  return {
    ...rest,
    table: qualifyName(trigger.table),
    definition: trimDefinition(trigger.definition),
    function: qualifyName(trigger.function),
    ...(enabled === undefined ? {} : { enabled }),
    ...withComment(comment),
  }
}

/** A statement as the server prints it, without surrounding blanks and a final semicolon. */
function trimDefinition(definition: string): string {
  return definition.trim().replace(/\s*;$/, '')
}

function withComment(comment: string | undefined): { readonly comment?: string } {
  return comment === undefined || comment === '' ? {} : { comment }
}

const domainKey = (domain: Domain) => [domain.name.schema ?? '', domain.name.name]
const routineSortKey = (routine: Routine) => [routine.name.schema ?? '', routine.name.name, routine.identityArgs]
const triggerSortKey = (trigger: Trigger) => [trigger.table.schema ?? '', trigger.table.name, trigger.name]
const refKey = (ref: ObjectRef) => [
  ref.kind,
  ref.name.schema ?? '',
  ref.name.name,
  ref.kind === 'routine' ? ref.identityArgs : '',
]

/** Sorts by a key tuple, comparing code units (not the locale), so that the order is the same everywhere. */
function sorted<T>(items: readonly T[], key: (item: T) => readonly string[]): readonly T[] {
  const compare = (a: readonly string[], b: readonly string[]): number => {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const x = a[i] ?? ''
      const y = b[i] ?? ''
      if (x !== y) return x < y ? -1 : 1
    }
    return 0
  }
  return [...items].sort((a, b) => compare(key(a), key(b)))
}
