/**
 * The MySQL Connection against the real server (MariaDB 10.11 in CI): parameters, transactions, the
 * server's flavour and version, and connect failures with the same codes and exit status as PostgreSQL's.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { MysqlConnection } from '../../../src/db/drivers/mysql.js'
import { openDatabase } from '../../../src/db/open.js'
import { parseDatabaseUrl, redactUrl } from '../../../src/db/url.js'
import { runKeel } from '../../support/cli.js'
import { MYSQL_URL, withMysqlDatabase } from '../../support/databases.js'

const dir = mkdtempSync(join(tmpdir(), 'keel-mysql-conn-'))
const sockets: net.Socket[] = []
const servers: net.Server[] = []
afterAll(() => {
  for (const socket of sockets) socket.destroy()
  for (const server of servers) server.close()
  rmSync(dir, { recursive: true, force: true })
})

const SECRET = 'my-sql-secret-77'

describe('mysql:// and mariadb:// URLs', () => {
  it('parse as the mysql dialect, and their passwords are redacted', () => {
    expect(parseDatabaseUrl('mysql://root@127.0.0.1:3306/test')).toEqual({
      kind: 'mysql',
      url: 'mysql://root@127.0.0.1:3306/test',
    })
    expect(parseDatabaseUrl('mariadb://app:pw@db/shop').kind).toBe('mysql')
    expect(redactUrl(`cannot connect to mysql://app:${SECRET}@db/shop`)).toBe(
      'cannot connect to mysql://app:***@db/shop',
    )
    expect(redactUrl(`mariadb://app:${SECRET}@db/shop`)).toBe('mariadb://app:***@db/shop')
    expect(() => parseDatabaseUrl('mysql:///nohost')).toThrow(/names its host/)
  })
})

describe.concurrent('the MySQL connection', () => {
  it('runs queries with $n parameters (inlined outside strings), scripts and nested transactions', async () => {
    await withMysqlDatabase(async ({ conn }) => {
      const mysql = conn as MysqlConnection
      expect(mysql.dialect).toBe('mysql')
      expect(mysql.server.flavour).toBe('mariadb')
      expect(mysql.server.major).toBeGreaterThanOrEqual(10)
      expect(mysql.sessionId).toBeGreaterThan(0)
      const [row] = await conn.query<Record<string, unknown>>("select $1 as a, $2 as b, $1 as c, '$1 ?' as d", [
        "it's \\ a",
        7,
      ])
      expect(row).toEqual({ a: "it's \\ a", b: 7, c: "it's \\ a", d: '$1 ?' })
      await conn.exec('create table t (id int primary key) engine = innodb; insert into t values (1), (2)')
      await expect(
        conn.transaction(async (tx) => {
          await tx.exec('insert into t values (3)')
          await tx.transaction(async (inner) => inner.exec('insert into t values (4)'))
          throw new Error('roll back')
        }),
      ).rejects.toThrow('roll back')
      await conn.transaction(async (tx) => {
        await tx.exec('insert into t values (5)')
        await tx
          .transaction(async (inner) => {
            await inner.exec('insert into t values (6)')
            throw new Error('only the savepoint')
          })
          .catch(() => {})
      })
      expect((await conn.query<{ id: number }>('select id from t order by id')).map((r) => r.id)).toEqual([1, 2, 5])
      const error = await conn.query('select * from nope').catch((e: unknown) => e)
      expect(error).toMatchObject({ code: '42S02', errno: 1146, severity: 'ERROR' })
    })
  })

  it('wrong password: AUTH_FAILED, exit 2, the password never printed', async () => {
    const url = new URL(MYSQL_URL)
    url.username = 'keel_no_such_user'
    url.password = SECRET
    const result = await runKeel(['status', '--url', url.toString()], { cwd: dir })
    expect(result.code, result.stderr).toBe(2)
    expect(result.stderr).toMatch(/^error\[AUTH_FAILED\]: cannot connect to mysql:\/\/keel_no_such_user:\*\*\*@/m)
    expect(result.stderr + result.stdout).not.toContain(SECRET)
  })

  it('a missing database: DATABASE_NOT_FOUND', async () => {
    const url = new URL(MYSQL_URL)
    url.pathname = '/keel_no_such_database'
    await expect(openDatabase(url.toString())).rejects.toMatchObject({ code: 'DATABASE_NOT_FOUND' })
  })

  it('a host that accepts and never answers: CONNECT_TIMEOUT from connect_timeout, exit 2', async () => {
    const server = net.createServer((socket) => {
      socket.on('error', () => {})
      sockets.push(socket)
    })
    servers.push(server)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const port = (server.address() as net.AddressInfo).port
    const url = `mariadb://app:${SECRET}@127.0.0.1:${port}/shop?connect_timeout=2`
    const result = await runKeel(['status', '--url', url], { cwd: dir })
    expect(result.code, result.stderr).toBe(2)
    expect(result.stderr).toMatch(/^error\[CONNECT_TIMEOUT\]: cannot connect to .*no answer within 2 s$/m)
    expect(result.stderr + result.stdout).not.toContain(SECRET)
  })

  it('nothing listening: CONNECTION_REFUSED', async () => {
    await expect(openDatabase('mysql://root@127.0.0.1:1/test')).rejects.toMatchObject({ code: 'CONNECTION_REFUSED' })
  })
})
