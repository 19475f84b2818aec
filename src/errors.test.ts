import { describe, expect, it } from 'vitest'
import { asKeelError, errorCodes, KeelError } from './errors.js'

describe('KeelError', () => {
  it('says its notes after its hint, and an empty hint does not start the text with a space', () => {
    const error = new KeelError('MIGRATION_FAILED', 'm1 failed')
    error.addNote('Also, keel.sum could not be updated.')
    expect(error.hint).toBe(`${errorCodes.MIGRATION_FAILED.hint} Also, keel.sum could not be updated.`)
    expect(error.notes).toEqual(['Also, keel.sum could not be updated.'])
    const bare = new KeelError('INTERNAL', 'boom', '')
    expect(bare.hint).toBe('')
    bare.addNote('Written before applying: migrations/x/.')
    expect(bare.hint).toBe('Written before applying: migrations/x/.')
  })

  it('keeps its hint and notes through JSON.stringify and a spread', () => {
    const error = new KeelError('MIGRATION_FAILED', 'm1 failed', 'Fix it.')
    error.addNote('A note.')
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'KeelError',
      code: 'MIGRATION_FAILED',
      message: 'm1 failed',
      hint: 'Fix it. A note.',
      notes: ['A note.'],
    })
    expect({ ...error }).toMatchObject({ code: 'MIGRATION_FAILED', hint: 'Fix it. A note.', notes: ['A note.'] })
    // What a spread took is what the error said then; the error itself goes on.
    const before = { ...error }
    error.addNote('Another.')
    expect(before.notes).toEqual(['A note.'])
    expect(error.hint).toBe('Fix it. A note. Another.')
  })

  it('exits 2 for the refusals of a schema change that can be planned only once the schema is changed otherwise', () => {
    // Nothing ran, and the way out is the user's input (the hint says how): bad input, as DOMAIN_IN_USE was from the
    // start. SPLIT_RUN and BACKFILL_NO_KEY (give the table a key first) exited 1 as if the command had run and failed.
    const refusals = ['DOMAIN_IN_USE', 'PARTITION_KEY_TYPE', 'SPLIT_RUN', 'BACKFILL_NO_KEY'] as const
    expect(refusals.map((code) => [code, errorCodes[code].exit])).toEqual(refusals.map((code) => [code, 2]))
  })

  it('wraps anything else thrown as error[INTERNAL], its cause kept, so that a note can be added', () => {
    const cause = new Error('EISDIR: illegal operation on a directory')
    const wrapped = asKeelError(cause)
    expect([wrapped.code, wrapped.message, wrapped.cause]).toEqual(['INTERNAL', cause.message, cause])
    expect(wrapped.hint).toBe(errorCodes.INTERNAL.hint)
    const own = new KeelError('USAGE', 'bad flag')
    expect(asKeelError(own)).toBe(own)
    expect(asKeelError('a string').message).toBe('a string')
  })
})
