import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  chainStatementHashes,
  changedStatement,
  checksumMatches,
  committedStatementsProof,
  migrationChecksum,
  normaliseText,
  statementHash,
} from './checksum.js'

/** normaliseText by its definition, line by line, without the shortcut for text that needs no line pass. */
function normaliseByLines(text: string): string {
  const lines = text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.replace(/[ \t\f\v]+$/, ''))
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop()
  return lines.join('\n')
}

describe('checksums', () => {
  const files = [{ name: 'up.sql', text: 'create table t (id int);\n' }]

  it('ignore line endings, trailing whitespace, a BOM and trailing blank lines', () => {
    const variants = [
      '\uFEFFcreate table t (id int);  \r\n',
      'create table t (id int);\t\n\n\n',
      'create table t (id int);',
    ]
    for (const text of variants) expect(migrationChecksum([{ name: 'up.sql', text }])).toBe(migrationChecksum(files))
  })

  it('change with anything else, and with the file name', () => {
    const base = migrationChecksum(files)
    expect(migrationChecksum([{ name: 'up.sql', text: 'create table t (id  int);\n' }])).not.toBe(base)
    expect(migrationChecksum([{ name: 'up.sql', text: '  create table t (id int);\n' }])).not.toBe(base)
    expect(migrationChecksum([{ name: 'down.sql', text: 'create table t (id int);\n' }])).not.toBe(base)
    expect(migrationChecksum([...files, { name: 'down.sql', text: '' }])).not.toBe(base)
  })

  it('do not depend on the order files are listed in', () => {
    const down = { name: 'down.sql', text: 'drop table t;' }
    expect(migrationChecksum([down, ...files])).toBe(migrationChecksum([...files, down]))
  })

  it('carry their algorithm id and are verified with it', () => {
    const sum = migrationChecksum(files)
    expect(sum).toMatch(/^n1:[0-9a-f]{64}$/)
    expect(checksumMatches(sum, files)).toBe(true)
    expect(checksumMatches(sum, [{ name: 'up.sql', text: 'select 1' }])).toBe(false)
    expect(() => checksumMatches('n9:abc', files)).toThrow(/unknown checksum algorithm "n9"/)
  })

  it('hash statements by their normalised, trimmed text', () => {
    expect(statementHash('  select 1 \r\n')).toBe(statementHash('select 1'))
    expect(statementHash('select 2')).not.toBe(statementHash('select 1'))
  })

  it('normalise with the shortcut exactly as line by line', () => {
    const char = fc.constantFrom('a', ';', ' ', '\t', '\f', '\v', '\n', '\r', '\uFEFF', 'é', '😀')
    fc.assert(
      fc.property(fc.array(char, { maxLength: 40 }), (chars) => {
        const text = chars.join('')
        expect(normaliseText(text)).toBe(normaliseByLines(text))
      }),
      { numRuns: 2000 },
    )
  })

  it('verify with a checksum computed already, and without it', () => {
    const sum = migrationChecksum(files)
    expect(checksumMatches(sum, files, sum)).toBe(true)
    expect(checksumMatches(sum, files, migrationChecksum([{ name: 'up.sql', text: 'select 1' }]))).toBe(false)
  })

  it('normalise only what editors change', () => {
    expect(normaliseText('a \r\nb\t\r\n\r\n')).toBe('a\nb')
    expect(normaliseText('  a\n\n b')).toBe('  a\n\n b')
  })
})

describe("the journal's proof of committed statements", () => {
  const hashes = ['create table a (id int)', 'insert into a values (1)', 'insert into a values (2)'].map(statementHash)
  const chains = chainStatementHashes(hashes)

  it('is one chained hash of constant size, whatever the number of statements', () => {
    expect(committedStatementsProof(chains, 0)).toEqual([])
    expect(committedStatementsProof(chains, 2)).toEqual([chains[1]])
    expect(new Set(chains.map((c) => c.length)).size).toBe(1)
    expect(chains[2]).toMatch(/^chain:n1:[0-9a-f]{64}$/)
    // A prefix's chain does not depend on what follows.
    expect(chainStatementHashes(hashes.slice(0, 2))).toEqual(chains.slice(0, 2))
  })

  it('tells a changed, reordered or dropped committed statement from none', () => {
    const proof = committedStatementsProof(chains, 2)
    expect(changedStatement(proof, hashes.slice(0, 2))).toBeUndefined()
    expect(changedStatement(proof, [hashes[0] as string, statementHash('insert into a values (9)')])).toBe('some')
    expect(changedStatement(proof, [hashes[1] as string, hashes[0] as string])).toBe('some')
    expect(changedStatement(proof, hashes.slice(0, 1))).toBe('some')
  })

  it('still reads rows written before the chain, which list each hash, and names the statement', () => {
    expect(changedStatement(hashes.slice(0, 2), hashes.slice(0, 2))).toBeUndefined()
    expect(changedStatement(hashes.slice(0, 2), [hashes[0] as string, hashes[2] as string])).toBe(1)
    expect(changedStatement([], [])).toBeUndefined()
  })
})
