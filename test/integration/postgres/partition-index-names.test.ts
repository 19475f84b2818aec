/**
 * A partition tree made from an empty database where a partition's own index takes the name PostgreSQL gives the
 * copy of its parent's index (the copy, made before it, got `<name>1`, pg_dump's ALTER INDEX ... ATTACH PARTITION
 * keeps it so). Creating the parent's index makes the copies on every partition under their default names, so the
 * partition's own index of that name can only be created once the copy is renamed: the plan created it first and
 * failed with 42P07 (relation already exists).
 */
import { describe, expect, it } from 'vitest'
import { getDialect } from '../../../src/dialect/registry.js'
import { diff } from '../../../src/diff/diff.js'
import { safePolicy } from '../../../src/plan/policy.js'
import { applyPlan } from '../../../src/source/apply-plan.js'
import { reuseDatabasesInFile, withReusedDatabase } from '../../support/ci-files-reused-databases.js'
import { convergesOnce } from '../../support/converges.js'
import { DIALECTS } from '../../support/databases.js'

const dialect = getDialect('postgres')

// Each case empties its databases for the next (a new PGlite is 0.7 s of CPU): ci-files-reused-databases.ts.
reuseDatabasesInFile()

// m_eu_1_k_idx (k, id) is m_eu_1's own index, made before m_k_idx: the copy of m_k_idx on m_eu_1 is m_eu_1_k_idx1.
// m_eu_id_idx is the sub-partitioned m_eu's own index, copied onto m_eu_1 under its default name.
const TREE = `
create table m (id int not null, region text not null, k int not null) partition by list (region);
create table m_eu partition of m for values in ('eu') partition by range (id);
create table m_eu_1 partition of m_eu for values from (0) to (100);
create index m_eu_1_k_idx on m_eu_1 (k, id);
create index m_eu_own on m_eu (k);
create index m_eu_id_idx on m_eu (id);
create index m_k_idx on m (k);
`

// The tree as it was before: the parent's index made first, every copy under its default name, m_eu's own index on id.
const BEFORE = `
create table m (id int not null, region text not null, k int not null) partition by list (region);
create table m_eu partition of m for values in ('eu') partition by range (id);
create table m_eu_1 partition of m_eu for values from (0) to (100);
create index m_k_idx on m (k);
create index m_eu_id_idx on m_eu (id);
`

// The tree without the parent's index: the plan makes it, and so the copies, and m_eu_1's own index of a copy's name.
const UNINDEXED = `
create table m (id int not null, region text not null, k int not null) partition by list (region);
create table m_eu partition of m for values in ('eu') partition by range (id);
create table m_eu_1 partition of m_eu for values from (0) to (100);
create index m_eu_id_idx on m_eu (id);
`

// A unique constraint added to the existing partitioned table m makes copies of its index too (m_eu_1's under the
// default name, m_eu_1_k_region_id_key, taken in the goal by m_eu_1's own index): the plan built it CONCURRENTLY and
// attached it USING INDEX, neither of which the server does on a partitioned table (0A000), and renamed the copy first,
// before it existed (42P01).
const UNIQUE_GOAL = `
create table m (id int not null, region text not null, k int not null) partition by list (region);
create table m_eu partition of m for values in ('eu') partition by range (id);
create table m_eu_1 partition of m_eu for values from (0) to (100);
create index m_eu_1_k_region_id_key on m_eu_1 (k);
alter table m add constraint m_k_region_id_key unique (k, region, id);
`

// m_eu_1's own unique constraint takes the default name of its copy of m_k_idx, which the plan makes: made first, it
// left the server to name the copy m_eu_1_k_idx1 itself, and the plan's rename of the copy to that name failed (42P07).
const KEY_OF_COPY_NAME = `
create table m (id int not null, region text not null, k int not null) partition by list (region);
create table m_eu partition of m for values in ('eu') partition by range (id);
create table m_eu_1 partition of m_eu for values from (0) to (100);
alter table m_eu_1 add constraint m_eu_1_k_idx unique (k, id);
create index m_k_idx on m (k);
`

// Index names are unique per schema, not per table: t's new index takes the default name of m_eu_1's copy of m_k_idx,
// which the plan makes (and then renames to m_eu_1_keys). Created before the copy is renamed, it left the server to
// name the copy m_eu_1_k_idx1, or the copy took the name first (42P07): createAfterCopiesRenamed held names per table.
const OTHER_TABLE_TAKES_COPY_NAME = `
create table m (id int not null, region text not null, k int not null) partition by list (region);
create table m_eu_1 partition of m for values in ('eu');
create table t (a int);
create index m_k_idx on m (k);
alter index m_eu_1_k_idx rename to m_eu_1_keys;
create index m_eu_1_k_idx on t (a);
`

// The copy m_eu_1_keys exists; the goal gives t that name and the copy its default one. It also indexes m anew, so the
// copies are renamed after the indexes are created (the new index makes copies of its own).
const EXCHANGED_START = `
create table m (id int not null, region text not null, k int not null) partition by list (region);
create table m_eu_1 partition of m for values in ('eu');
create table t (a int);
create index m_k_idx on m (k);
alter index m_eu_1_k_idx rename to m_eu_1_keys;
`
const EXCHANGED_GOAL = `
create table m (id int not null, region text not null, k int not null) partition by list (region);
create table m_eu_1 partition of m for values in ('eu');
create table t (a int);
create index m_k_idx on m (k);
create index m_id_idx on m (id);
create index m_eu_1_keys on t (a);
`

describe.each(DIALECTS)('partition index names from an empty database on %s', (name) => {
  it('creates a partition index that takes the default name of a copy once the copy is renamed', async () => {
    await convergesOnce(name, TREE)
  })

  // The copies exist before the plan (nothing above them gets a new index): renamed before the partition's own index
  // takes the name one of them has until then. The plan created the index first: 42P07, as from empty.
  it('renames existing copies before it creates a partition index that takes one of their names', async () => {
    await convergesOnce(name, TREE, [BEFORE])
  })

  it('adds a unique constraint to a partitioned table, then a partition index of its copy name after the rename', async () => {
    await convergesOnce(name, UNIQUE_GOAL, [UNINDEXED, 'drop index m_eu_id_idx'])
  })

  it('adds a primary key and a unique constraint to an existing partitioned table', async () => {
    await withReusedDatabase(name, async (original) => {
      await original.conn.exec(
        `${UNINDEXED}alter table m add primary key (id, region); alter table m add unique (k, region, id);`,
      )
      const target = await dialect.introspect(original.conn)
      await withReusedDatabase(name, async (copy) => {
        await copy.conn.exec(UNINDEXED)
        await copy.conn.exec("insert into m values (1, 'eu', 1), (2, 'eu', 2)")
        const plan = dialect.plan(diff(await dialect.introspect(copy.conn), target, [], dialect).changes, safePolicy)
        await applyPlan(copy.conn, plan)
        expect(diff(await dialect.introspect(copy.conn), target, [], dialect).changes).toEqual([])
      })
    })
  })

  it('creates a partition whose unique constraint takes the default name of a copy, the constraint after the rename', async () => {
    await convergesOnce(name, KEY_OF_COPY_NAME)
  })

  it('adds a partition key constraint that takes the name of a copy the plan makes once the copy is renamed', async () => {
    await convergesOnce(name, KEY_OF_COPY_NAME, [UNINDEXED, 'drop index m_eu_id_idx'])
  })

  it('creates a partition index that takes the name of a copy the plan makes once the copy is renamed', async () => {
    await convergesOnce(name, TREE, [UNINDEXED])
  })

  it("creates another table's index under the default name of a copy the plan makes once the copy is renamed", async () => {
    await convergesOnce(name, OTHER_TABLE_TAKES_COPY_NAME, [
      OTHER_TABLE_TAKES_COPY_NAME.replace(/^create index.*$|^alter index.*$/gm, ''),
    ])
  })

  it("creates another table's index under the name a partition's copy has until it is renamed", async () => {
    await convergesOnce(name, EXCHANGED_GOAL, [EXCHANGED_START])
  })
})
