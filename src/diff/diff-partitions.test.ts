import { describe, expect, it } from 'vitest'
import { quoteIdent } from '../dialect/postgres/quote.js'
import { postgresTableHierarchy } from '../dialect/postgres/table-hierarchy.js'
import { invertStructureChange } from '../plan/invert-structure.js'
import { check, col, fk, pk, schemaOf, tableOf } from '../schema/build.js'
import type { PartitionOf, QualifiedName, Rule, Schema, Table } from '../schema/model.js'
import type { Change, Rename, TableStructureChange } from './change.js'
import { type DiffOptions, diff as diffSchemas } from './diff.js'
import { noTableHierarchy } from './table-hierarchy.js'

/** The differ as the PostgreSQL dialect runs it: partitions and INHERITS come from its table hierarchy. */
const diff = (from: Schema, to: Schema, renames: readonly Rename[] = [], options: DiffOptions = {}) =>
  diffSchemas(from, to, renames, { tableHierarchy: postgresTableHierarchy, ...options })

const parentName = { schema: 'public', name: 'measurement' }
const partName = { schema: 'public', name: 'm2006' }
const baseName = { schema: 'public', name: 'base' }
const childName = { schema: 'public', name: 'child' }

const ext = (postgres: NonNullable<NonNullable<Table['ext']>['postgres']>): Pick<Table, 'ext'> => ({
  ext: { postgres },
})
const bound = (from: string, to: string): PartitionOf => ({
  parent: parentName,
  bound: `FOR VALUES FROM ('${from}') TO ('${to}')`,
})

const measurement = (extra: boolean) =>
  tableOf(
    parentName,
    [
      col('city_id', 'int4', { nullable: false }),
      col('logdate', 'date', { nullable: false }),
      ...(extra ? [col('extra', 'text')] : []),
    ],
    ext({ partitionBy: 'RANGE (logdate)' }),
  )
const partition = (of: PartitionOf) => tableOf(partName, [], ext({ partitionOf: of }))
const kinds = (changes: readonly Change[]) => changes.map((c) => c.kind)

describe('partitions', () => {
  it('detaches and attaches a partition whose bound changes, and nothing else', () => {
    const from = schemaOf({ tables: [measurement(false), partition(bound('2006-01-01', '2007-01-01'))] })
    const to = schemaOf({ tables: [measurement(false), partition(bound('2005-01-01', '2007-01-01'))] })
    expect(diff(from, to).changes).toEqual([
      { kind: 'detachPartition', table: partName, partitionOf: bound('2006-01-01', '2007-01-01') },
      { kind: 'attachPartition', table: partName, partitionOf: bound('2005-01-01', '2007-01-01') },
    ])
  })

  it('gives a moving partition the column its parent gains while it is detached', () => {
    const from = schemaOf({ tables: [measurement(false), partition(bound('2006-01-01', '2007-01-01'))] })
    const to = schemaOf({ tables: [measurement(true), partition(bound('2005-01-01', '2007-01-01'))] })
    const changes = diff(from, to).changes
    // The planner runs the detach first and the attach after the columns (see plan/order.ts).
    expect(kinds(changes)).toEqual(['detachPartition', 'attachPartition', 'addColumn', 'addColumn'])
    expect(changes.filter((c) => c.kind === 'addColumn').map((c) => 'table' in c && c.table.name)).toEqual([
      'm2006',
      'measurement',
    ])
  })

  it('only detaches a partition that becomes a table with the same columns, and only attaches it back', () => {
    const standalone = tableOf(partName, measurement(false).columns)
    const from = schemaOf({ tables: [measurement(false), partition(bound('2006-01-01', '2007-01-01'))] })
    const to = schemaOf({ tables: [measurement(false), standalone] })
    expect(kinds(diff(from, to).changes)).toEqual(['detachPartition'])
    expect(kinds(diff(to, from).changes)).toEqual(['attachPartition'])
  })

  it('recreates a table whose partition key changes, with the foreign keys that reference it', () => {
    const plain = tableOf(parentName, measurement(false).columns, { primaryKey: pk('m_pkey', ['city_id', 'logdate']) })
    const keyed = { ...measurement(false), primaryKey: pk('m_pkey', ['city_id', 'logdate']) }
    const referencing = tableOf('public.readings', [col('city_id', 'int4'), col('logdate', 'date')], {
      foreignKeys: [fk('readings_fkey', ['city_id', 'logdate'], parentName, ['city_id', 'logdate'])],
    })
    const changes = diff(schemaOf({ tables: [plain, referencing] }), schemaOf({ tables: [keyed, referencing] })).changes
    expect(kinds(changes)).toEqual(['dropTable', 'createTable', 'dropForeignKey', 'addForeignKey'])
  })

  it('marks index and foreign key changes on a partitioned table', () => {
    const index = { name: 'm_city', parts: [{ column: 'city_id' }], unique: false, include: [] }
    const leaf = partition(bound('2006-01-01', '2007-01-01'))
    const from = schemaOf({ tables: [measurement(false), leaf] })
    const to = schemaOf({ tables: [{ ...measurement(false), indexes: [index] }, leaf] })
    // A created index carries the partitions, for its online form (partitioned-add-index.ts).
    const partitions = [{ table: leaf.name, parent: parentName, leaf: true }]
    expect(diff(from, to).changes).toEqual([
      { kind: 'createIndex', table: parentName, index, partitioned: true, partitions },
    ])
    // A dropped one too, from a tree the plan keeps: its undo takes the online form (invert.ts).
    expect(diff(to, from).changes).toEqual([
      { kind: 'dropIndex', table: parentName, index, partitioned: true, partitions },
    ])
  })

  it('leaves the partitioning facts out of alterTable, which is for table options', () => {
    const from = schemaOf({ tables: [measurement(false), partition(bound('2006-01-01', '2007-01-01'))] })
    const unlogged = { ...partition(bound('2006-01-01', '2007-01-01')) }
    expect(diff(from, schemaOf({ tables: [measurement(false), unlogged] })).changes).toEqual([])
  })

  it('reads the facts from the hierarchy it is given, and from no dialect of its own', () => {
    // Without the dialect's hierarchy every table stands alone: a new partition key is an option like any other.
    const from = schemaOf({ tables: [measurement(false)] })
    const to = schemaOf({ tables: [{ ...measurement(false), ...ext({ partitionBy: 'LIST (city_id)' }) }] })
    expect(kinds(diffSchemas(from, to).changes)).toEqual(['alterTable'])
    expect(kinds(diffSchemas(from, to, [], { tableHierarchy: noTableHierarchy }).changes)).toEqual(['alterTable'])
    expect(kinds(diff(from, to).changes)).toEqual(['dropTable', 'createTable'])
  })
})

describe('inheritance', () => {
  const base = tableOf(
    baseName,
    [col('id', 'int4', { nullable: false }), col('note', 'text', { default: "'x'::text" })],
    {
      checks: [check('id_pos', '(id > 0)')],
    },
  )
  const child = tableOf(childName, [col('extra', 'int4')], ext({ inherits: [baseName] }))
  const standalone = tableOf(childName, [
    col('id', 'int4', { nullable: false }),
    col('note', 'text', { default: "'x'::text" }),
    col('extra', 'int4'),
  ])

  it('stops inheriting in place: the inherited columns stay as the table own', () => {
    const to = schemaOf({ tables: [base, { ...standalone, checks: [check('id_pos', '(id > 0)')] }] })
    expect(diff(schemaOf({ tables: [base, child] }), to).changes).toEqual([
      { kind: 'dropInherit', table: childName, parent: baseName },
    ])
  })

  it('gives a table the parent columns and checks it lacks before it inherits', () => {
    const from = schemaOf({ tables: [base, tableOf(childName, [col('extra', 'int4')])] })
    const changes = diff(from, schemaOf({ tables: [base, child] })).changes
    expect(kinds(changes)).toEqual(['addInherit', 'addColumn', 'addColumn', 'addCheck'])
  })

  it('spells an inherited serial default with the quoter it is given, as PostgreSQL prints it (a keyword schema quoted)', () => {
    // PostgreSQL prints the child's default as nextval('"user".base_id_seq'::regclass): `user` is reserved.
    const userBase = tableOf({ schema: 'user', name: 'base' }, [col('id', 'int4', { nullable: false, serial: true })])
    const userChild = tableOf({ schema: 'user', name: 'child' }, [], ext({ inherits: [userBase.name] }))
    const detached = tableOf({ schema: 'user', name: 'child' }, [
      col('id', 'int4', { nullable: false, default: `nextval('"user".base_id_seq'::regclass)` }),
    ])
    const from = schemaOf({ tables: [userBase, userChild] })
    expect(
      diff(from, schemaOf({ tables: [userBase, detached] }), [], { quoteIdent, defaultNamespace: 'public' }).changes,
    ).toEqual([{ kind: 'dropInherit', table: userChild.name, parent: userBase.name }])
  })

  it('leaves and inherits again a parent that is recreated', () => {
    const partitioned = { ...base, ...ext({ partitionBy: 'LIST (id)' }) }
    const changes = diff(schemaOf({ tables: [base, child] }), schemaOf({ tables: [partitioned, child] })).changes
    expect(kinds(changes)).toEqual(['dropTable', 'createTable', 'dropInherit', 'addInherit'])
  })
})

describe('exclusion constraints and deferrable primary keys', () => {
  const circles = (extras: Partial<Table>) =>
    tableOf('public.circles', [col('c', { kind: 'native', sql: 'circle' })], extras)
  const excl = { name: 'circles_c_excl', definition: 'EXCLUDE USING gist (c WITH &&)' }

  it('adds, drops and re-adds exclusion constraints, and sets their comments', () => {
    const none = schemaOf({ tables: [circles({})] })
    const one = schemaOf({ tables: [circles({ exclusions: [excl] })] })
    const deferred = schemaOf({
      tables: [circles({ exclusions: [{ ...excl, deferrable: { initiallyDeferred: true } }] })],
    })
    const commented = schemaOf({ tables: [circles({ exclusions: [{ ...excl, comment: 'no overlap' }] })] })
    expect(diff(none, one).changes).toEqual([
      { kind: 'addExclusion', table: { schema: 'public', name: 'circles' }, exclusion: excl },
    ])
    expect(kinds(diff(one, none).changes)).toEqual(['dropExclusion'])
    expect(kinds(diff(one, deferred).changes)).toEqual(['dropExclusion', 'addExclusion'])
    expect(kinds(diff(one, commented).changes)).toEqual(['setComment'])
  })

  it('drops and adds a primary key that becomes deferrable', () => {
    const key = pk('c_pkey', ['c'])
    const from = schemaOf({ tables: [circles({ primaryKey: key })] })
    const to = schemaOf({ tables: [circles({ primaryKey: { ...key, deferrable: { initiallyDeferred: true } } })] })
    expect(kinds(diff(from, to).changes)).toEqual(['dropPrimaryKey', 'addPrimaryKey'])
  })
})

describe('rules', () => {
  const table = tableOf(baseName, [col('id', 'int4'), col('note', 'text')])
  const log = tableOf('public.log', [col('id', 'int4')])
  const rule = (definition: string, dependsOn: readonly QualifiedName[] = []): Rule => ({
    name: 'r',
    table: baseName,
    definition,
    dependsOn,
  })
  const withRules = (rules: readonly Rule[], tables: readonly Table[] = [table, log]): Schema =>
    schemaOf({ tables, rules })
  const nothing = 'CREATE RULE r AS ON DELETE TO base DO INSTEAD NOTHING'

  it('creates, drops, and replaces a rule whose definition changes', () => {
    expect(diff(withRules([]), withRules([rule(nothing)])).changes).toEqual([
      { kind: 'createRule', rule: rule(nothing) },
    ])
    expect(kinds(diff(withRules([rule(nothing)]), withRules([])).changes)).toEqual(['dropRule'])
    const other = rule('CREATE RULE r AS ON UPDATE TO base DO INSTEAD NOTHING')
    expect(kinds(diff(withRules([rule(nothing)]), withRules([other])).changes)).toEqual(['dropRule', 'createRule'])
  })

  it('recreates a rule over a table whose column is retyped, since PostgreSQL refuses to retype what it uses', () => {
    const logs = 'CREATE RULE r AS ON INSERT TO base DO ALSO INSERT INTO log (id) VALUES (new.id)'
    const retyped = tableOf('public.log', [col('id', 'int8')])
    const changes = diff(
      withRules([rule(logs, [log.name])]),
      withRules([rule(logs, [log.name])], [table, retyped]),
    ).changes
    expect(kinds(changes)).toEqual(['alterColumn', 'dropRule', 'createRule'])
  })

  it('inverts every structure change to its pair', () => {
    const change: TableStructureChange = { kind: 'createRule', rule: rule(nothing) }
    expect(invertStructureChange(invertStructureChange(change))).toEqual(change)
    expect(invertStructureChange(change).kind).toBe('dropRule')
  })
})
