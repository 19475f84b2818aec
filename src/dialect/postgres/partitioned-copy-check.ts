/**
 * The run-time half of naming the leaves' copies in the online forms of partitioned-add-index.ts and
 * partitioned-add-key.ts. The plan names each copy as the server would from the names the model holds
 * (chooseCopyName); a relation made after the plan under that name made the concurrent build fail with 42P07 after
 * the builds before it had committed. CREATE INDEX CONCURRENTLY runs in no DO block, so the name cannot be chosen
 * again at run time: this check, the first step, stops the run before anything is built, and says which relation
 * holds which name. A name held by an index of that very partition that is attached to no other is a build of an
 * earlier run of the plan: it passes, and the run goes on from where it stopped.
 * It also stops at a foreign partition made since the plan (one the plan knew made it plan the direct form): no
 * index is built on a foreign table, and the partitioned table's index ON ONLY would stay invalid for good.
 */
import type { QualifiedName } from '../../schema/model.js'
import { displayName } from '../../schema/name.js'
import { dollarQuote, quoteLiteral, quoteQualified } from './quote.js'

/** A copy the plan makes: the partition it is on and its name there. */
export interface PlannedCopy {
  readonly on: QualifiedName
  readonly name: string
}

/** The start of the message of a foreign partition made since the plan, for RAISE (the placeholder: the partition). */
export function foreignPartitionMade(table: QualifiedName): string {
  return `partition % of the partitioned table ${displayName(table).replaceAll('%', '%%')} is a foreign table, one made after the migration was generated, on which no index is built: `
}

/**
 * The DO block that stops, nothing built yet, when partitioned `table` has a foreign partition (`direct`: what to do
 * instead, after why), or a relation other than an index of `on` holds a copy's name (`what`: the copy, for the message).
 */
export function beforeBuildsOrStop(
  table: QualifiedName,
  copies: readonly PlannedCopy[],
  what: string,
  direct: string,
): string {
  const texts = (values: readonly (string | undefined)[]) =>
    `ARRAY[${values.map((v) => (v === undefined ? 'NULL' : quoteLiteral(v))).join(', ')}]::text[]`
  // RAISE reads % as a placeholder: the three placeholders are the qualified name, the partition, the relation kind.
  const message = `%, which this migration gives the ${what.replaceAll('%', '%%')} of partition %, is held by another relation (%), one made after the migration was generated: rename or drop it (or generate the migration again), then run keel migrate again`
  const foreign = `${foreignPartitionMade(table)}${direct.replaceAll('%', '%%')}`
  return `DO ${dollarQuote(`
DECLARE
  partitions text[] := ${texts(copies.map((c) => quoteQualified(c.on)))};
  schemas text[] := ${texts(copies.map((c) => c.on.schema))};
  names text[] := ${texts(copies.map((c) => c.name))};
  shown text[] := ${texts(copies.map((c) => displayName(c.on)))};
  holder record;
  rel regclass;
BEGIN
  SELECT t.relid INTO rel FROM pg_partition_tree(${quoteLiteral(quoteQualified(table))}::regclass) t
    JOIN pg_class c ON c.oid = t.relid WHERE c.relkind = 'f' ORDER BY t.level, t.relid LIMIT 1;
  IF rel IS NOT NULL THEN
    RAISE EXCEPTION ${quoteLiteral(foreign)}, rel;
  END IF;
  FOR i IN 1 .. coalesce(array_length(names, 1), 0) LOOP
    SELECT c.oid, c.relkind, n.nspname INTO holder FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = coalesce(schemas[i], current_schema()) AND c.relname = names[i];
    CONTINUE WHEN NOT FOUND;
    -- An earlier run's build is not attached yet (the attaches come last, in one transaction); the copy of an index
    -- made since the plan is.
    CONTINUE WHEN holder.relkind IN ('i', 'I')
      AND (SELECT indrelid FROM pg_index WHERE indexrelid = holder.oid) = to_regclass(partitions[i])
      AND NOT EXISTS (SELECT FROM pg_inherits WHERE inhrelid = holder.oid);
    RAISE EXCEPTION ${quoteLiteral(message)}, quote_ident(holder.nspname) || '.' || quote_ident(names[i]), shown[i],
      CASE holder.relkind WHEN 'r' THEN 'a table' WHEN 'p' THEN 'a partitioned table' WHEN 'v' THEN 'a view'
        WHEN 'm' THEN 'a materialized view' WHEN 'S' THEN 'a sequence' WHEN 'f' THEN 'a foreign table'
        WHEN 'c' THEN 'a composite type'
        ELSE CASE WHEN (SELECT indrelid FROM pg_index WHERE indexrelid = holder.oid) = to_regclass(partitions[i])
          THEN 'the copy of another index' ELSE 'an index of another table' END END;
  END LOOP;
END`)}`
}
