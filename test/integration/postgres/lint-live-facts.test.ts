import { describe, expect, it } from 'vitest'
import type { Connection } from '../../../src/db/connection.js'
import { readPostgresLiveFacts } from '../../../src/dialect/postgres/live-facts.js'
import { DIALECTS, withDatabase } from '../../support/databases.js'
import { recording } from '../migrate/recording.js'

// The lint's live facts on PostgreSQL: read in one round trip where the driver takes several statements in one
// message (`keel migrate` reads them before its first migration), the same facts as read one query at a time.
const SCHEMA = [
  'create schema s',
  'create table events (id int not null, at date not null, note text, check (note is not null)) partition by range (at)',
  "create table events_old partition of events for values from (minvalue) to ('2026-01-01')",
  "create table s.events_2026 partition of events for values from ('2026-01-01') to ('2027-01-01') partition by list (id)",
  'create table s.events_2026_a partition of s.events_2026 for values in (1)',
  'create table s.events_2026_b partition of s.events_2026 for values in (2)',
  'create table s.empty (id int) partition by list (id)',
  'create view recent as select id, note from events',
]

/** The connection without queryBatch: the facts read one query at a time, as on a driver without it. */
function oneByOne(conn: Connection): Connection {
  const { queryBatch, ...rest } = conn
  return rest
}

describe.each(DIALECTS)('lint live facts on %s', (dialect) => {
  it('are read in one round trip where the driver batches, the same as one by one', async () => {
    await withDatabase(dialect, async (db) => {
      for (const sql of SCHEMA) await db.conn.exec(sql)
      const { conn, texts } = recording(db.conn)
      const facts = await readPostgresLiveFacts(conn)
      expect(texts).toHaveLength(db.conn.queryBatch === undefined ? 6 : 1)
      expect(await readPostgresLiveFacts(oneByOne(db.conn))).toEqual(facts)
      const sorted = new Map([...(facts.partitions ?? [])].map(([table, leaves]) => [table, [...leaves].sort()]))
      expect(sorted).toEqual(
        new Map([
          ['events', ['events_old', 's.events_2026_a', 's.events_2026_b']],
          ['s.events_2026', ['s.events_2026_a', 's.events_2026_b']],
        ]),
      )
      // The leaves pg_partition_tree lists, which the facts read through pg_inherits.
      const tree = await db.conn.query<{ key: string; leaf: string }>(
        `select c.oid::regclass::text as key, t.relid::regclass::text as leaf
           from pg_class c cross join lateral pg_partition_tree(c.oid) t
          where c.relkind = 'p' and t.isleaf`,
      )
      expect(tree.map((r) => [r.key, r.leaf]).sort()).toEqual(
        [...sorted].flatMap(([table, leaves]) => leaves.map((leaf) => [table, leaf])).sort(),
      )
      // The check is inherited by every partition.
      expect([...(facts.notNullChecked ?? [])].sort()).toEqual([
        'events.note',
        'events_old.note',
        's.events_2026.note',
        's.events_2026_a.note',
        's.events_2026_b.note',
      ])
      expect(facts.viewColumns?.get('events')).toEqual([
        { view: 'recent', column: 'id' },
        { view: 'recent', column: 'note' },
      ])
      expect(facts.columnTypes?.get('s.events_2026_a.at')).toBe('date')
      expect([...(facts.tables?.keys() ?? [])].sort()).toEqual([
        'events',
        'events_old',
        's.empty',
        's.events_2026',
        's.events_2026_a',
        's.events_2026_b',
      ])
      expect(facts.serverVersion).toBeGreaterThanOrEqual(120000)
    })
  })
})
