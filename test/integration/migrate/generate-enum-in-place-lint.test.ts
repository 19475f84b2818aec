/**
 * What `keel generate` writes for an enum recreated in place lints without require-concurrent-drop-index: an enum that
 * loses a value and has a domain over it is recreated in place (renamed away, made again, its columns converted, the
 * old type dropped), and a partial index that reads a converted column is dropped before the conversion and made
 * again after it, in the conversion's transaction (PlanContext.convertedTables). The conversion rewrites the table
 * under ACCESS EXCLUSIVE until the commit (refused without --allow-unsafe, as it should be), so the plain DROP INDEX
 * takes no lock the migration does not take anyway; the rule warned on it, in generate's output and in `keel lint`.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createProject, runKeel, type TestProject, withConnection, withUrl } from './project.js'

let project: TestProject
beforeEach(() => {
  project = createProject('export default { migrations: "migrations", schema: "schema.sql" }\n')
})
afterEach(() => project.dispose())

const V1 = `create type mood as enum ('sad', 'ok', 'happy');
create domain moodd as mood;
create table posts (id bigint primary key, m mood not null);
create index posts_happy on posts (id) where m = 'happy';
`

describe('keel generate, an enum recreated in place', () => {
  it('writes the drop of an index on a converted column in the transaction, and lints without a warning on it', async () => {
    await withUrl('postgres', async (url) => {
      const keel = (...args: string[]) => runKeel(project, url, ...args)
      project.add('20260101000000_init', { 'up.sql': `${V1}insert into posts values (1, 'ok'), (2, 'happy');\n` })
      expect((await keel('migrate')).code).toBe(0)
      writeFileSync(join(project.root, 'schema.sql'), V1.replace("'sad', ", ''))

      // Refused without --allow-unsafe, saying why the enum is not swapped (it said Keel had no online plan for it).
      const refused = await keel('generate', 'drop-sad')
      expect(refused.code).not.toBe(0)
      expect(refused.stderr).toContain(
        'why: domain public.moodd is over enum public.mood: PostgreSQL cannot move a domain to another type',
      )
      const written = await keel('generate', 'drop-sad', '--allow-unsafe')
      expect(written.code, written.stderr).toBe(0)
      const [dir] = readdirSync(project.migrations).filter((d) => d.endsWith('_drop_sad'))
      const up = readFileSync(join(project.migrations, dir as string, 'up.sql'), 'utf8')
      // The case this file is about: a plain drop, then the conversion, then the build, in one migration.
      expect(up).not.toContain('keel:no-transaction')
      const at = (text: string) => up.indexOf(text)
      expect(at('DROP INDEX public.posts_happy;')).toBeGreaterThan(-1)
      expect(at('ALTER TABLE public.posts ALTER COLUMN m TYPE')).toBeGreaterThan(at('DROP INDEX public.posts_happy;'))
      expect(at('CREATE INDEX posts_happy ON public.posts')).toBeGreaterThan(at('ALTER TABLE public.posts ALTER'))

      expect(written.stderr).not.toContain('require-concurrent-drop-index')
      const linted = await keel('lint')
      expect(linted.code, linted.stderr).toBe(0)
      expect(linted.stdout + linted.stderr).not.toContain('require-concurrent-drop-index')

      const migrated = await keel('migrate')
      expect(migrated.code, migrated.stderr).toBe(0)
      await withConnection(url, async (conn) =>
        expect(await conn.query("select id::int as id from posts where m = 'happy'")).toEqual([{ id: 2 }]),
      )
    })
  })
})
