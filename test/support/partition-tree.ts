/**
 * The partitioned tree the partition tests share: `m` by list (region), its partition `m_eu` partitioned again by
 * range (id) with one leaf `m_eu_1`, and the leaf `m_us`. Two leaves at two depths, so that a plan must go down the
 * tree (sub-partitioned trees bottom up) and not only over the parent's direct partitions.
 */
export function partitionTree({ euIdsBelow = 1000, note = false } = {}): string {
  return `
create table m (id int not null, region text not null, k int not null${note ? ', note text' : ''}) partition by list (region);
create table m_eu partition of m for values in ('eu') partition by range (id);
create table m_eu_1 partition of m_eu for values from (0) to (${euIdsBelow});
create table m_us partition of m for values in ('us');
`
}

/** `count` rows over both leaves: even ids in m_eu_1, odd ones in m_us, k = id (and note `n<id>` with `note`). */
export function partitionRows(count = 200, { note = false } = {}): string {
  const columns = note
    ? "g, case when g % 2 = 0 then 'eu' else 'us' end, g, 'n' || g"
    : "g, case when g % 2 = 0 then 'eu' else 'us' end, g"
  return `insert into m select ${columns} from generate_series(1, ${count}) g;`
}

/** The rows a plan must keep, per leaf's region. */
export const PARTITION_ROWS_BY_REGION = 'select region, count(*)::int as n from m group by region order by region'
