import type { Connection } from '../../db/connection.js'
import { relationKey, type ViewColumns } from '../../interop/kysely/print-kysely.js'
import type { Schema } from '../../schema/model.js'
import { parsePostgresType } from './parse-type.js'

/**
 * The columns of a schema's views, read from the database that holds them (`pg_attribute`, in column order,
 * types as `format_type` prints them). PostgreSQL cannot tell whether a view's column may be NULL, so every
 * one is nullable, as kysely-codegen has them.
 */
export async function readViewColumns(conn: Connection, schema: Schema): Promise<ViewColumns> {
  if (schema.views.length === 0) return new Map()
  const rows = await conn.query<{ ns: string; rel: string; name: string; type: string }>(
    `SELECT n.nspname AS ns, c.relname AS rel, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('v', 'm') AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY n.nspname, c.relname, a.attnum`,
  )
  const columns = new Map<string, { name: string; type: ReturnType<typeof parsePostgresType>; nullable: boolean }[]>()
  const enums = new Map(schema.enums.map((e) => [`${e.name.schema ?? 'public'}.${e.name.name}`, e.name]))
  for (const row of rows) {
    const key = relationKey({ schema: row.ns, name: row.rel })
    const bare = row.type.replace(/\[\]$/, '').replaceAll('"', '')
    const enumName = enums.get(bare.includes('.') ? bare : `public.${bare}`)
    const scalar = enumName === undefined ? parsePostgresType(row.type) : { kind: 'enum' as const, enum: enumName }
    const type =
      enumName !== undefined && row.type.endsWith('[]') ? { kind: 'array' as const, element: scalar } : scalar
    columns.set(key, [...(columns.get(key) ?? []), { name: row.name, type, nullable: true }])
  }
  return columns
}
