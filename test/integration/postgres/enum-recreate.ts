/**
 * What the enum-recreate-*.test.ts files share: PostgreSQL's dialect, with the parser that reads an enum's casts loaded
 * before the file's tests (PhaseSql.prepare, as the commands load it), the diff options `keel diff` uses when an enum
 * changes values (the parser's references), and a schema with its enum's values replaced.
 */
import { beforeAll } from 'vitest'
import { sqlReferences } from '../../../src/dialect/postgres/sql-references.js'
import { getDialect } from '../../../src/dialect/registry.js'
import type { Schema } from '../../../src/schema/model.js'

export const dialect = getDialect('postgres')

/** Call at the top level of a test file: loads the parser once, before its tests. */
export function prepareParser(): void {
  beforeAll(() => dialect.phaseSql?.prepare())
}

export const options = { ...dialect, references: sqlReferences }

/** `schema` with `values` for its enum (each file's schema has one). */
export const withValues = (schema: Schema, values: string[]): Schema => ({
  ...schema,
  enums: schema.enums.map((e) => ({ ...e, values })),
})
