import { describe, expect, it } from 'vitest'
import { col, nameOf, schemaOf, tableOf } from '../schema/build.js'
import type { Schema } from '../schema/model.js'
import type { RenameQuestion } from './change.js'
import { diff } from './diff.js'

const people = tableOf('public.people', [col('id', 'int8'), col('name', 'text')])
const persons = tableOf('public.persons', [col('name', 'text'), col('id', 'int8')])
const humans = tableOf('public.humans', [col('id', 'int8'), col('name', 'text')])

interface Case {
  readonly name: string
  readonly from: Schema
  readonly to: Schema
  readonly questions: readonly RenameQuestion[]
}

const cases: readonly Case[] = [
  {
    name: 'a dropped table beside an added look-alike (column order aside)',
    from: schemaOf({ tables: [people] }),
    to: schemaOf({ tables: [persons] }),
    questions: [{ kind: 'table', dropped: people.name, added: [persons.name] }],
  },
  {
    name: 'several candidates, in name order',
    from: schemaOf({ tables: [people] }),
    to: schemaOf({ tables: [persons, humans] }),
    questions: [{ kind: 'table', dropped: people.name, added: [humans.name, persons.name] }],
  },
  {
    name: 'no question across namespaces',
    from: schemaOf({ tables: [people] }),
    to: schemaOf({ tables: [{ ...persons, name: nameOf('app.persons') }] }),
    questions: [],
  },
  {
    name: 'no question when a column type differs',
    from: schemaOf({ tables: [people] }),
    to: schemaOf({ tables: [tableOf('public.persons', [col('id', 'int4'), col('name', 'text')])] }),
    questions: [],
  },
  {
    name: 'a dropped column beside added columns of the same type',
    from: schemaOf({ tables: [people] }),
    to: schemaOf({
      tables: [
        tableOf('public.people', [col('id', 'int8'), col('full_name', 'text'), col('nick', 'text'), col('n', 'int4')]),
      ],
    }),
    questions: [{ kind: 'column', table: people.name, dropped: 'name', added: ['full_name', 'nick'] }],
  },
  {
    name: 'no question for a column of another type',
    from: schemaOf({ tables: [people] }),
    to: schemaOf({ tables: [tableOf('public.people', [col('id', 'int8'), col('n', 'int4')])] }),
    questions: [],
  },
]

describe('rename questions', () => {
  it.each(cases)('$name', ({ from, to, questions }) => {
    expect(diff(from, to).questions).toEqual(questions)
  })

  it('still returns the drop and the add beside the question', () => {
    const result = diff(schemaOf({ tables: [people] }), schemaOf({ tables: [persons] }))
    expect(result.changes).toEqual([
      { kind: 'dropTable', table: people },
      { kind: 'createTable', table: persons },
    ])
  })

  it('an answer turns the question into a rename', () => {
    const from = schemaOf({ tables: [people] })
    const to = schemaOf({ tables: [tableOf('public.people', [col('id', 'int8'), col('full_name', 'text')])] })
    const [question] = diff(from, to).questions
    expect(question).toEqual({ kind: 'column', table: people.name, dropped: 'name', added: ['full_name'] })
    const answered = diff(from, to, [{ kind: 'column', table: people.name, from: 'name', to: 'full_name' }])
    expect(answered).toEqual({
      changes: [{ kind: 'renameColumn', table: people.name, from: 'name', to: 'full_name' }],
      questions: [],
    })
    const table = diff(schemaOf({ tables: [people] }), schemaOf({ tables: [persons] }), [
      { kind: 'table', from: people.name, to: persons.name },
    ])
    expect(table).toEqual({ changes: [{ kind: 'renameTable', from: people.name, to: persons.name }], questions: [] })
  })

  it('a hint asks nothing', () => {
    const hinted = { ...persons, renamedFrom: people.name }
    expect(diff(schemaOf({ tables: [people] }), schemaOf({ tables: [hinted] })).questions).toEqual([])
  })

  it('is deterministic: the same questions whatever the input order', () => {
    const from = schemaOf({ tables: [people, tableOf('public.a', [col('x', 'uuid')])] })
    const to = schemaOf({ tables: [humans, tableOf('public.b', [col('x', 'uuid')]), persons] })
    const reversed = { ...to, tables: [...to.tables].reverse() }
    const fromReversed = { ...from, tables: [...from.tables].reverse() }
    expect(diff(fromReversed, reversed)).toEqual(diff(from, to))
    expect(diff(from, to).questions.map((q) => q.dropped)).toEqual([nameOf('public.a'), people.name])
  })
})
