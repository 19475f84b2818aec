/**
 * The parser step-ties-qualifiers.ts reads queries with, set for a describe block and put back after it: unit test
 * files share their worker's modules, so a file that loaded PostgreSQL's parser (which registers itself) would change
 * what the next one reads. A file whose cases depend on it says which it wants.
 */
import { afterAll, beforeAll } from 'vitest'
import { loadReferenceParser, parseLoaded } from '../../src/dialect/postgres/sql-references.js'
import { type QueryParser, readQueriesWith } from '../../src/migrate/step-ties-qualifiers.js'

/** Reads queries with PostgreSQL's parser (`true`) or with none (`false`, every name counts) in the enclosing block. */
export function withQueryParser(parsed: boolean): void {
  let before: QueryParser | undefined
  beforeAll(async () => {
    if (parsed) await loadReferenceParser()
    before = readQueriesWith(parsed ? parseLoaded : undefined)
  })
  afterAll(() => {
    readQueriesWith(before)
  })
}
