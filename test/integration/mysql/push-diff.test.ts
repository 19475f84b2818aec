/**
 * The MySQL model half end to end on MariaDB: `keel push` creates a declared schema (foreign keys, a view over
 * two tables, ENUM, unsigned, ON UPDATE, a prefix index, FULLTEXT), `keel diff` then finds nothing, the catalog
 * holds what was declared (read with information_schema, not Keel's introspection), and pushing an empty
 * schema drops it all, children and views before what they use.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runKeel } from '../../support/cli.js'
import { withMysqlDatabase } from '../../support/databases.js'

const dirs: string[] = []
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

const SCHEMA = `
create table users (
  id int unsigned not null auto_increment primary key,
  email varchar(190) not null,
  bio text,
  role enum('reader', 'writer') not null default 'reader',
  updated_at timestamp not null default current_timestamp on update current_timestamp,
  unique key users_email_key (email),
  key users_bio_idx (bio(40))
) engine=InnoDB;

create table posts (
  id int unsigned not null auto_increment primary key,
  author_id int unsigned not null,
  title varchar(200) not null,
  body text not null,
  constraint posts_author_fkey foreign key (author_id) references users (id) on delete cascade,
  fulltext key posts_body_ft (body)
) engine=InnoDB;

create view post_authors as select p.id, p.title, u.email from posts p join users u on u.id = p.author_id;
`

function project(url: string, schema: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'keel-mysql-push-'))
  dirs.push(dir)
  writeFileSync(join(dir, 'schema.sql'), schema)
  writeFileSync(
    join(dir, 'keel.config.ts'),
    `export default { url: ${JSON.stringify(url)}, schema: 'schema.sql', migrations: 'migrations' }\n`,
  )
  return dir
}

describe('keel push and diff on MariaDB', () => {
  it('creates a declared schema exactly, finds no difference after, and drops it back in order', async () => {
    await withMysqlDatabase(async ({ url, conn }) => {
      const dir = project(url, SCHEMA)
      const push = await runKeel(['push'], { cwd: dir })
      expect(push.stderr).not.toMatch(/error\[/)
      expect(push.code).toBe(0)

      const diff = await runKeel(['diff', '--exit-code'], { cwd: dir })
      expect(diff.code).toBe(0)
      expect(diff.stderr).toContain('no differences')

      const columns = await conn.query<{ name: string; type: string; extra: string }>(
        `select column_name as name, column_type as type, extra from information_schema.columns
          where table_schema = database() and table_name = 'users' order by ordinal_position`,
      )
      expect(columns.map((c) => c.name)).toEqual(['id', 'email', 'bio', 'role', 'updated_at'])
      expect(columns.find((c) => c.name === 'id')?.type).toMatch(/^int(\(10\))? unsigned$/)
      expect(columns.find((c) => c.name === 'role')?.type).toBe("enum('reader','writer')")
      expect(columns.find((c) => c.name === 'updated_at')?.extra.toLowerCase()).toContain('on update current_timestamp')
      const prefix = await conn.query<{ sub: number }>(
        `select sub_part as sub from information_schema.statistics
          where table_schema = database() and index_name = 'users_bio_idx'`,
      )
      expect(prefix.map((r) => Number(r.sub))).toEqual([40])
      const fk = await conn.query<{ rule: string }>(
        `select delete_rule as rule from information_schema.referential_constraints
          where constraint_schema = database() and constraint_name = 'posts_author_fkey'`,
      )
      expect(fk).toEqual([{ rule: 'CASCADE' }])

      writeFileSync(join(dir, 'schema.sql'), '')
      const drop = await runKeel(['push', '--accept-data-loss'], { cwd: dir })
      expect(drop.stderr).not.toMatch(/error\[/)
      expect(drop.code).toBe(0)
      const left = await conn.query<{ name: string }>(
        "select table_name as name from information_schema.tables where table_schema = database() and table_name <> 'keel_migrations'",
      )
      expect(left).toEqual([])
    })
  })
})
