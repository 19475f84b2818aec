/**
 * The run-time half of naming the leaves' copies in the online forms of partitioned-add-index.ts and
 * partitioned-add-key.ts. The plan names each copy as the server would from the names the model holds
 * (chooseCopyName); a relation made after the plan under that name made the concurrent build fail with 42P07 after
 * the builds before it had committed. CREATE INDEX CONCURRENTLY runs in no DO block, so the name cannot be chosen
 * again at run time: this check, the first step, stops the run before anything is built, and says which relation
 * holds which name. A name held by an index of that very partition is a build of an earlier run of the plan: it
 * passes, and the run goes on from where it stopped.
 */
import type { QualifiedName } from '../../schema/model.js'
import { displayName } from '../../schema/name.js'
import { dollarQuote, quoteLiteral, quoteQualified } from './quote.js'

/** A copy the plan makes: the partition it is on and its name there. */
export interface PlannedCopy {
  readonly on: QualifiedName
  readonly name: string
}

/** The DO block that stops, nothing built yet, when a relation other than an index of `on` holds a copy's name. */
export function copyNamesFreeOrStop(copies: readonly PlannedCopy[], what: string): string {
  const texts = (values: readonly (string | undefined)[]) =>
    `ARRAY[${values.map((v) => (v === undefined ? 'NULL' : quoteLiteral(v))).join(', ')}]::text[]`
  // RAISE reads % as a placeholder: the three placeholders are the qualified name, the partition, the relation kind.
  const message = `%, which this migration gives the ${what.replaceAll('%', '%%')} of partition %, is held by another relation (%), one made after the migration was generated: rename or drop it (or generate the migration again), then run keel migrate again`
  return `DO ${dollarQuote(`
DECLARE
  partitions text[] := ${texts(copies.map((c) => quoteQualified(c.on)))};
  schemas text[] := ${texts(copies.map((c) => c.on.schema))};
  names text[] := ${texts(copies.map((c) => c.name))};
  shown text[] := ${texts(copies.map((c) => displayName(c.on)))};
  holder record;
BEGIN
  FOR i IN 1 .. array_length(names, 1) LOOP
    SELECT c.oid, c.relkind, n.nspname INTO holder FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = coalesce(schemas[i], current_schema()) AND c.relname = names[i];
    CONTINUE WHEN NOT FOUND;
    CONTINUE WHEN holder.relkind IN ('i', 'I')
      AND (SELECT indrelid FROM pg_index WHERE indexrelid = holder.oid) = to_regclass(partitions[i]);
    RAISE EXCEPTION ${quoteLiteral(message)}, quote_ident(holder.nspname) || '.' || quote_ident(names[i]), shown[i],
      CASE holder.relkind WHEN 'r' THEN 'a table' WHEN 'p' THEN 'a partitioned table' WHEN 'v' THEN 'a view'
        WHEN 'm' THEN 'a materialized view' WHEN 'S' THEN 'a sequence' WHEN 'f' THEN 'a foreign table'
        WHEN 'c' THEN 'a composite type' ELSE 'an index of another table' END;
  END LOOP;
END`)}`
}
