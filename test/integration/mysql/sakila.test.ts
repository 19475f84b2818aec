/**
 * Oracle's Sakila schema on MariaDB, judged by the server's own tools rather than Keel's introspection: the
 * `mariadb` client loads it into database X; Keel (`keel push`, reading the same file with its DELIMITER blocks)
 * creates it in the empty database Y; `mariadb-dump --no-data --triggers` of X and Y are equal, views and triggers
 * included (with the sql_mode each trigger and routine was created under: Sakila's file sets TRADITIONAL), and so
 * are their procedures and functions in information_schema; and pushing an empty schema leaves Y empty in information_schema.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createScratchDatabase } from '../../../src/db/scratch.js'
import { runKeel } from '../../support/cli.js'
import { MYSQL_URL } from '../../support/databases.js'
import { createProject, type TestProject } from '../migrate/project.js'

/**
 * The file as Oracle ships it, less the lines that make and choose a database named sakila, and with the
 * actor_info view's `sakila.` qualifiers dropped, so that it loads into the test's own database.
 */
const SAKILA = readFileSync('test/fixtures/sakila/mysql-official/sakila-schema.sql', 'utf8')
  .replace(/^(DROP SCHEMA IF EXISTS sakila|CREATE SCHEMA sakila|USE sakila);$/gm, '')
  .replaceAll('sakila.', '')

const projects: TestProject[] = []
afterAll(() => {
  for (const p of projects) p.dispose()
})

function client(args: readonly string[], input?: string): string {
  const { hostname, port, username } = new URL(MYSQL_URL)
  return execFileSync(
    args[0] ?? '',
    ['-h', hostname, '-P', port || '3306', '-u', username || 'root', ...args.slice(1)],
    {
      encoding: 'utf8',
      ...(input === undefined ? {} : { input }),
    },
  )
}

/**
 * The dump, with AUTO_INCREMENT counters dropped and each table's KEY lines sorted: the server lists indexes in
 * the order they were created, which is not part of a schema (Keel creates a table's indexes by name).
 */
function dump(db: string): string {
  return (
    client(['mariadb-dump', '--no-data', '--triggers', '--skip-dump-date', '--skip-comments', db])
      .replace(/ AUTO_INCREMENT=\d+/g, '')
      // A literal in a view body prints with its charset introducer or without, as the creating session had it;
      // the view's character_set_client and collation_connection (compared) are what give it its meaning.
      .replaceAll("_utf8mb4'", "'")
      .replace(/(?:^ {2}(?:UNIQUE |FULLTEXT |SPATIAL )?KEY .*\n)+/gm, (keys) =>
        keys
          .split('\n')
          .filter((line) => line !== '')
          .map((line) => line.replace(/,$/, ''))
          .sort()
          .map((line) => `${line},\n`)
          .join(''),
      )
  )
}

/**
 * Procedures and functions as information_schema holds them: the dump prints a routine's parameter list as it
 * was typed (`INT`), which Keel rebuilds from PARAMETERS (`int(11)`); their types, modes and bodies are compared.
 */
function routines(db: string): string {
  return client(
    ['mariadb', '--batch', db],
    `select ROUTINE_NAME, ROUTINE_TYPE, DTD_IDENTIFIER, ROUTINE_BODY, ROUTINE_DEFINITION, IS_DETERMINISTIC,
            SQL_DATA_ACCESS, SECURITY_TYPE, ROUTINE_COMMENT, SQL_MODE, CHARACTER_SET_CLIENT, COLLATION_CONNECTION, DATABASE_COLLATION
       from information_schema.ROUTINES where ROUTINE_SCHEMA = database() order by ROUTINE_NAME;
     select SPECIFIC_NAME, ROUTINE_TYPE, ORDINAL_POSITION, PARAMETER_MODE, PARAMETER_NAME, DTD_IDENTIFIER
       from information_schema.PARAMETERS where SPECIFIC_SCHEMA = database() order by SPECIFIC_NAME, ORDINAL_POSITION;`,
  )
}

describe('Sakila on MariaDB', () => {
  it('recreated from empty by keel push: mariadb-dump equal to the client-loaded one; an empty push empties it', async () => {
    const x = await createScratchDatabase(MYSQL_URL, 'keel_sakila')
    const y = await createScratchDatabase(MYSQL_URL, 'keel_sakila')
    try {
      const xName = new URL(x.url).pathname.slice(1)
      const yName = new URL(y.url).pathname.slice(1)
      // --comments: the client strips comments from what it sends unless told not to (routine bodies keep them).
      client(['mariadb', '--comments', xName], SAKILA)

      const p = createProject(
        `export default { url: ${JSON.stringify(y.url)}, schema: 'schema.sql', migrations: 'migrations' }\n`,
      )
      projects.push(p)
      writeFileSync(join(p.root, 'schema.sql'), SAKILA)
      const push = await runKeel(['push'], { cwd: p.root })
      expect(push.stderr).not.toMatch(/error\[/)
      expect(push.code).toBe(0)
      expect(dump(yName)).toBe(dump(xName))
      expect(routines(yName)).toBe(routines(xName))
      expect(routines(xName)).toContain('rewards_report')

      writeFileSync(join(p.root, 'schema.sql'), '')
      const drop = await runKeel(['push', '--accept-data-loss'], { cwd: p.root })
      expect(drop.stderr).not.toMatch(/error\[/)
      expect(drop.code).toBe(0)
      const left = await y.conn.query<{ kind: string; name: string }>(
        `select 'table' as kind, table_name as name from information_schema.tables
          where table_schema = database() and table_name <> 'keel_migrations'
         union all select 'routine', routine_name from information_schema.routines where routine_schema = database()
         union all select 'trigger', trigger_name from information_schema.triggers where trigger_schema = database()`,
      )
      expect(left).toEqual([])
    } finally {
      await x.dispose()
      await y.dispose()
    }
  }, 180_000)
})
