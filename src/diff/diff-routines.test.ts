import { describe, expect, it } from 'vitest'
import { check, col, domainOf, routineOf, schemaOf, tableOf, triggerOf, viewOf } from '../schema/build.js'
import type { Routine, Schema } from '../schema/model.js'
import { nameKey } from '../schema/name.js'
import { diff } from './diff.js'
import { diffDomains, diffRoutines, routineKey, routineNeedsRecreate, routinesBoundTo } from './diff-routines.js'

const fn = (body: string, returns = 'trigger') =>
  `CREATE OR REPLACE FUNCTION public.stamp()\n RETURNS ${returns}\n LANGUAGE plpgsql\nAS $function$${body}$function$`
const stamp = routineOf('public.stamp', fn('BEGIN RETURN NEW; END'), { returns: 'trigger' })
const items = tableOf('public.items', [col('id', 'int4'), col('qty', 'int4'), col('note', 'text')])
const itemsStamp = triggerOf(
  'public.items',
  'items_stamp',
  'public.stamp',
  'CREATE TRIGGER items_stamp BEFORE UPDATE OF qty ON public.items FOR EACH ROW EXECUTE FUNCTION stamp()',
  { columns: ['qty'] },
)
const base = schemaOf({ tables: [items], routines: [stamp], triggers: [itemsStamp] })

describe('routineNeedsRecreate', () => {
  const other = (overrides: Partial<Routine>): Routine => ({ ...stamp, definition: fn('x'), ...overrides })
  it.each([
    ['the body only', other({}), false],
    ['the result type', other({ returns: 'void' }), true],
    ['the parameters (names, modes, defaults)', other({ arguments: 'n integer DEFAULT 1' }), true],
    ['the kind', other({ kind: 'procedure' }), true],
  ])('when %s changes: %s', (_what, to, expected) => {
    expect(routineNeedsRecreate(stamp, to)).toBe(expected)
  })

  it('always recreates a changed aggregate, never an unchanged one', () => {
    const aggregate = routineOf(
      'public.agg',
      'CREATE OR REPLACE AGGREGATE public.agg(text) (SFUNC = f, STYPE = text)',
      {
        kind: 'aggregate',
      },
    )
    expect(routineNeedsRecreate(aggregate, { ...aggregate, definition: `${aggregate.definition} ` })).toBe(true)
    expect(routineNeedsRecreate(aggregate, aggregate)).toBe(false)
  })
})

describe('diffDomains and diffRoutines', () => {
  it('treat an absent list as empty', () => {
    expect(diff(schemaOf(), { ...schemaOf(), domains: [], routines: [], triggers: [] }).changes).toEqual([])
  })

  it('make a comment-only difference an alter', () => {
    const positive = domainOf('public.positive', 'int4', { checks: [check('positive_check', '(VALUE > 0)')] })
    const commented = { ...positive, comment: 'n > 0' }
    expect(diffDomains(schemaOf({ domains: [positive] }), schemaOf({ domains: [commented] }))).toEqual([
      { kind: 'alterDomain', from: positive, to: commented },
    ])
    const routine = { ...stamp, comment: 'stamps rows' }
    expect(diffRoutines(schemaOf({ routines: [stamp] }), schemaOf({ routines: [routine] }))).toEqual([
      { kind: 'alterRoutine', from: stamp, to: routine },
    ])
  })

  it('ignore dependsOn, which is derived from the definition', () => {
    const declared = { ...stamp, dependsOn: [] }
    const introspected = { ...stamp, dependsOn: [{ kind: 'relation' as const, name: items.name }] }
    expect(diffRoutines(schemaOf({ routines: [declared] }), schemaOf({ routines: [introspected] }))).toEqual([])
  })
})

describe('diffTriggers', () => {
  const withTrigger = (schema: Schema, edit: Partial<typeof itemsStamp>): Schema => ({
    ...schema,
    triggers: [{ ...itemsStamp, ...edit }],
  })

  it('drops and creates a trigger whose definition changes', () => {
    const definition = itemsStamp.definition.replace('UPDATE OF qty', 'INSERT')
    expect(diff(base, withTrigger(base, { definition, columns: [] })).changes).toEqual([
      { kind: 'dropTrigger', trigger: itemsStamp },
      { kind: 'createTrigger', trigger: { ...itemsStamp, definition, columns: [] } },
    ])
  })

  it('alters only the enabled state and the comment', () => {
    expect(diff(base, withTrigger(base, { enabled: 'A', comment: 'c' })).changes).toEqual([
      { kind: 'alterTrigger', from: itemsStamp, to: { ...itemsStamp, enabled: 'A', comment: 'c' } },
    ])
  })

  it('recreates an unchanged trigger when a column it names changes type', () => {
    const retyped = {
      ...base,
      tables: [{ ...items, columns: [col('id', 'int4'), col('qty', 'int8'), col('note', 'text')] }],
    }
    expect(diff(base, retyped).changes.map((c) => c.kind)).toEqual(['alterColumn', 'dropTrigger', 'createTrigger'])
    const other = {
      ...base,
      tables: [
        { ...items, columns: [col('id', 'int4'), col('qty', 'int4'), col('note', { kind: 'text', length: 20 })] },
      ],
    }
    expect(diff(base, other).changes.map((c) => c.kind)).toEqual(['alterColumn'])
  })

  it('recreates an unchanged trigger when its function must be dropped and created', () => {
    const changed = { ...base, routines: [{ ...stamp, returns: 'event_trigger', definition: fn('', 'event_trigger') }] }
    expect(diff(base, changed).changes.map((c) => c.kind)).toEqual(['alterRoutine', 'dropTrigger', 'createTrigger'])
    const bodyOnly = { ...base, routines: [{ ...stamp, definition: fn('BEGIN RETURN OLD; END') }] }
    expect(diff(base, bodyOnly).changes.map((c) => c.kind)).toEqual(['alterRoutine'])
  })

  it('matches triggers across a table rename and drops the old one under its old table name', () => {
    const people = { ...items, name: { schema: 'public', name: 'people' }, renamedFrom: items.name }
    const definition = itemsStamp.definition.replace('public.items', 'public.people')
    const renamed = schemaOf({
      tables: [people],
      routines: [stamp],
      triggers: [{ ...itemsStamp, table: people.name, definition }],
    })
    expect(diff(base, renamed).changes).toEqual([
      { kind: 'renameTable', from: items.name, to: people.name },
      { kind: 'dropTrigger', trigger: itemsStamp },
      { kind: 'createTrigger', trigger: { ...itemsStamp, table: people.name, definition } },
    ])
  })

  it('drops the triggers of a dropped table, and recreates those of a recreated view', () => {
    expect(diff(base, { ...base, tables: [], triggers: [] }).changes).toEqual([
      { kind: 'dropTable', table: items },
      { kind: 'dropTrigger', trigger: itemsStamp },
    ])
    const view = viewOf('public.v', 'SELECT id FROM items', ['public.items'])
    const onView = triggerOf(
      'public.v',
      'v_insert',
      'public.stamp',
      'CREATE TRIGGER v_insert INSTEAD OF INSERT ON public.v',
    )
    const from = { ...base, views: [view], triggers: [itemsStamp, onView] }
    const to = { ...from, views: [{ ...view, definition: 'SELECT id, qty FROM items' }] }
    expect(diff(from, to).changes.map((c) => c.kind)).toEqual([
      'dropView',
      'createView',
      'dropTrigger',
      'createTrigger',
    ])
  })
})

describe('routinesBoundTo', () => {
  // is_happy's SQL-standard body names the type; happy_count's calls is_happy; moodify (PL/pgSQL) is recorded as
  // depending on nothing. DROP FUNCTION refuses to leave a body that calls the dropped routine behind.
  const isHappy = routineOf('public.is_happy', 'RETURN ...', {
    identityArgs: 'm text',
    dependsOn: [{ kind: 'type', name: { schema: 'public', name: 'mood' } }],
  })
  const happyCount = routineOf('public.happy_count', 'BEGIN ATOMIC ... END', {
    dependsOn: [{ kind: 'routine', name: { schema: 'public', name: 'is_happy' }, identityArgs: 'm text' }],
  })
  const moodify = routineOf('public.moodify', 'declare v mood; ...', { identityArgs: 't text' })

  it('takes the routines bound to the type and, transitively, those whose body calls them', () => {
    const keys = routinesBoundTo([happyCount, moodify, isHappy], new Set([nameKey({ schema: 'public', name: 'mood' })]))
    expect([...keys].sort()).toEqual([
      routineKey(happyCount.name, happyCount.identityArgs),
      routineKey(isHappy.name, isHappy.identityArgs),
    ])
  })

  it('takes none when no type is recreated', () => {
    expect(routinesBoundTo([happyCount, moodify, isHappy], new Set()).size).toBe(0)
  })
})
