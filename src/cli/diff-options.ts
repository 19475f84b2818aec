import type { Dialect } from '../dialect/dialect.js'
import type { DiffOptions } from '../diff/diff.js'
import { enumsChangeValues } from '../diff/enum-dependents.js'
import type { Schema } from '../schema/model.js'

/**
 * What `diff(from, to)` needs of `dialect`: the dialect itself, and when an enum changes values, its reader of
 * expressions, which finds what names the enum only in a cast (diff/enum-dependents.ts). The reader's parser is
 * loaded here, and only then: it costs tens of milliseconds, and most diffs change no enum's values.
 */
export async function diffOptionsFor(dialect: Dialect, from: Schema, to: Schema): Promise<DiffOptions> {
  const phaseSql = dialect.phaseSql
  if (phaseSql === undefined || !enumsChangeValues(from, to)) return dialect
  await phaseSql.prepare()
  return { ...dialect, references: phaseSql.references }
}
