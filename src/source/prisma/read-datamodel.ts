import type { Block, BlockAttribute, Enum, Field, Model, Value } from '@mrleebo/prisma-ast'
import { KeelError } from '../../errors.js'
import {
  PRISMA_SCALARS,
  type PrismaDatamodel,
  type PrismaEnum,
  type PrismaFieldType,
  type PrismaIndex,
  type PrismaKey,
  type PrismaModel,
  type PrismaReferentialAction,
  type PrismaRelationField,
  type PrismaScalar,
  type PrismaScalarField,
} from './datamodel.js'
import {
  argument,
  fieldAttribute,
  fieldRefs,
  identifierValue,
  isFunc,
  listValues,
  positional,
  stringValue,
} from './psl-values.js'

/** One parsed `.prisma` file: its path (for messages) and its blocks. */
export interface ParsedPrismaFile {
  readonly path: string
  readonly blocks: readonly Block[]
}

/**
 * Reads the datamodel out of the parsed files of one Prisma schema (a file, or every file of a multi-file
 * `prisma/schema/` folder, which Prisma treats as one schema). Checks what Prisma's validator would refuse
 * where Keel depends on it (a relation to a model that does not exist, two datasources); it is not a full
 * validator: `prisma validate` is.
 */
export function readDatamodel(files: readonly ParsedPrismaFile[]): PrismaDatamodel {
  const blocks = files.flatMap((file) => file.blocks.map((block) => ({ file: file.path, block })))
  const datasources = blocks.flatMap(({ file, block }) => (block.type === 'datasource' ? [{ file, block }] : []))
  if (datasources.length !== 1) {
    throw new KeelError(
      'PRISMA_SCHEMA',
      datasources.length === 0
        ? `${files.map((f) => f.path).join(', ')}: no datasource block`
        : `${datasources.map((d) => d.file).join(', ')}: more than one datasource block`,
      'A Prisma schema has exactly one `datasource db { provider = "postgresql" }` block.',
    )
  }
  const datasource = (datasources[0] as { block: Extract<Block, { type: 'datasource' }> }).block
  const setting = (key: string): Value | undefined =>
    datasource.assignments.find((a) => a.type === 'assignment' && a.key === key)?.type === 'assignment'
      ? (datasource.assignments.find((a) => a.type === 'assignment' && a.key === key) as { value: Value }).value
      : undefined
  const provider = stringValue(setting('provider'))
  if (provider === undefined) {
    throw new KeelError('PRISMA_SCHEMA', `${datasources[0]?.file}: the datasource has no provider`)
  }
  const enumNames = new Set(blocks.flatMap(({ block }) => (block.type === 'enum' ? [block.name] : [])))
  const modelNames = new Set(blocks.flatMap(({ block }) => (block.type === 'model' ? [block.name] : [])))
  const relationMode = stringValue(setting('relationMode')) ?? stringValue(setting('referentialIntegrity'))
  const schemas = listValues(setting('schemas'))?.flatMap((v) => stringValue(v) ?? [])
  const url = readUrl(setting('url'))
  return {
    provider,
    ...(url === undefined ? {} : { url }),
    emulatedRelations: relationMode === 'prisma',
    ...(schemas === undefined ? {} : { schemas }),
    enums: blocks.flatMap(({ block }) => (block.type === 'enum' ? [readEnum(block)] : [])),
    models: blocks.flatMap(({ file, block }) =>
      block.type === 'model' ? [readModel(block, file, { enumNames, modelNames })] : [],
    ),
  }
}

function readUrl(value: Value | undefined): PrismaDatamodel['url'] {
  if (isFunc(value) && value.name === 'env') {
    const name = stringValue(value.params?.[0])
    return name === undefined ? undefined : { env: name }
  }
  const literal = stringValue(value)
  return literal === undefined ? undefined : { value: literal }
}

function readEnum(block: Enum): PrismaEnum {
  const attributes = block.enumerators.filter((e): e is BlockAttribute => e.type === 'attribute')
  const schema = blockString(attributes, 'schema')
  return {
    name: block.name,
    dbName: blockString(attributes, 'map') ?? block.name,
    ...(schema === undefined ? {} : { schema }),
    values: block.enumerators.flatMap((e) => {
      if (e.type !== 'enumerator') return []
      const map = e.attributes?.find((a) => a.name === 'map')
      return [{ name: e.name, dbName: (map && stringValue(positional(map))) ?? e.name }]
    }),
  }
}

interface Names {
  readonly enumNames: ReadonlySet<string>
  readonly modelNames: ReadonlySet<string>
}

function readModel(block: Model, file: string, names: Names): PrismaModel {
  const attributes = block.properties.filter((p): p is BlockAttribute => p.type === 'attribute')
  const fields = block.properties.filter((p): p is Field => p.type === 'field')
  const where = `${file}: model ${block.name}`
  const scalars: PrismaScalarField[] = []
  const relations: PrismaRelationField[] = []
  for (const field of fields) {
    if (typeof field.fieldType === 'string' && names.modelNames.has(field.fieldType)) {
      relations.push(readRelation(field, field.fieldType))
    } else {
      scalars.push(readScalar(field, fieldType(field, names, where)))
    }
  }
  const columnOf = new Map(scalars.map((f) => [f.name, f.dbName]))
  const id = readId(fields, attributes)
  const schema = blockString(attributes, 'schema')
  const model: PrismaModel = {
    name: block.name,
    dbName: blockString(attributes, 'map') ?? block.name,
    ...(schema === undefined ? {} : { schema }),
    fields: scalars,
    relations,
    ...(id === undefined ? {} : { id }),
    uniques: [
      ...fields.flatMap((f) => {
        const unique = fieldAttribute(f, 'unique')
        return unique ? [indexOf(unique, [{ name: f.name }], false)] : []
      }),
      ...attributes.filter((a) => a.name === 'unique').map((a) => indexOf(a, fieldRefs(positional(a)), true)),
    ],
    indexes: [
      ...attributes.filter((a) => a.name === 'index').map((a) => indexOf(a, fieldRefs(argument(a, 'fields', 0)), true)),
      ...attributes
        .filter((a) => a.name === 'fulltext')
        .map((a) => ({ ...indexOf(a, fieldRefs(argument(a, 'fields', 0)), true), fulltext: true as const })),
    ],
    file,
  }
  for (const ref of [
    ...(model.id?.fields ?? []),
    ...model.uniques.flatMap((u) => u.fields),
    ...model.indexes.flatMap((i) => i.fields),
  ]) {
    if (!columnOf.has(ref.name)) {
      throw new KeelError(
        'PRISMA_SCHEMA',
        `${where}: a key or index names ${ref.name}, which is not a scalar field of the model`,
      )
    }
  }
  return model
}

function fieldType(field: Field, names: Names, where: string): PrismaFieldType {
  const type = field.fieldType
  if (typeof type !== 'string') {
    if (type.name === 'Unsupported') {
      const sql = stringValue(type.params?.[0])
      if (sql !== undefined) return { kind: 'unsupported', sql }
    }
    throw new KeelError('PRISMA_SCHEMA', `${where}, field ${field.name}: unknown type ${type.name}(...)`)
  }
  if ((PRISMA_SCALARS as readonly string[]).includes(type)) return { kind: 'scalar', name: type as PrismaScalar }
  if (names.enumNames.has(type)) return { kind: 'enum', name: type }
  throw new KeelError(
    'PRISMA_SCHEMA',
    `${where}, field ${field.name}: type ${type} is neither a scalar, an enum nor a model of the schema`,
    'Composite `type` blocks are MongoDB-only; on a relational database use a model and a relation.',
  )
}

function readScalar(field: Field, type: PrismaFieldType): PrismaScalarField {
  const map = fieldAttribute(field, 'map')
  const native = field.attributes?.find((a) => a.group === 'db')
  const attribute = fieldAttribute(field, 'default')
  const fallback = attribute && positional(attribute)
  return {
    name: field.name,
    dbName: (map && stringValue(positional(map))) ?? field.name,
    type,
    list: field.array === true,
    optional: field.optional === true,
    ...(native === undefined
      ? {}
      : { nativeType: { name: native.name, args: (native.args ?? []).map((a) => String(a.value)) } }),
    ...(fallback === undefined ? {} : { default: fallback }),
    updatedAt: fieldAttribute(field, 'updatedAt') !== undefined,
  }
}

const ACTIONS: readonly PrismaReferentialAction[] = ['Cascade', 'Restrict', 'NoAction', 'SetNull', 'SetDefault']

function readRelation(field: Field, model: string): PrismaRelationField {
  const relation = fieldAttribute(field, 'relation')
  const action = (key: string) => {
    const value = relation && identifierValue(argument(relation, key))
    return ACTIONS.find((a) => a === value)
  }
  const name = relation && stringValue(argument(relation, 'name', 0))
  const map = relation && stringValue(argument(relation, 'map'))
  const onDelete = action('onDelete')
  const onUpdate = action('onUpdate')
  return {
    name: field.name,
    model,
    list: field.array === true,
    optional: field.optional === true,
    ...(name === undefined ? {} : { relationName: name }),
    fields: relation ? fieldRefs(argument(relation, 'fields')).map((f) => f.name) : [],
    references: relation ? fieldRefs(argument(relation, 'references')).map((f) => f.name) : [],
    ...(onDelete === undefined ? {} : { onDelete }),
    ...(onUpdate === undefined ? {} : { onUpdate }),
    ...(map === undefined ? {} : { map }),
  }
}

function readId(fields: readonly Field[], attributes: readonly BlockAttribute[]): PrismaKey | undefined {
  for (const field of fields) {
    const id = fieldAttribute(field, 'id')
    if (id) {
      const map = stringValue(argument(id, 'map'))
      return { fields: [{ name: field.name }], ...(map === undefined ? {} : { map }) }
    }
  }
  const compound = attributes.find((a) => a.name === 'id')
  if (compound === undefined) return undefined
  const map = stringValue(argument(compound, 'map'))
  return { fields: fieldRefs(argument(compound, 'fields', 0)), ...(map === undefined ? {} : { map }) }
}

function indexOf(
  attribute: { args?: readonly { value: unknown }[] } & Parameters<typeof argument>[0],
  fields: PrismaIndex['fields'],
  blockLevel: boolean,
): PrismaIndex {
  const map = stringValue(argument(attribute, 'map', blockLevel ? undefined : 0))
  const type = identifierValue(argument(attribute, 'type'))
  return { fields, ...(map === undefined ? {} : { map }), ...(type === undefined ? {} : { type }) }
}

function blockString(attributes: readonly BlockAttribute[], name: string): string | undefined {
  const attribute = attributes.find((a) => a.name === name)
  return attribute && stringValue(positional(attribute))
}
