import { describe, expect, it } from 'vitest'
import { declaredName, readConstraintNames } from './constraint-names.js'
import { parenthesized, splitTopLevel } from './sql-text.js'

const elementsOf = (create: string) => splitTopLevel(parenthesized(create)?.inner ?? '')

describe('readConstraintNames', () => {
  it('reads every quoting of a name, on table constraints and in column definitions; CHECKs and unnamed ones are not its', () => {
    const names = readConstraintNames(
      elementsOf(`CREATE TABLE t (
        id INTEGER CONSTRAINT "pk ""t""" PRIMARY KEY,
        code TEXT CONSTRAINT [uq code] UNIQUE CONSTRAINT code_check CHECK (code <> ''),
        p INTEGER CONSTRAINT \`fk_p\` REFERENCES parent (id),
        q INTEGER REFERENCES parent (id),
        a TEXT, b TEXT,
        CONSTRAINT uq_ab UNIQUE ("a" COLLATE NOCASE, b DESC),
        CONSTRAINT fk_ab FOREIGN KEY (a, b) REFERENCES other (x, y),
        CONSTRAINT t_check CHECK (a <> b),
        UNIQUE (b)
      )`),
    )
    expect(names).toEqual([
      { kind: 'primary key', columns: ['id'], name: 'pk "t"' },
      { kind: 'unique', columns: ['code'], name: 'uq code' },
      { kind: 'foreign key', columns: ['p'], name: 'fk_p' },
      { kind: 'unique', columns: ['a', 'b'], name: 'uq_ab' },
      { kind: 'foreign key', columns: ['a', 'b'], name: 'fk_ab' },
    ])
    expect(declaredName(names, 'unique', ['a', 'b'])).toBe('uq_ab')
    expect(declaredName(names, 'unique', ['b'])).toBeUndefined()
    expect(declaredName(names, 'foreign key', ['q'])).toBeUndefined()
  })
})
