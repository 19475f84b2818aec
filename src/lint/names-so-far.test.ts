import { describe, expect, it } from 'vitest'
import { NamesSoFar } from './names-so-far.js'

describe('NamesSoFar', () => {
  it('gives each view the names added before it, and its base', () => {
    const created = new NamesSoFar(new Set(['base']))
    const empty = created.view()
    created.add('a')
    const withA = created.view()
    created.add('b')
    created.add('a')
    expect([empty.has('base'), empty.has('a'), empty.has('b')]).toEqual([true, false, false])
    expect([withA.has('base'), withA.has('a'), withA.has('b')]).toEqual([true, true, false])
    expect([created.has('a'), created.has('b'), created.has('c')]).toEqual([true, true, false])
  })

  it('layers on another view without copying it, and leaves it unchanged', () => {
    const run = new NamesSoFar()
    run.add('first')
    const file = new NamesSoFar(run.view())
    file.add('second')
    run.add('third')
    expect([file.has('first'), file.has('second'), file.has('third')]).toEqual([true, true, false])
    expect(run.view().has('second')).toBe(false)
  })
})
