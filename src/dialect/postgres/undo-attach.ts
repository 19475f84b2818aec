/**
 * The undo of ATTACH PARTITION. ATTACH gives the table a copy of each of its new parent's indexes and keys (the plan
 * dropped the table's own ones first, and renames the copies to the goal's names); DETACH leaves those copies on the
 * table as its own indexes and constraints, which the table did not have before the plan: an index it did not have,
 * or one under the goal's name, or one holding the name of an own index the undo then builds again (42P07). An own
 * index the plan keeps may have been taken by ATTACH as a copy (it matched): that one stays.
 */
import type { PartitionOf, QualifiedName } from '../../schema/model.js'
import { dollarQuote, quoteLiteral, quoteQualified } from './quote.js'
import { renderDetachPartition } from './render-partitions.js'

/**
 * The DO block that detaches `table` from its parent and drops what the detach leaves of the copies attached to the
 * parent's indexes (a key's copy by its constraint), but those named in `keep`, all in one transaction.
 */
export function detachDroppingCopies(table: QualifiedName, partitionOf: PartitionOf, keep: readonly string[]): string {
  return `DO ${dollarQuote(`
DECLARE
  part regclass := ${quoteLiteral(quoteQualified(table))}::regclass;
  keep text[] := ARRAY[${keep.map(quoteLiteral).join(', ')}]::text[];
  copies oid[];
  copy oid;
  key name;
BEGIN
  -- Found before the detach, which ends their link to the parent's indexes.
  SELECT coalesce(array_agg(i.indexrelid), '{}') INTO copies FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
    WHERE i.indrelid = part AND EXISTS (SELECT FROM pg_inherits h WHERE h.inhrelid = i.indexrelid)
      AND NOT c.relname = ANY (keep);
  ${renderDetachPartition(table, partitionOf)};
  FOREACH copy IN ARRAY copies LOOP
    SELECT conname INTO key FROM pg_constraint WHERE conrelid = part AND conindid = copy AND contype IN ('p', 'u', 'x');
    IF key IS NOT NULL THEN
      EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', part, key);
    ELSE
      EXECUTE format('DROP INDEX %s', copy::regclass);
    END IF;
  END LOOP;
END`)}`
}
