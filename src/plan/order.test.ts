import { describe, expect, it } from 'vitest'
import { categoryIndex, orderUnits, stepCategories, topoSort } from './order.js'

describe('stepCategories', () => {
  it('lists each category once', () => {
    expect(new Set(stepCategories).size).toBe(stepCategories.length)
  })

  it.each([
    ['rename', 'dropView'],
    ['dropView', 'dropTable'],
    ['dropForeignKey', 'dropIndex'],
    ['dropIndex', 'dropColumn'],
    ['detachSequence', 'dropColumn'],
    ['dropGeneratedColumn', 'dropColumn'],
    ['dropTable', 'createIndex'],
    ['createNamespace', 'createTable'],
    ['createExtension', 'createTable'],
    ['createEnum', 'createTable'],
    ['createSequence', 'createTable'],
    ['createTable', 'addColumn'],
    ['addColumn', 'alterColumn'],
    ['alterColumn', 'addConstraint'],
    ['addConstraint', 'addForeignKey'],
    ['createIndex', 'addForeignKey'],
    ['addForeignKey', 'createView'],
    ['createTable', 'attachSequence'],
    ['createView', 'createViewIndex'],
    ['createViewIndex', 'comment'],
    ['alterColumn', 'dropEnum'],
    ['alterColumn', 'dropSequence'],
    ['dropExtension', 'dropNamespace'],
  ] as const)('runs %s before %s', (first, second) => {
    expect(categoryIndex(first)).toBeLessThan(categoryIndex(second))
  })
})

describe('orderUnits', () => {
  it('sorts by category, then rank, keeping input order among equals', () => {
    const units = [
      { category: 'createIndex', rank: 0, id: 'index' },
      { category: 'createTable', rank: 1, id: 'posts' },
      { category: 'createTable', rank: 0, id: 'users' },
      { category: 'comment', rank: 0, id: 'c1' },
      { category: 'createEnum', rank: 0, id: 'enum' },
      { category: 'comment', rank: 0, id: 'c2' },
    ] as const
    expect(orderUnits(units).map((u) => u.id)).toEqual(['enum', 'users', 'posts', 'index', 'c1', 'c2'])
  })
})

describe('topoSort', () => {
  const deps: Record<string, readonly string[]> = {
    comments: ['posts', 'users'],
    posts: ['users'],
    users: [],
    tags: ['tags', 'elsewhere'],
  }
  const sort = (items: readonly string[], graph = deps) =>
    topoSort(
      items,
      (x) => x,
      (x) => graph[x] ?? [],
    )

  it('puts dependencies first', () => {
    expect(sort(['comments', 'posts', 'users'])).toEqual(['users', 'posts', 'comments'])
  })

  it('keeps input order among independent items', () => {
    expect(sort(['users', 'tags'])).toEqual(['users', 'tags'])
    expect(sort(['tags', 'users'])).toEqual(['tags', 'users'])
  })

  it('ignores self-references and dependencies outside the set', () => {
    expect(sort(['tags'])).toEqual(['tags'])
  })

  it('breaks a cycle at the earliest item in input order', () => {
    const cycle = { a: ['b'], b: ['a'], c: ['a'] }
    expect(sort(['c', 'b', 'a'], cycle)).toEqual(['c', 'b', 'a'])
    expect(sort(['a', 'b'], cycle)).toEqual(['a', 'b'])
  })
  it('never breaks a cycle at an item whose hard dependencies are not placed', () => {
    // archive.p1 is a partition of public.p; public.p and public.x reference each other.
    const soft: Record<string, readonly string[]> = { 'public.p': ['public.x'], 'public.x': ['public.p'] }
    const hard: Record<string, readonly string[]> = { 'archive.p1': ['public.p'] }
    const order = topoSort(
      ['archive.p1', 'public.p', 'public.x'],
      (x) => x,
      (x) => soft[x] ?? [],
      (x) => hard[x] ?? [],
    )
    expect(order).toEqual(['public.p', 'archive.p1', 'public.x'])
  })
})
