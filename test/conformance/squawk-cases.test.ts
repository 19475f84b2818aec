/**
 * Issue 11: Keel's lint on squawk's own test cases (test/fixtures/squawk, from squawk's unit tests and their
 * snapshots), compared with squawk's verdicts. Each case is about one squawk rule; Keel's verdict is whether any of
 * the Keel rules that cover it (MAPPING, the table in docs/rules/README.md) fires. A disagreement that is not in
 * KEPT (with its reason) fails the test, and so does a kept one that went away, so the table stays true.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseSql } from '../../src/dialect/postgres/parse-sql.js'
import { KeelError } from '../../src/errors.js'
import { lintSource } from '../../src/lint/lint.js'
import { loadAllRules } from '../../src/lint/registry.js'

const DIR = join(import.meta.dirname, '../fixtures/squawk')

/** squawk rule → the Keel rules that cover it. */
const MAPPING: Readonly<Record<string, readonly string[]>> = {
  'adding-field-with-default': ['ban-volatile-default', 'ban-add-stored-generated-column'],
  'adding-foreign-key-constraint': ['require-not-valid-foreign-key'],
  'adding-not-nullable-field': ['ban-set-not-null'],
  'adding-required-field': ['require-default-for-not-null-column'],
  'adding-serial-primary-key-field': ['require-using-index-for-key'],
  'ban-alter-domain-with-add-constraint': ['ban-alter-domain-add-constraint'],
  'ban-char-field': ['ban-char-field'],
  'ban-concurrent-index-creation-in-transaction': ['ban-concurrent-in-transaction'],
  'ban-create-domain-with-constraint': ['ban-create-domain-with-constraint'],
  'ban-drop-column': ['ban-drop-column'],
  'ban-drop-database': ['ban-drop-database'],
  'ban-drop-not-null': ['ban-drop-not-null'],
  'ban-drop-table': ['ban-drop-table'],
  'ban-duplicate-column-assignments': ['ban-duplicate-column-assignment'],
  'ban-truncate-cascade': ['ban-truncate'],
  'ban-uncommitted-transaction': ['ban-uncommitted-transaction'],
  'changing-column-type': ['ban-alter-column-type'],
  'constraint-missing-not-valid': [
    'require-not-valid-check',
    'require-not-valid-foreign-key',
    'ban-validate-in-same-transaction',
  ],
  'disallowed-unique-constraint': ['require-using-index-for-key'],
  'identifier-too-long': ['ban-long-identifier'],
  'prefer-bigint-over-int': ['prefer-bigint-key'],
  'prefer-bigint-over-smallint': ['prefer-bigint-key'],
  'prefer-identity': ['prefer-identity'],
  'prefer-repack': ['ban-vacuum-full', 'ban-cluster'],
  'prefer-text-field': ['prefer-text-field'],
  'prefer-timestamptz': ['prefer-timestamptz'],
  'renaming-column': ['ban-rename-column'],
  'renaming-table': ['ban-rename-table'],
  'require-concurrent-index-creation': ['require-concurrent-index'],
  'require-concurrent-index-deletion': ['require-concurrent-drop-index'],
  'require-concurrent-partition-detach': ['require-concurrent-partition-detach'],
  'require-concurrent-reindex': ['require-concurrent-reindex'],
  'transaction-nesting': ['ban-nested-transaction'],
}

/** Cases where Keel and squawk disagree, by file: `deliberate` (and why) or a `gap` in a Keel rule, named. */
const KEPT: Readonly<Record<string, string>> = {
  'rules/adding_field_with_default/default_random_with_args_err.sql':
    'deliberate: now(123) is not volatile (now() is stable, and PostgreSQL rejects the argument); like squawk, Keel takes a function it does not know for volatile, but it knows now()',
  'rules/ban_char_field/all_the_types.sql':
    "deliberate: `int array[]` is refused by PostgreSQL's own parser (Keel lints with libpg_query and reports exit 2); squawk's parser accepts it",
  'rules/ban_duplicate_column_assignments/create_table_err.sql':
    'deliberate: PostgreSQL itself refuses a table with two columns of one name (42701), before anything is locked',
  'rules/ban_duplicate_column_assignments/create_view_err.sql':
    'deliberate: PostgreSQL itself refuses a view with two columns of one name (42701)',
  'rules/ban_duplicate_column_assignments/create_view_with_duplicate_inferred_names_err.sql':
    'deliberate: PostgreSQL itself refuses a view with two columns of one name (42701)',
  'rules/prefer_bigint_over_int/fix_int_types__1.sql':
    'deliberate: prefer-bigint-key flags keys (primary keys, identity and serial columns), where running out breaks inserts; squawk flags every int column',
  'rules/prefer_bigint_over_int/fix_int_types__2.sql':
    'deliberate: prefer-bigint-key flags keys only (see fix_int_types__1)',
  'rules/prefer_bigint_over_int/fix_int_types__3.sql':
    'deliberate: prefer-bigint-key flags keys only (see fix_int_types__1)',
  'rules/prefer_bigint_over_int/fix_array_types__1.sql': 'deliberate: an int[] column is no key',
  'rules/prefer_bigint_over_int/fix_array_types__2.sql': 'deliberate: an int[] column is no key',
  'rules/prefer_bigint_over_int/fix_array_types__3.sql': 'deliberate: an int[] column is no key',
  'rules/prefer_bigint_over_int/ok.sql':
    "deliberate: one Keel rule covers squawk's two; this file is ok for int but has smallserial keys, which prefer-bigint-key flags",
  'rules/prefer_bigint_over_smallint/fix_smallint_types__1.sql':
    'deliberate: prefer-bigint-key flags keys only (see prefer_bigint_over_int/fix_int_types__1)',
  'rules/prefer_bigint_over_smallint/fix_smallint_types__2.sql': 'deliberate: prefer-bigint-key flags keys only',
  'rules/prefer_bigint_over_smallint/fix_array_types__1.sql': 'deliberate: a smallint[] column is no key',
  'rules/prefer_bigint_over_smallint/fix_array_types__2.sql': 'deliberate: a smallint[] column is no key',
  'rules/prefer_bigint_over_smallint/ok.sql':
    "deliberate: one Keel rule covers squawk's two; this file is ok for smallint but has serial keys, which prefer-bigint-key flags",
  'rules/prefer_repack/vacuum_full_below_pg19_ok.sql':
    'deliberate: squawk only suggests REPACK where it exists (PostgreSQL 19); ban-vacuum-full flags the ACCESS EXCLUSIVE rewrite on every version and suggests pg_repack',
  'rules/prefer_text_field/increase_varchar_size_err.sql':
    'deliberate: widening varchar needs no rewrite and only a brief lock; prefer-text-field flags new varchar(n) columns, ban-alter-column-type flags the retypes that rewrite',
}

interface Case {
  readonly file: string
  readonly rule: string
  readonly expect: 'violation' | 'fix' | 'ok'
  readonly pgVersion: number | undefined
  readonly assumeInTransaction: boolean
}

const cases: readonly Case[] = readFileSync(join(DIR, 'cases.tsv'), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => {
    const [file = '', rule = '', verdict = '', pg = '', assume = ''] = line.split('\t')
    return {
      file,
      rule,
      expect: verdict as Case['expect'],
      pgVersion: pg === '' ? undefined : Number(pg),
      assumeInTransaction: assume === 'true',
    }
  })

/** Whether a Keel rule that covers the case's squawk rule fires; `unparsable` when PostgreSQL's parser refuses it. */
async function keelFires(c: Case): Promise<boolean | 'unparsable'> {
  const text = readFileSync(join(DIR, c.file), 'utf8')
  const statements = await parseSql(text, c.file).catch((error: unknown) => {
    if (error instanceof KeelError && error.code === 'SQL_SYNTAX') return undefined
    throw error
  })
  if (statements === undefined) return 'unparsable'
  const findings = await lintSource(
    { file: c.file, text, statements },
    {
      assumeInTransaction: c.assumeInTransaction,
      ...(c.pgVersion === undefined ? {} : { live: { serverVersion: c.pgVersion * 10_000 } }),
    },
  )
  const keel = MAPPING[c.rule] ?? []
  return findings.some((f) => keel.includes(f.rule))
}

describe("Keel's lint on squawk's test cases", () => {
  it('agrees with squawk except where KEPT says why', async () => {
    const tally = { caught: 0, missed: 0, extra: 0, agreedOk: 0 }
    const disagreements: Record<string, string> = {}
    const ids = new Set((await loadAllRules()).map((r) => r.id))
    for (const keel of Object.values(MAPPING).flat()) expect(ids.has(keel), keel).toBe(true)
    for (const c of cases) {
      expect(MAPPING[c.rule], c.rule).toBeDefined()
      const fires = await keelFires(c)
      const squawkFires = c.expect !== 'ok'
      if (fires === 'unparsable') disagreements[c.file] = 'unparsable'
      else if (fires && squawkFires) tally.caught++
      else if (!fires && !squawkFires) tally.agreedOk++
      else if (squawkFires) {
        tally.missed++
        disagreements[c.file] = 'missed'
      } else {
        tally.extra++
        disagreements[c.file] = 'extra'
      }
    }
    // The README's table (docs/rules/README.md): 152 cases, 96 caught, 37 agreed clean, 15 missed, 3 extra, 1 unparsable.
    expect({ cases: cases.length, ...tally }).toEqual({ cases: 152, caught: 96, agreedOk: 37, missed: 15, extra: 3 })
    expect(Object.keys(disagreements).sort()).toEqual(Object.keys(KEPT).sort())
  })
})
