/**
 * A TypeScript migration uses the planner that `keel generate` uses (`db.apply`), inside its transaction
 * (direct policy), or outside one with the safe policy (CREATE INDEX CONCURRENTLY).
 */
import { afterAll, describe, expect, it } from 'vitest'
import { migrate } from '../../../src/migrate/runner.js'
import { DIALECTS } from '../../support/databases.js'
import { createProject, disposeTargets, withTarget } from './project.js'

afterAll(disposeTargets)

const INDEX = `{ kind: 'createIndex', table: { schema: 'public', name: 'users' },
  index: { name: 'users_email_idx', parts: [{ column: 'email' }], unique: true, include: [] } }`

describe.each(DIALECTS)('db.apply in a TypeScript migration on %s', (dialect) => {
  it('plans and runs schema changes, in the transaction and without one', async () => {
    const project = createProject()
    try {
      project.add('20261125000000_users', { 'up.sql': 'create table users (id int primary key, email text)' })
      project.add('20261125000100_index', {
        'migration.ts': `export async function up(db) {\n  const plan = await db.apply([${INDEX}])\n  if (plan.steps.length !== 1) throw new Error('one step expected')\n}\n`,
      })
      project.add('20261125000200_index_online', {
        'migration.ts': `// keel:no-transaction
import { safePolicy } from 'keel'
export async function up(db) {
  const plan = await db.apply([${INDEX.replaceAll('users_email_idx', 'users_email_online_idx')}], safePolicy)
  if (!plan.steps[0].sql.includes('CONCURRENTLY')) throw new Error('expected a concurrent build')
}
`,
      })
      await withTarget(dialect, async ({ conn, options }) => {
        const result = await migrate({ ...options, migrationsDir: project.migrations })
        expect(result.applied).toHaveLength(3)
        const indexes = await conn.query<{ indexname: string }>(
          "select indexname from pg_indexes where tablename = 'users' order by indexname",
        )
        expect(indexes.map((i) => i.indexname)).toEqual(['users_email_idx', 'users_email_online_idx', 'users_pkey'])
      })
    } finally {
      project.dispose()
    }
  })
})
