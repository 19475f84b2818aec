import { deepEqual, omitKeys } from '../schema/equal.js'
import type { Change, CommentTarget } from './change.js'

/** The objects of two lists matched by key: only in `from`, only in `to`, and in both. Each list is sorted by key. */
export interface Matched<T> {
  readonly dropped: readonly T[]
  readonly added: readonly T[]
  readonly both: readonly (readonly [from: T, to: T])[]
}

/** Orders strings by code unit, the same on every machine and locale (unlike `localeCompare`). */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/**
 * Matches two lists of objects by a key (their name). Order in the input never matters: PostgreSQL
 * appends added columns, and catalogs list constraints in whatever order they like.
 */
export function matchByName<T>(from: readonly T[], to: readonly T[], key: (item: T) => string): Matched<T> {
  const toByKey = new Map(to.map((item) => [key(item), item] as const))
  const fromKeys = new Set(from.map(key))
  const byKey = (a: T, b: T): number => compareKeys(key(a), key(b))
  const dropped = from.filter((item) => !toByKey.has(key(item))).sort(byKey)
  const added = to.filter((item) => !fromKeys.has(key(item))).sort(byKey)
  const both = from
    .filter((item) => toByKey.has(key(item)))
    .sort(byKey)
    .map((item) => [item, toByKey.get(key(item)) as T] as const)
  return { dropped, added, both }
}

/** The changes between two lists of named, commentable objects (constraints, indexes), by kind of change. */
export interface NamedDiff {
  /** Drops, to run before the table's columns change. */
  readonly drops: readonly Change[]
  /** Adds, to run after the table's columns change. */
  readonly adds: readonly Change[]
  /** `setComment` for objects that differ in their comment only. */
  readonly comments: readonly Change[]
}

/** How `diffNamed` makes the changes of one kind of object. */
export interface NamedKind<T> {
  readonly drop: (item: T) => Change
  readonly add: (item: T) => Change
  readonly commentTarget: (item: T) => CommentTarget
  /**
   * Whether the object in `from` goes away by itself with the table's dropped columns (PostgreSQL drops indexes and
   * constraints over a dropped column). Such an object is dropped, and added again if `to` still has it.
   */
  readonly lost: (item: T) => boolean
}

/**
 * Diffs named objects that PostgreSQL cannot alter in place: any difference but the comment is a drop and an add
 * under the same name; a comment-only difference is a `setComment`.
 */
export function diffNamed<T extends { readonly name: string; readonly comment?: string }>(
  from: readonly T[],
  to: readonly T[],
  kind: NamedKind<T>,
): NamedDiff {
  const before = new Map(from.map((item) => [item.name, item] as const))
  const after = new Map(to.map((item) => [item.name, item] as const))
  const names = [...new Set([...before.keys(), ...after.keys()])].sort(compareKeys)
  const drops: Change[] = []
  const adds: Change[] = []
  const comments: Change[] = []
  for (const name of names) {
    const old = before.get(name)
    const next = after.get(name)
    const kept = old !== undefined && !kind.lost(old)
    if (kept && next !== undefined && deepEqual(...comparable(old, next))) continue
    if (kept && next !== undefined && deepEqual(...comparable(omitKeys(old, 'comment'), omitKeys(next, 'comment')))) {
      comments.push({ kind: 'setComment', target: kind.commentTarget(next), from: old.comment, to: next.comment })
      continue
    }
    if (old !== undefined) drops.push(kind.drop(old))
    if (next !== undefined) adds.push(kind.add(next))
  }
  return { drops, adds, comments }
}

/**
 * Two constraints as they are compared: SQLite's `declaredName` (the name a CREATE TABLE writes) only when both state
 * one, so that a source that names no constraint does not differ from a database that names it.
 */
export function comparable<T extends object>(a: T, b: T): [unknown, unknown] {
  const named = (x: object) => (x as { readonly declaredName?: string }).declaredName !== undefined
  if (named(a) && named(b)) return [a, b]
  const strip = (x: object) => omitKeys(x as { declaredName?: string }, 'declaredName')
  return [strip(a), strip(b)]
}
