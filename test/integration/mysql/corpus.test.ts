/**
 * The corpus on MariaDB: Chinook's MySQL schema loaded by its own SQL into database X; Keel plans from empty to
 * X's schema and applies it to database Y; `mariadb-dump --no-data --skip-dump-date` of X and Y compare equal
 * (AUTO_INCREMENT counters dropped), and Keel finds no difference between X and Y.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { createScratchDatabase } from '../../../src/db/scratch.js'
import { getDialect } from '../../../src/dialect/registry.js'
import { diff } from '../../../src/diff/diff.js'
import { safePolicy } from '../../../src/plan/policy.js'
import { emptySchema } from '../../../src/schema/model.js'
import { applyPlan } from '../../../src/source/apply-plan.js'
import { MYSQL_URL } from '../../support/databases.js'
import { runScript } from '../../support/run-script.js'

const mysql = getDialect('mysql')
const EMPTY = emptySchema

function dump(url: string): string {
  const db = new URL(url).pathname.slice(1)
  return execFileSync('mariadb-dump', ['-h', '127.0.0.1', '-u', 'root', '--no-data', '--skip-dump-date', db], {
    encoding: 'utf8',
  })
    .replace(/ AUTO_INCREMENT=\d+/g, '')
    .replace(/^-- (Host|Server version).*$/gm, '')
}

describe('corpus on MariaDB', () => {
  for (const file of ['Chinook_MySql', 'Chinook_MySql_AutoIncrementPKs']) {
    it(`${file}: recreated from empty, mariadb-dump of both equal`, async () => {
      const x = await createScratchDatabase(MYSQL_URL, 'keel_corpus')
      const y = await createScratchDatabase(MYSQL_URL, 'keel_corpus')
      try {
        await runScript(x.conn, [readFileSync(`test/fixtures/chinook/${file}.schema.sql`, 'utf8')])
        const schemaX = await mysql.introspect(x.conn)
        const plan = mysql.plan(diff(EMPTY, schemaX).changes, safePolicy, {
          from: EMPTY,
          to: schemaX,
        })
        await applyPlan(y.conn, plan)
        expect(diff(schemaX, await mysql.introspect(y.conn)).changes).toEqual([])
        expect(dump(y.url)).toBe(dump(x.url))
      } finally {
        await x.dispose()
        await y.dispose()
      }
    }, 120_000)
  }
})
