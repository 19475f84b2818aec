/**
 * A keel/schema module is written for no dialect: its sql`` fragments (checks, defaults, index expressions) quote
 * the names they interpolate as the target database does. On MariaDB "order" is a string, so a check written
 * PostgreSQL's way would compare a string with a number and refuse every row; written MySQL's way (`order`) it
 * reads the column. The catalog is read with information_schema, and the rows prove what the check means.
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

// `order` is reserved on every dialect: it is quoted wherever it is interpolated.
const SCHEMA = `import { check, integer, sql, table } from 'keel/schema'

export const tickets = table('tickets', { id: integer().primaryKey(), order: integer().notNull() }, (t) => [
  check('tickets_order_check', sql\`\${t.order} > 0\`),
])
`

describe('a keel/schema module on MariaDB', () => {
  it('quotes the names its sql fragments interpolate as MySQL does, so a check reads the column', async () => {
    await withMysqlDatabase(async ({ url, conn }) => {
      const dir = mkdtempSync(join(tmpdir(), 'keel-mysql-dsl-'))
      dirs.push(dir)
      writeFileSync(join(dir, 'schema.ts'), SCHEMA)
      writeFileSync(
        join(dir, 'keel.config.ts'),
        `export default { url: ${JSON.stringify(url)}, schema: 'schema.ts', migrations: 'migrations' }\n`,
      )
      const push = await runKeel(['push'], { cwd: dir })
      expect(push.stderr).not.toMatch(/error\[/)
      expect(push.code).toBe(0)
      const checks = await conn.query<{ clause: string }>(
        `select check_clause as clause from information_schema.check_constraints
          where constraint_schema = database() and constraint_name = 'tickets_order_check'`,
      )
      expect(checks.map((c) => c.clause)).toEqual(['`order` > 0'])
      await conn.exec('insert into tickets (id, `order`) values (1, 5)')
      await expect(conn.exec('insert into tickets (id, `order`) values (2, 0)')).rejects.toThrow(/tickets_order_check/)

      const diff = await runKeel(['diff', '--exit-code'], { cwd: dir })
      expect(diff.code).toBe(0)
    })
  })

  it('quotes its string defaults as MySQL reads them, so a backslash is stored as written', async () => {
    await withMysqlDatabase(async ({ url, conn }) => {
      const dir = mkdtempSync(join(tmpdir(), 'keel-mysql-dsl-'))
      dirs.push(dir)
      // A Windows path: in a MySQL string '\t' is a tab and '\n' a newline unless the backslash is doubled.
      writeFileSync(
        join(dir, 'schema.ts'),
        `import { integer, table, varchar } from 'keel/schema'

export const places = table('places', { id: integer().primaryKey(), dir: varchar(50).default('C:\\\\temp\\\\new') })
`,
      )
      writeFileSync(
        join(dir, 'keel.config.ts'),
        `export default { url: ${JSON.stringify(url)}, schema: 'schema.ts', migrations: 'migrations' }\n`,
      )
      const push = await runKeel(['push'], { cwd: dir })
      expect(push.stderr).not.toMatch(/error\[/)
      expect(push.code).toBe(0)
      await conn.exec('insert into places (id) values (1)')
      const rows = await conn.query<{ dir: string }>('select dir from places')
      expect(rows.map((r) => r.dir)).toEqual(['C:\\temp\\new'])

      const diff = await runKeel(['diff', '--exit-code'], { cwd: dir })
      expect(diff.code).toBe(0)
    })
  })
})
