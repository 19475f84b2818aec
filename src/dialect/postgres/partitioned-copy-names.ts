/**
 * The names of a partition's copies of indexes and keys a plan makes, settled once they exist. The server numbers a
 * copy whose default name is held (ChooseRelationName: `_idx1`), so two new indexes over the same columns leave the
 * leaf one `<leaf>_k_idx` and one `<leaf>_k_idx1`, by the order the plan made them in, which need not be the goal's. A
 * plain `ALTER INDEX <default> RENAME` then met the other copy (42P07), or, under the direct policy, a relation made
 * after the plan under the default name (ALTER INDEX renames a table too). Here each copy is found by its root index
 * (pg_partition_root), whatever its name; copies that swap names go through a name of their own first.
 */
import type { NewCopy } from '../../diff/change.js'
import type { QualifiedName } from '../../schema/model.js'
import { displayName } from '../../schema/name.js'
import { dollarQuote, quoteLiteral, quoteQualified } from './quote.js'

/**
 * The DO block that renames each of `copies` on partition `table` to its name in the goal, or stops, nothing renamed,
 * when a copy is missing or a relation other than these copies holds one of the names.
 */
export function settleCopyNames(table: QualifiedName, copies: readonly Pick<NewCopy, 'root' | 'name'>[]): string {
  const texts = (values: readonly string[]) => `ARRAY[${values.map(quoteLiteral).join(', ')}]::text[]`
  const shown = displayName(table).replaceAll('%', '%%')
  const missing = `partition ${shown} has no index attached to %`
  const held = `%, which this migration gives the index of partition ${shown} attached to %, is held by another relation, one made after the migration was generated: rename or drop it (or generate the migration again), then run keel migrate again`
  return `DO ${dollarQuote(`
DECLARE
  part regclass := ${quoteLiteral(quoteQualified(table))}::regclass;
  roots text[] := ${texts(copies.map((c) => quoteQualified(c.root)))};
  names text[] := ${texts(copies.map((c) => c.name))};
  copies oid[] := '{}';
  copy oid;
  holder oid;
BEGIN
  FOR i IN 1 .. array_length(names, 1) LOOP
    SELECT x.indexrelid INTO copy FROM pg_index x
      WHERE x.indrelid = part AND pg_partition_root(x.indexrelid) = to_regclass(roots[i]);
    IF copy IS NULL THEN
      RAISE EXCEPTION ${quoteLiteral(missing)}, roots[i];
    END IF;
    copies := copies || copy;
  END LOOP;
  FOR i IN 1 .. array_length(names, 1) LOOP
    SELECT c.oid INTO holder FROM pg_class c
      WHERE c.relnamespace = (SELECT relnamespace FROM pg_class WHERE oid = part) AND c.relname = names[i];
    IF holder IS NOT NULL AND NOT holder = ANY (copies) THEN
      RAISE EXCEPTION ${quoteLiteral(held)}, names[i], roots[i];
    END IF;
  END LOOP;
  -- Two copies may swap names: each to be renamed takes one of its own first.
  FOR i IN 1 .. array_length(names, 1) LOOP
    IF (SELECT relname FROM pg_class WHERE oid = copies[i]) <> names[i] THEN
      EXECUTE format('ALTER INDEX %s RENAME TO %I', copies[i]::regclass, 'keel_copy_' || copies[i]);
    END IF;
  END LOOP;
  FOR i IN 1 .. array_length(names, 1) LOOP
    IF (SELECT relname FROM pg_class WHERE oid = copies[i]) <> names[i] THEN
      EXECUTE format('ALTER INDEX %s RENAME TO %I', copies[i]::regclass, names[i]);
    END IF;
  END LOOP;
END`)}`
}
