import { deepEqual, omitKeys } from '../schema/equal.js'
import type { ColumnType, Domain, EnumType, QualifiedName, Schema } from '../schema/model.js'
import { nameKey, sameName } from '../schema/name.js'
import type { Change, EnumUsage } from './change.js'
import { matchByName } from './diff-named.js'
import type { Taint } from './diff-views.js'

/** Namespaces by name; a comment-only difference is a `setComment`. */
export function diffNamespaces(from: Schema, to: Schema): readonly Change[] {
  const matched = matchByName(from.namespaces, to.namespaces, (n) => n.name)
  return [
    ...matched.dropped.map((namespace): Change => ({ kind: 'dropNamespace', namespace })),
    ...matched.added.map((namespace): Change => ({ kind: 'createNamespace', namespace })),
    ...matched.both.flatMap(([before, after]): Change[] =>
      before.comment === after.comment
        ? []
        : [
            {
              kind: 'setComment',
              target: { kind: 'namespace', name: after.name },
              from: before.comment,
              to: after.comment,
            },
          ],
    ),
  ]
}

/**
 * Extensions by name. An extension that moves to another namespace, or whose version differs where both sides state
 * one (declared schemas usually leave the version to the server), is an `alterExtension`.
 */
export function diffExtensions(from: Schema, to: Schema): readonly Change[] {
  const matched = matchByName(from.extensions, to.extensions, (e) => e.name)
  return [
    ...matched.dropped.map((extension): Change => ({ kind: 'dropExtension', extension })),
    ...matched.added.map((extension): Change => ({ kind: 'createExtension', extension })),
    ...matched.both.flatMap(([before, after]): Change[] => {
      const versionDiffers =
        before.version !== undefined && after.version !== undefined && before.version !== after.version
      return versionDiffers || before.schema !== after.schema
        ? [{ kind: 'alterExtension', from: before, to: after }]
        : []
    }),
  ]
}

/** Whether the column type is the enum, or an array (of arrays) of it. */
export function usesEnum(type: ColumnType, name: QualifiedName): boolean {
  if (type.kind === 'array') return usesEnum(type.element, name)
  return type.kind === 'enum' && sameName(type.enum, name)
}

/** Every column in `schema` whose type is the enum or an array of it, in table then column order. */
export function enumUsages(schema: Schema, name: QualifiedName): readonly EnumUsage[] {
  return schema.tables.flatMap((table) =>
    table.columns.filter((column) => usesEnum(column.type, name)).map((column) => ({ table: table.name, column })),
  )
}

/** Whether a column type is `domain` or an array of it (a domain is a `native` type named in full: `public.mood_d`). */
export function namesDomain(type: ColumnType, domain: QualifiedName): boolean {
  if (type.kind === 'array') return namesDomain(type.element, domain)
  if (type.kind !== 'native') return false
  const written = type.sql.replace(/"/g, '')
  return (
    written === `${domain.schema ?? 'public'}.${domain.name}` ||
    (domain.schema === undefined && written === domain.name)
  )
}

/** The domains of `schema` directly over the enum (`CREATE DOMAIN d AS mood`). */
export function domainsDirectlyOver(schema: Schema, name: QualifiedName): readonly Domain[] {
  return (schema.domains ?? []).filter((domain) => domain.type.kind === 'enum' && sameName(domain.type.enum, name))
}

/**
 * Every column in `schema` whose type is a domain directly over the enum (or an array of one): a recreation converts
 * them too (through text, around the domain made again), so what reads them is moved out of the way as for the enum's
 * own columns.
 */
export function domainUsages(schema: Schema, name: QualifiedName): readonly EnumUsage[] {
  const domains = domainsDirectlyOver(schema, name)
  if (domains.length === 0) return []
  return schema.tables.flatMap((table) =>
    table.columns
      .filter((column) => domains.some((domain) => namesDomain(column.type, domain.name)))
      .map((column) => ({ table: table.name, column })),
  )
}

/** Whether `to` keeps every value of `from` in the same relative order, so `ALTER TYPE ... ADD VALUE` suffices. */
export function onlyAddsValues(from: EnumType, to: EnumType): boolean {
  let next = 0
  for (const value of to.values) if (value === from.values[next]) next += 1
  return next === from.values.length
}

/** The enum changes, and the tables whose columns are converted when an enum has to be recreated. */
export interface EnumsDiff {
  readonly changes: readonly Change[]
  /**
   * Columns of an enum that loses or reorders values, and of the domains directly over it: the planner recreates the
   * type and converts them.
   */
  readonly tainted: Taint
  /** `nameKey`s of the enums that are recreated (they lose or reorder values). */
  readonly recreated: ReadonlySet<string>
}

/**
 * Enums by name. Differing values are one `alterEnum` listing every column of `from` that uses the enum (the planner
 * leaves out those the plan drops): the planner decides between ADD VALUE and recreating the type. A comment-only
 * difference is a `setComment`.
 */
export function diffEnums(from: Schema, to: Schema): EnumsDiff {
  const matched = matchByName(from.enums, to.enums, (e) => nameKey(e.name))
  const changes: Change[] = [
    ...matched.dropped.map((type): Change => ({ kind: 'dropEnum', enum: type })),
    ...matched.added.map((type): Change => ({ kind: 'createEnum', enum: type })),
  ]
  const tainted = new Map<string, ReadonlySet<string>>()
  const recreated = new Set<string>()
  for (const [before, after] of matched.both) {
    if (!deepEqual(before.values, after.values)) {
      // The columns as they are when the type changes: enums change before columns are altered (a default B
      // changes is set after), so the recreation must drop and restore the default `from` has.
      const usages = enumUsages(from, before.name)
      changes.push({ kind: 'alterEnum', from: before, to: after, usages })
      if (!onlyAddsValues(before, after)) {
        recreated.add(nameKey(after.name))
        // The columns of a domain over it are converted too (steps-enum.ts): their readers go and come back alike.
        for (const usage of [...usages, ...domainUsages(from, before.name)]) {
          const known = tainted.get(nameKey(usage.table)) ?? []
          tainted.set(nameKey(usage.table), new Set([...known, usage.column.name]))
        }
      }
    }
    if (before.comment !== after.comment) {
      const target = { kind: 'enum', name: after.name } as const
      changes.push({ kind: 'setComment', target, from: before.comment, to: after.comment })
    }
  }
  return { changes, tainted, recreated }
}

/** Sequences by name: differing options (owner included) are an `alterSequence`; comments a `setComment`. */
export function diffSequences(from: Schema, to: Schema): readonly Change[] {
  const matched = matchByName(from.sequences, to.sequences, (s) => nameKey(s.name))
  const changes: Change[] = [
    ...matched.dropped.map((sequence): Change => ({ kind: 'dropSequence', sequence })),
    ...matched.added.map((sequence): Change => ({ kind: 'createSequence', sequence })),
  ]
  for (const [before, after] of matched.both) {
    // Privileges are diffed with the other privileges (diff-security.ts).
    if (!deepEqual(omitKeys(before, 'comment', 'privileges'), omitKeys(after, 'comment', 'privileges'))) {
      changes.push({ kind: 'alterSequence', from: before, to: after })
    }
    if (before.comment !== after.comment) {
      const target = { kind: 'sequence', name: after.name } as const
      changes.push({ kind: 'setComment', target, from: before.comment, to: after.comment })
    }
  }
  return changes
}
