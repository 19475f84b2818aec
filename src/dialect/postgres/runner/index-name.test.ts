import type { IndexStmt } from 'libpg-query'
import { describe, expect, test } from 'vitest'
import { parseSql } from '../parse-sql.js'
import { defaultIndexName } from './index-name.js'

// Every expected name below is what PostgreSQL 15.20 chose for the same statement without a name.

async function family(sql: string) {
  const [statement] = await parseSql(sql, 'test.sql')
  const node = statement?.node
  if (node === undefined || !('IndexStmt' in node)) throw new Error(`not a CREATE INDEX: ${sql}`)
  const names = defaultIndexName(node.IndexStmt as IndexStmt)
  if (names === undefined) throw new Error(`no default name for ${sql}`)
  return names
}

describe('defaultIndexName', () => {
  test.each([
    ['create index concurrently on things (a, lower(b))', 'things_a_lower_idx'],
    ['create unique index concurrently on things (a, lower(b))', 'things_a_lower_idx'],
    ['create index on things (a) include (c)', 'things_a_c_idx'],
    ['create index on things (a, a)', 'things_a_a1_idx'],
    ['create index on t2 (a) include (b, a)', 't2_a_b_a1_idx'],
    ['create index on things (lower(b), lower(b))', 'things_lower_lower1_idx'],
    ['create index on t2 ((a+b), (a-b), (a*b))', 't2_expr_expr1_expr2_idx'],
    ["create index on things ((d->>'k'))", 'things_expr_idx'],
    ["create index on things (((d->>'k')::int))", 'things_int4_idx'],
    ['create index on t2 ((a::text), ((a+1)::text), ((b::text)::varchar))', 't2_a_text_b_idx'],
    ['create index on things ((b))', 'things_b_idx'],
    ['create index on things ((b collate "C"))', 'things_b_idx'],
    ['create index on things (nullif(a, 1))', 'things_nullif_idx'],
    ['create index on things (coalesce(a, c))', 'things_coalesce_idx'],
    ['create index on things (greatest(a, c))', 'things_greatest_idx'],
    ['create index on things ((case when a > 0 then c else a end))', 'things_a_idx'],
    ['create index on things ((case when a > 0 then c else 1 end))', 'things_case_idx'],
    ["create index on things (trim(both ' ' from b))", 'things_btrim_idx'],
    ['create index on things ((array[a, c]))', 'things_array_idx'],
    ["create index on things ((extract(year from ts at time zone 'UTC')))", 'things_extract_idx'],
    ["create index on things ((ts at time zone 'UTC'))", 'things_timezone_idx'],
    ['create index on things using hash (b)', 'things_b_idx'],
    ['create index on things (a) where c > 0', 'things_a_idx'],
    ['create index on nm_probe.things (a)', 'things_a_idx'],
  ])('%s is named %s', async (sql, name) => {
    expect((await family(sql)).base).toBe(name)
  })

  test('a taken name gets a pass number, and a long name is shortened anew for each', async () => {
    const names = await family(
      'create index concurrently on a_table_name_that_is_rather_long_to_force_truncation_of_names (first_column_name, lower(second_column_name))',
    )
    expect([0, 1, 2].map(names.at)).toEqual([
      'a_table_name_that_is_rather_long_to_first_column_name_lower_idx',
      'a_table_name_that_is_rather_long_t_first_column_name_lower_idx1',
      'a_table_name_that_is_rather_long_t_first_column_name_lower_idx2',
    ])
  })

  test('shortening counts bytes and never splits a character', async () => {
    const names = await family(
      'create index on "Größe_der_Tabelle_mit_einem_ziemlich_langen_namen_xyz" ("Spalte", lower(b))',
    )
    expect([0, 1, 9, 10].map(names.at)).toEqual([
      'Größe_der_Tabelle_mit_einem_ziemlich_langen__Spalte_lower_idx',
      'Größe_der_Tabelle_mit_einem_ziemlich_langen_Spalte_lower_idx1',
      'Größe_der_Tabelle_mit_einem_ziemlich_langen_Spalte_lower_idx9',
      'Größe_der_Tabelle_mit_einem_ziemlich_lange_Spalte_lower_idx10',
    ])
  })

  test('passOf reads back the pass of a name of the family, and nothing else', async () => {
    const names = await family('create index concurrently on things (a, lower(b))')
    expect(names.passOf('things_a_lower_idx')).toBe(0)
    expect(names.passOf('things_a_lower_idx1')).toBe(1)
    expect(names.passOf('things_a_lower_idx12')).toBe(12)
    for (const other of ['things_a_lower_idx0', 'things_a_lower_idx01', 'things_a_idx', 'things_a_lower_key', 'x']) {
      expect(names.passOf(other)).toBeUndefined()
    }
    const long = await family(
      'create index on a_table_name_that_is_rather_long_to_force_truncation_of_names (first_column_name, lower(second_column_name))',
    )
    expect(long.passOf('a_table_name_that_is_rather_long_t_first_column_name_lower_idx2')).toBe(2)
    // The base name's shortening with a longer label is not a name PostgreSQL chooses.
    expect(long.passOf('a_table_name_that_is_rather_long_to_first_column_name_lower_idx2')).toBeUndefined()
  })
})
