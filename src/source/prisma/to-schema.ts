import { KeelError } from '../../errors.js'
import type {
  Column,
  EnumType,
  ForeignKey,
  Index,
  QualifiedName,
  ReferentialAction,
  Schema,
  Table,
} from '../../schema/model.js'
import { emptySchema } from '../../schema/model.js'
import { type PrismaNames, prismaNames } from './constraint-names.js'
import type {
  PrismaDatamodel,
  PrismaIndex,
  PrismaModel,
  PrismaReferentialAction,
  PrismaRelationField,
} from './datamodel.js'
import type { EnumNames, PrismaProvider } from './provider.js'
import type { FieldRef } from './psl-values.js'
import { isFunc } from './psl-values.js'

/**
 * The schema Prisma Migrate creates for a datamodel on one provider (what `prisma migrate diff
 * --from-empty --to-schema` prints): a table per model, enums, foreign keys with Prisma's default actions,
 * unique and plain indexes with Prisma's default names, and a `_AToB` join table per implicit
 * many-to-many relation. Views (`view` blocks) are left out, as Prisma Migrate leaves them out.
 */
export function prismaToSchema(datamodel: PrismaDatamodel, provider: PrismaProvider): Schema {
  const names = prismaNames(provider.maxIdentifierLength)
  const namespace = (schema: string | undefined) => schema ?? datamodel.schemas?.[0] ?? provider.defaultNamespace
  const qualify = (name: string, schema: string | undefined): QualifiedName => {
    const ns = namespace(schema)
    return ns === undefined ? { name } : { schema: ns, name }
  }
  const enumNames: EnumNames = new Map(
    datamodel.enums.map((e) => [
      e.name,
      { name: qualify(e.dbName, e.schema), values: new Map(e.values.map((v) => [v.name, v.dbName])) },
    ]),
  )
  const models = new Map(datamodel.models.map((m) => [m.name, m]))
  const context: Context = { datamodel, provider, names, enumNames, models, qualify }
  const tables = [...datamodel.models.map((model) => modelTable(model, context)), ...joinTables(context)]
  const enums: EnumType[] = (provider.enumTypes ? datamodel.enums : []).map((e) => ({
    name: qualify(e.dbName, e.schema),
    values: e.values.map((v) => v.dbName),
  }))
  const used = new Set(
    [...tables.map((t) => t.name.schema), ...enums.map((e) => e.name.schema)].filter(
      (s): s is string => s !== undefined && s !== provider.defaultNamespace,
    ),
  )
  return { ...emptySchema, namespaces: [...used].sort().map((name) => ({ name })), enums, tables }
}

interface Context {
  readonly datamodel: PrismaDatamodel
  readonly provider: PrismaProvider
  readonly names: PrismaNames
  readonly enumNames: EnumNames
  readonly models: ReadonlyMap<string, PrismaModel>
  readonly qualify: (name: string, schema: string | undefined) => QualifiedName
}

function modelTable(model: PrismaModel, context: Context): Table {
  const { provider, names } = context
  const table = model.dbName
  const column = columnNamer(model)
  const columns = model.fields.map((field): Column => {
    const type = provider.columnType(field, context.enumNames)
    const autoincrement = isFunc(field.default) && field.default.name === 'autoincrement'
    const fallback =
      field.default === undefined || autoincrement
        ? undefined
        : provider.defaultExpr(field, field.default, type, context.enumNames)
    const nullable = field.optional || (field.list && !provider.requiredListsNotNull)
    const split = fallback === undefined ? undefined : provider.onUpdate?.(fallback)
    return {
      name: field.dbName,
      type,
      nullable,
      ...(split === undefined
        ? fallback === undefined
          ? {}
          : { default: fallback }
        : { ...(split.default === undefined ? {} : { default: split.default }), onUpdate: split.onUpdate }),
      ...(autoincrement ? provider.autoincrement(type) : {}),
    }
  })
  const keyColumns = new Set((model.id?.fields ?? []).map((f) => column(f.name)))
  const uniqueIndexes = model.uniques.map((u) => indexOf(u, true, table, column, names))
  if (!provider.fulltextIndexes && model.indexes.some((i) => i.fulltext)) {
    // As Prisma's validation: "You defined a fulltext index, but the current connector does not support them".
    throw new KeelError('PRISMA_SCHEMA', `${model.file}: model ${model.name}: @@fulltext is for MySQL datasources only`)
  }
  const prefixed = [...model.uniques, ...model.indexes].flatMap((i) => i.fields).find((f) => f.length !== undefined)
  if (!provider.indexPrefixLengths && prefixed !== undefined) {
    throw new KeelError(
      'PRISMA_SCHEMA',
      `${model.file}: model ${model.name}: ${prefixed.name}(length: ${prefixed.length}) is for MySQL datasources only`,
    )
  }
  const plainIndexes = model.indexes.map((i) => indexOf(i, false, table, column, names))
  return {
    name: context.qualify(table, model.schema),
    // Primary key columns are NOT NULL whatever the field says.
    columns: columns.map((c) => (keyColumns.has(c.name) ? { ...c, nullable: false } : c)),
    ...(model.id === undefined
      ? {}
      : {
          primaryKey: {
            name: model.id.map ?? names.primaryKey(table),
            columns: model.id.fields.map((f) => column(f.name)),
          },
        }),
    uniques: [],
    indexes: [...uniqueIndexes, ...plainIndexes],
    foreignKeys: context.datamodel.emulatedRelations
      ? []
      : model.relations.filter((r) => r.fields.length > 0).map((r) => foreignKeyOf(model, r, context)),
    checks: [],
    ...(provider.tableExt === undefined ? {} : { ext: provider.tableExt }),
  }
}

function columnNamer(model: PrismaModel): (field: string) => string {
  const byName = new Map(model.fields.map((f) => [f.name, f.dbName]))
  return (field) => {
    const name = byName.get(field)
    if (name === undefined) {
      throw new KeelError('PRISMA_SCHEMA', `${model.file}: model ${model.name} has no scalar field ${field}`)
    }
    return name
  }
}

function indexOf(
  index: PrismaIndex,
  unique: boolean,
  table: string,
  column: (field: string) => string,
  names: PrismaNames,
): Index {
  const columns = index.fields.map((f) => column(f.name))
  const method = index.fulltext
    ? 'FULLTEXT'
    : index.type === undefined || index.type === 'BTree'
      ? undefined
      : index.type.toLowerCase()
  return {
    name: index.map ?? (unique ? names.unique(table, columns) : names.index(table, columns)),
    parts: index.fields.map((f: FieldRef) => ({
      column: column(f.name),
      ...(f.sort === 'Desc' ? { descending: true as const } : {}),
      ...(f.ops === undefined ? {} : { opclass: operatorClass(f.ops) }),
      ...(f.length === undefined ? {} : { length: f.length }),
    })),
    unique,
    ...(method === undefined ? {} : { method }),
    include: [],
  }
}

/** Prisma's operator class names (`JsonbPathOps`, `Int4MinMaxMultiOps`) in SQL (`jsonb_path_ops`, ...). */
function operatorClass(ops: string): string {
  if (/[a-z]_|^[a-z_0-9]+$/.test(ops)) return ops
  return ops
    .replace(/MinMax/g, 'Minmax')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
}

function foreignKeyOf(model: PrismaModel, relation: PrismaRelationField, context: Context): ForeignKey {
  const target = context.models.get(relation.model)
  if (target === undefined) throw new KeelError('PRISMA_SCHEMA', `${model.file}: unknown model ${relation.model}`)
  const column = columnNamer(model)
  const columns = relation.fields.map(column)
  const requiredKey = relation.fields.some((f) => model.fields.find((field) => field.name === f)?.optional === false)
  const defaults = context.provider.defaultActions(requiredKey)
  return {
    name: relation.map ?? context.names.foreignKey(model.dbName, columns),
    columns,
    references: {
      table: context.qualify(target.dbName, target.schema),
      columns: relation.references.map(columnNamer(target)),
    },
    onDelete: action(relation.onDelete ?? defaults.onDelete),
    onUpdate: action(relation.onUpdate ?? defaults.onUpdate),
  }
}

function action(action: PrismaReferentialAction): ReferentialAction {
  const actions: Record<PrismaReferentialAction, ReferentialAction> = {
    Cascade: 'CASCADE',
    Restrict: 'RESTRICT',
    NoAction: 'NO ACTION',
    SetNull: 'SET NULL',
    SetDefault: 'SET DEFAULT',
  }
  return actions[action]
}

/**
 * Implicit many-to-many relations (a list relation field on both sides, neither with `fields:`) become a
 * join table `_<RelationName>` (default name: both model names, sorted, joined by `To`) with columns `A`
 * (the key of the model whose name sorts first) and `B`, the primary key `_X_AB_pkey` (Prisma 6 on PostgreSQL;
 * elsewhere still the unique index `_X_AB_unique`), the index
 * `_X_B_index`, and foreign keys that cascade on delete and update.
 */
function joinTables(context: Context): Table[] {
  const seen = new Set<string>()
  const tables: Table[] = []
  for (const model of context.datamodel.models) {
    for (const relation of model.relations) {
      if (!relation.list || relation.fields.length > 0) continue
      const target = context.models.get(relation.model)
      const back = target?.relations.filter(
        (r) =>
          r !== relation &&
          r.model === model.name &&
          r.relationName === relation.relationName &&
          r.list &&
          r.fields.length === 0,
      )
      if (target === undefined || back === undefined || back.length === 0) continue
      const [first, second] = [model, target].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)) as [
        PrismaModel,
        PrismaModel,
      ]
      const name = `_${relation.relationName ?? `${first.name}To${second.name}`}`
      if (seen.has(name)) continue
      seen.add(name)
      tables.push(joinTable(name, first, second, context))
    }
  }
  return tables
}

function joinTable(name: string, a: PrismaModel, b: PrismaModel, context: Context): Table {
  const keyOf = (model: PrismaModel) => {
    const field =
      model.id?.fields.length === 1 ? model.fields.find((f) => f.name === model.id?.fields[0]?.name) : undefined
    if (field === undefined) {
      throw new KeelError(
        'PRISMA_SCHEMA',
        `${model.file}: model ${model.name} needs a single-field @id for its implicit many-to-many relation ${name}`,
      )
    }
    return field
  }
  const column = (columnName: 'A' | 'B', model: PrismaModel): Column => {
    const key = keyOf(model)
    return {
      name: columnName,
      type: context.provider.columnType({ ...key, list: false }, context.enumNames),
      nullable: false,
    }
  }
  const reference = (columnName: 'A' | 'B', model: PrismaModel): ForeignKey => ({
    name: `${name}_${columnName}_fkey`,
    columns: [columnName],
    references: { table: context.qualify(model.dbName, model.schema), columns: [keyOf(model).dbName] },
    onDelete: 'CASCADE',
    onUpdate: 'CASCADE',
  })
  return {
    name: context.qualify(name, a.schema),
    columns: [column('A', a), column('B', b)],
    ...(context.provider.joinTableKey === 'primaryKey'
      ? { primaryKey: { name: `${name}_AB_pkey`, columns: ['A', 'B'] } }
      : {}),
    uniques: [],
    indexes: [
      ...(context.provider.joinTableKey === 'unique'
        ? [{ name: `${name}_AB_unique`, parts: [{ column: 'A' }, { column: 'B' }], unique: true, include: [] }]
        : []),
      { name: `${name}_B_index`, parts: [{ column: 'B' }], unique: false, include: [] },
    ],
    foreignKeys: context.datamodel.emulatedRelations ? [] : [reference('A', a), reference('B', b)],
    checks: [],
    ...(context.provider.tableExt === undefined ? {} : { ext: context.provider.tableExt }),
  }
}
