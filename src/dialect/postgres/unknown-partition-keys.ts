/**
 * A keyed retype's primary key or unique constraint on a partition the plan does not know (made after the migration was
 * generated, as time-partitioned tables make them). The swap adds the partitioned table's key over the columns, and the
 * server attaches each leaf's own constraint; a leaf without one it builds there, in the swap, under its ACCESS
 * EXCLUSIVE lock, over every row of that partition (partitioned-keys.ts builds the known leaves' indexes concurrently
 * before). So, in the swap, just before that statement: a leaf without the constraint takes a valid unique index over
 * the key columns built beforehand (ALTER TABLE ... ADD CONSTRAINT ... USING INDEX, catalog only), under the name the
 * server gives a copy (`<partition>_pkey`, `<partition>_<columns>_key`); with none, the swap stops, nothing of it
 * committed, and says which index to build concurrently before keel migrate runs again.
 * The name is chosen as ChooseRelationName does: while a relation or a constraint of the partition's schema holds it,
 * the label takes a number (`_pkey1`, `_pkey2`, ..., the names clipped again to fit 63 bytes). A name the swap gives
 * later (an index renamed back to its final name) is skipped too: taken here, that rename failed (42P07).
 */

import { chooseIndexColumnNames, nameAddition } from '../../schema/dsl/naming.js'
import type { QualifiedName } from '../../schema/model.js'
import { displayName } from '../../schema/name.js'
import { dollarQuote, quoteIdentList, quoteLiteral, quoteQualified } from './quote.js'

/** What a leaf's key is: `kind` as ADD CONSTRAINT writes it, over `columns` (final names; `temps` before the swap). */
export interface LeafKey {
  readonly kind: 'PRIMARY KEY' | 'UNIQUE' | 'UNIQUE NULLS NOT DISTINCT'
  readonly columns: readonly string[]
  readonly temps: ReadonlyMap<string, string>
}

/**
 * The DO block that gives each leaf partition of `table` the key's constraint from a prebuilt index, or stops. `later`
 * are the names of relations and constraints the plan gives after it (an unqualified one in the current schema).
 * `fresh`: leaves the plan creates, empty, where the key that follows may build its index (nothing to wait for).
 */
export function keysOfUnknownPartitions(
  table: QualifiedName,
  key: LeafKey,
  later: readonly QualifiedName[],
  fresh: readonly QualifiedName[] = [],
): string {
  const texts = (values: readonly (string | undefined)[]) =>
    `ARRAY[${values.map((v) => (v === undefined ? 'NULL' : quoteLiteral(v))).join(', ')}]::text[]`
  // Whether one of `names` (a pair of arrays) is `name` in the leaf's schema.
  const among = (names: string, name: string) =>
    `EXISTS (SELECT FROM unnest(${names}_schemas, ${names}_names) AS l(s, n)
          WHERE l.n = ${name} AND (SELECT oid FROM pg_namespace WHERE nspname = coalesce(l.s, current_schema())) = leaf_ns)`
  const primary = key.kind === 'PRIMARY KEY'
  // The server's name for a partition's copy: makeObjectName(partition, columns, label), the partition's name clipped.
  const addition = primary ? undefined : nameAddition(chooseIndexColumnNames(key.columns))
  const label = primary ? 'pkey' : 'key'
  const built = quoteIdentList(key.columns.map((c) => key.temps.get(c) ?? c))
  // A prebuilt index is taken only when its NULLS [NOT] DISTINCT is the key's: the partitioned table's constraint
  // attaches no other, and builds its own under the swap's lock. Read through to_jsonb: PostgreSQL before 15 has no
  // indnullsnotdistinct column (every index there is NULLS DISTINCT).
  // RAISE reads % as a placeholder, counted when the block compiles: one in a name (doubled here) stopped the block
  // with "too few parameters specified for RAISE" whether or not a partition lacked the key. The two are the leaf.
  const plain = (text: string) => text.replaceAll('%', '%%')
  const message = `partition % of the partitioned table ${plain(displayName(table))} has no unique index over (${plain(built)}), one this migration does not know (made after it was generated?): adding the key would build it here, under an ACCESS EXCLUSIVE lock. Build it first (CREATE UNIQUE INDEX CONCURRENTLY ON % (${plain(built)})${key.kind === 'UNIQUE NULLS NOT DISTINCT' ? ' NULLS NOT DISTINCT' : ''}), and run keel migrate again`
  return `DO ${dollarQuote(`
DECLARE
  leaf regclass;
  leaf_name text;
  leaf_ns oid;
  later_schemas text[] := ${texts(later.map((n) => n.schema))};
  later_names text[] := ${texts(later.map((n) => n.name))};
  fresh_schemas text[] := ${texts(fresh.map((n) => n.schema))};
  fresh_names text[] := ${texts(fresh.map((n) => n.name))};
  pass int;
  modlabel text;
  chosen text;
  keys int2[];
  prebuilt regclass;
  addition text := ${addition === undefined ? 'NULL' : quoteLiteral(addition)};
  n1 int;
  n2 int;
  part1 text;
  part2 text;
BEGIN
  FOR leaf, leaf_name, leaf_ns IN SELECT t.relid, c.relname, c.relnamespace FROM pg_partition_tree(${quoteLiteral(quoteQualified(table))}::regclass) t
      JOIN pg_class c ON c.oid = t.relid WHERE t.isleaf AND c.relkind = 'r' LOOP
    SELECT array_agg(a.attnum ORDER BY k.ord) INTO keys FROM unnest(ARRAY[${key.columns.map(quoteLiteral).join(', ')}]::text[])
      WITH ORDINALITY AS k(col, ord) JOIN pg_attribute a ON a.attrelid = leaf AND a.attname = k.col;
    CONTINUE WHEN ${among('fresh', 'leaf_name')};
    CONTINUE WHEN EXISTS (SELECT FROM pg_constraint WHERE conrelid = leaf AND contype = ${quoteLiteral(primary ? 'p' : 'u')} AND conkey = keys);
    SELECT i.indexrelid::regclass INTO prebuilt FROM pg_index i WHERE i.indrelid = leaf AND i.indisunique AND i.indisvalid
      AND i.indpred IS NULL AND i.indexprs IS NULL AND i.indnatts = cardinality(keys)
      AND string_to_array(i.indkey::text, ' ')::int2[] = keys
      AND NOT EXISTS (SELECT FROM pg_constraint WHERE conindid = i.indexrelid)
      AND coalesce((to_jsonb(i) ->> 'indnullsnotdistinct')::boolean, false) = ${key.kind === 'UNIQUE NULLS NOT DISTINCT'} LIMIT 1;
    IF prebuilt IS NULL THEN
      RAISE EXCEPTION ${quoteLiteral(message)}, leaf, leaf;
    END IF;
    pass := 0;
    LOOP
      modlabel := ${quoteLiteral(label)} || CASE WHEN pass = 0 THEN '' ELSE pass::text END;
      n1 := octet_length(leaf_name);
      n2 := coalesce(octet_length(addition), 0);
      WHILE n1 + n2 > 63 - CASE WHEN addition IS NULL THEN 0 ELSE 1 END - (octet_length(modlabel) + 1) LOOP
        IF n1 > n2 THEN n1 := n1 - 1; ELSE n2 := n2 - 1; END IF;
      END LOOP;
      part1 := leaf_name;
      WHILE octet_length(part1) > n1 LOOP part1 := left(part1, -1); END LOOP;
      part2 := addition;
      WHILE octet_length(part2) > n2 LOOP part2 := left(part2, -1); END LOOP;
      chosen := part1 || coalesce('_' || part2, '') || '_' || modlabel;
      EXIT WHEN NOT EXISTS (SELECT FROM pg_class WHERE relnamespace = leaf_ns AND relname = chosen)
        AND NOT EXISTS (SELECT FROM pg_constraint WHERE connamespace = leaf_ns AND conname = chosen)
        AND NOT ${among('later', 'chosen')};
      pass := pass + 1;
    END LOOP;
    EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I ${primary ? 'PRIMARY KEY' : 'UNIQUE'} USING INDEX %I', leaf,
      chosen, (SELECT relname FROM pg_class WHERE oid = prebuilt));
  END LOOP;
END`)}`
}
