/**
 * `keel check` on MariaDB: the checklist does not claim what the server cannot do. DDL commits implicitly there, so
 * no migration runs in one transaction. Lint runs there too (MySQL's rules and the ones every dialect shares), so the
 * items lint proves are judged, not asked.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runKeel } from '../../support/cli.js'
import { withMysqlDatabase } from '../../support/databases.js'

const dir = mkdtempSync(join(tmpdir(), 'keel-mysql-check-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('keel check on MariaDB', () => {
  it('does not claim one transaction, and judges the lint items', { timeout: 120_000 }, async () => {
    await withMysqlDatabase(async ({ url }) => {
      mkdirSync(join(dir, 'migrations', '20260101000000_t'), { recursive: true })
      writeFileSync(join(dir, 'keel.config.mjs'), 'export default { migrations: "migrations" }\n')
      writeFileSync(join(dir, 'migrations/20260101000000_t/up.sql'), 'create table t (id bigint primary key, a int);\n')
      writeFileSync(join(dir, 'migrations/20260101000000_t/down.sql'), 'drop table t;\n')
      const keel = (...args: string[]) => runKeel([...args, '--url', url], { cwd: dir })
      expect((await keel('sum', '--rehash')).code).toBe(0)
      const result = await keel('check', '--json')
      expect(result.code, result.stderr).toBe(0)
      const items: { item: string; verdict: string; details: string[] }[] = JSON.parse(result.stdout).checklist
      const tx = items.find((i) => i.item === 'Migration runs in a transaction where supported')
      expect(tx?.details.join('\n')).not.toContain('runs in one transaction')
      expect(tx?.details.join('\n')).toContain('commits each DDL statement on its own')
      const locks = items.find((i) => i.item === 'No table locks on large tables during peak hours')
      expect(locks).toMatchObject({ verdict: 'pass' })
      expect(items.find((i) => i.item === 'Rollback migration written and tested')).toMatchObject({ verdict: 'pass' })
    })
  })
})
