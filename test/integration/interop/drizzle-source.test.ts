import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { getDialect } from '../../../src/dialect/registry.js'
import { diff } from '../../../src/diff/diff.js'
import { loadSchemaSource } from '../../../src/source/load-source.js'
import { POSTGRES_URL, withDatabase } from '../../support/databases.js'
import { drizzleKitGenerate } from '../../support/drizzle-kit.js'

const FIXTURES = join(import.meta.dirname, '../../fixtures/interop/drizzle')

/**
 * What drizzle-kit generates for the brief's Drizzle schema, written out from its documented naming:
 * `.unique()` is a constraint `<table>_<column>_unique`, `.references()` a foreign key
 * `<table>_<column>_<target>_<column>_fk` with NO ACTION, identity columns carry their sequence name and
 * bounds, named indexes keep their names, and the `timestamps` spread gives both tables both columns.
 */
const BRIEF_DDL = `CREATE TABLE "posts" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "posts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"title" varchar(255) NOT NULL,
	"body" text,
	"published" boolean DEFAULT false NOT NULL,
	"author_id" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);

CREATE TABLE "users" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "users_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"email" varchar(255) NOT NULL,
	"name" varchar(255),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_email_unique" UNIQUE("email")
);

ALTER TABLE "posts" ADD CONSTRAINT "posts_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;
CREATE INDEX "idx_posts_author" ON "posts" USING btree ("author_id");
CREATE INDEX "idx_posts_published" ON "posts" USING btree ("published","created_at");
CREATE UNIQUE INDEX "uq_users_email" ON "users" USING btree ("email");`

async function differences(ddl: string, src: string) {
  return withDatabase('postgres', async (db) => {
    await db.conn.exec(ddl)
    const live = await getDialect('postgres').introspect(db.conn)
    const declared = await loadSchemaSource(src, { cwd: FIXTURES, near: POSTGRES_URL })
    return { changes: diff(live, declared.schema).changes, declared: declared.schema }
  })
}

describe('Drizzle schema modules as sources (PostgreSQL)', () => {
  test("the brief's schema gives exactly what drizzle-kit generates", async () => {
    const { changes, declared } = await differences(BRIEF_DDL, 'brief.ts')
    expect(changes).toEqual([])
    expect(declared.tables.find((t) => t.name.name === 'posts')?.foreignKeys.map((fk) => fk.name)).toEqual([
      'posts_author_id_users_id_fk',
    ])
  })

  test('the expected DDL above is what drizzle-kit itself generates for the brief', async () => {
    expect((await drizzleKitGenerate(join(FIXTURES, 'brief.ts'))).trim()).toBe(BRIEF_DDL.trim())
  })

  test.each([
    ['rich.ts', undefined],
    ['snake/schema.ts', 'snake_case'],
  ] as const)('%s reads as the schema drizzle-kit generates', async (name, casing) => {
    const ddl = await drizzleKitGenerate(join(FIXTURES, name), casing)
    expect(ddl).toContain('CREATE TABLE')
    const { changes } = await differences(ddl.replaceAll('--> statement-breakpoint', ''), name)
    expect(changes).toEqual([])
  })
})
