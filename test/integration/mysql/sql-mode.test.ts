/**
 * A server configured as some users configure theirs (my.cnf `sql_mode=ANSI_QUOTES,NO_BACKSLASH_ESCAPES,...`):
 * a MariaDB of its own, started for this file on a temporary data directory with that global sql_mode (a
 * SET GLOBAL on the shared server would leak into every other test). Keel's sessions read SQL with backslash
 * escapes and backticked names whatever the server says, so a default, comment and ENUM value holding a
 * backslash and a quote come out as declared (read by a plain client session in the server's own mode), a
 * re-diff is empty, and a hand-written migration with a `"..."` string and the journal's writes work.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { MysqlConnection } from '../../../src/db/drivers/mysql.js'
import { openDatabase } from '../../../src/db/open.js'
import { Journal } from '../../../src/migrate/journal.js'
import { runKeel } from '../../support/cli.js'
import { createProject, type TestProject } from '../migrate/project.js'

/** The system tables' DDL as the MariaDB server package installs it. */
const SYSTEM_TABLES = '/usr/share/mysql/mysql_system_tables.sql'
const MODE = 'ANSI_QUOTES,NO_BACKSLASH_ESCAPES,STRICT_TRANS_TABLES'
const dir = mkdtempSync(join(tmpdir(), 'keel-sql-mode-'))
let server: ChildProcess | undefined
let port = 0
const projects: TestProject[] = []

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer()
    probe.on('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo
      probe.close(() => resolve(port))
    })
  })
}

/** A plain session in the server's own mode (no Keel in between), for reading what was stored. */
async function serverSession(sql: string): Promise<string> {
  const { default: mysql } = await import('mysql2/promise')
  const raw = await mysql.createConnection({ host: '127.0.0.1', port, user: 'root', database: 'shop' })
  try {
    const [rows] = await raw.query(sql)
    return JSON.stringify(rows)
  } finally {
    await raw.end()
  }
}

beforeAll(async () => {
  port = await freePort()
  mkdirSync(join(dir, 'data'), { recursive: true })
  // No mariadb-install-db: without grant tables the server starts on an empty directory.
  server = spawn(
    '/usr/sbin/mariadbd',
    [
      '--no-defaults',
      '--user=root',
      `--datadir=${join(dir, 'data')}`,
      '--skip-grant-tables',
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      `--socket=${join(dir, 'sock')}`,
      `--pid-file=${join(dir, 'pid')}`,
      `--sql-mode=${MODE}`,
      '--innodb-buffer-pool-size=16M',
      '--innodb-log-file-size=8M',
      '--skip-log-bin',
      `--log-error=${join(dir, 'error.log')}`,
    ],
    { stdio: 'ignore' },
  )
  for (let i = 0; ; i++) {
    try {
      const conn = await openDatabase(`mysql://root@127.0.0.1:${port}/`)
      // The system tables install-db would create (information_schema.ROUTINES reads mysql.proc), in a
      // second where mariadb-install-db takes several.
      await conn.exec(`CREATE DATABASE mysql; USE mysql; ${readFileSync(SYSTEM_TABLES, 'utf8')}`)
      await conn.exec('CREATE DATABASE shop')
      await conn.close()
      return
    } catch (error) {
      if (i > 300) throw error
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
}, 60_000)

afterAll(async () => {
  for (const p of projects) p.dispose()
  if (server?.exitCode === null) {
    const exited = new Promise((resolve) => server?.once('exit', resolve))
    server.kill('SIGTERM')
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))])
  }
  rmSync(dir, { recursive: true, force: true })
}, 20_000)

const SCHEMA = String.raw`
create table notes (
  id int not null primary key,
  path varchar(40) not null default 'C:\\temp\\it''s' comment 'a \\ and a '' here',
  kind enum('a\\b', 'it''s', 'plain') not null default 'plain'
) comment = 'table \\ comment';
`

describe('a server whose sql_mode is ANSI_QUOTES and NO_BACKSLASH_ESCAPES', () => {
  it("Keel's session drops the lexical modes and keeps the rest", async () => {
    const conn = (await openDatabase(`mysql://root@127.0.0.1:${port}/shop`)) as MysqlConnection
    try {
      const [row] = await conn.query<{ mode: string }>('SELECT @@SESSION.sql_mode AS mode')
      expect(row?.mode).toBe('STRICT_TRANS_TABLES')
      const [bound] = await conn.query<{ a: string }>('SELECT $1 AS a, "double" AS b', ["it's \\ so"])
      expect(bound).toEqual({ a: "it's \\ so", b: 'double' })
    } finally {
      await conn.close()
    }
    expect(await serverSession('SELECT @@GLOBAL.sql_mode AS mode')).toBe(JSON.stringify([{ mode: MODE }]))
  })

  it('push stores backslashes and quotes as declared, diff is empty after, migrate and its journal work', async () => {
    const url = `mysql://root@127.0.0.1:${port}/shop`
    const p = createProject(
      `export default { url: ${JSON.stringify(url)}, schema: 'schema.sql', migrations: 'migrations' }\n`,
    )
    projects.push(p)
    writeFileSync(join(p.root, 'schema.sql'), SCHEMA)
    const push = await runKeel(['push'], { cwd: p.root })
    expect(push.stderr).not.toMatch(/error\[/)
    expect(push.code).toBe(0)
    const diff = await runKeel(['diff', '--exit-code'], { cwd: p.root })
    expect(diff.stderr).toContain('no differences')

    // What the server holds, read in its own mode: one backslash each, as declared.
    const columns = JSON.parse(
      await serverSession(
        `SELECT column_name AS name, column_default AS d, column_comment AS c, column_type AS t
           FROM information_schema.columns WHERE table_schema = 'shop' AND table_name = 'notes' ORDER BY ordinal_position`,
      ),
    ) as { name: string; d: string | null; c: string; t: string }[]
    expect(columns[1]).toEqual({
      name: 'path',
      d: String.raw`'C:\\temp\\it''s'`,
      c: "a \\ and a ' here",
      t: 'varchar(40)',
    })
    expect(columns[2]?.t).toBe(String.raw`enum('a\\b','it''s','plain')`)
    expect(
      await serverSession("SELECT table_comment AS c FROM information_schema.tables WHERE table_name = 'notes'"),
    ).toBe(JSON.stringify([{ c: 'table \\ comment' }]))

    p.add('20260101000000_rows', {
      'up.sql':
        String.raw`INSERT INTO notes (id, path, kind) VALUES (1, "D:\\x", 'a\\b');` +
        '\nINSERT INTO notes (id) VALUES (2);\n',
      'down.sql': 'DELETE FROM notes;\n',
    })
    const migrate = await runKeel(['migrate'], { cwd: p.root })
    expect(migrate.stderr).not.toMatch(/error\[/)
    expect(migrate.code).toBe(0)
    expect(await serverSession('SELECT id, path, kind FROM notes ORDER BY id')).toBe(
      JSON.stringify([
        { id: 1, path: 'D:\\x', kind: 'a\\b' },
        { id: 2, path: "C:\\temp\\it's", kind: 'plain' },
      ]),
    )
    const conn = await openDatabase(url)
    try {
      const [entry] = await new Journal(conn, 'public').list()
      expect(entry).toMatchObject({ version: '20260101000000', name: 'rows', status: 'applied' })
    } finally {
      await conn.close()
    }
  }, 90_000)
})
