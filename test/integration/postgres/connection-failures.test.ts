/**
 * No hang without a word: a host that takes TCP and never answers is named within the connect timeout,
 * and a connection that drops (at connect, or while a migration runs) is never reported as an error of the
 * server or of the SQL.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runKeel } from '../../support/cli.js'
import { POSTGRES_URL, withDatabase } from '../../support/databases.js'
import { createProject, runKeel as runKeelInProcess } from '../migrate/project.js'

const dir = mkdtempSync(join(tmpdir(), 'keel-connect-'))
const servers: net.Server[] = []
afterAll(() => {
  for (const server of servers) server.close()
  rmSync(dir, { recursive: true, force: true })
})

const SECRET = 'conn-secret-42'

/** A TCP server on a free local port; `onSocket` decides what it does with each connection. */
async function listen(onSocket: (socket: net.Socket) => void): Promise<number> {
  const server = net.createServer((socket) => {
    socket.on('error', () => {})
    onSocket(socket)
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return (server.address() as net.AddressInfo).port
}

const silentSockets: net.Socket[] = []
afterAll(() => {
  for (const socket of silentSockets) socket.destroy()
})

describe.concurrent('connecting', () => {
  it('a host that accepts and never answers: CONNECT_TIMEOUT from connect_timeout in the URL, exit 2', async () => {
    const port = await listen((socket) => silentSockets.push(socket))
    const started = Date.now()
    const result = await runKeel(
      ['status', '--json', '--url', `postgres://app:${SECRET}@127.0.0.1:${port}/shop?connect_timeout=2`],
      { cwd: dir },
    )
    const elapsed = Date.now() - started
    expect(result.code, result.stderr).toBe(2)
    expect(result.stderr).toMatch(/^error\[CONNECT_TIMEOUT\]: cannot connect to .*no answer within 2 s$/m)
    expect(result.stderr + result.stdout).not.toContain(SECRET)
    expect(elapsed).toBeGreaterThanOrEqual(2000)
    expect(elapsed).toBeLessThan(20_000)
  })

  it('PGCONNECT_TIMEOUT, and the default of a few seconds without either', async () => {
    const port = await listen((socket) => silentSockets.push(socket))
    const url = `postgres://app:${SECRET}@127.0.0.1:${port}/shop`
    const [fromEnv, byDefault] = await Promise.all([
      runKeel(['inspect', '--url', url], { cwd: dir, env: { PGCONNECT_TIMEOUT: '2' } }),
      runKeel(['inspect', '--url', url], { cwd: dir, env: { PGCONNECT_TIMEOUT: '' } }),
    ])
    expect(fromEnv.stderr).toMatch(/^error\[CONNECT_TIMEOUT\]: .*no answer within 2 s$/m)
    expect(byDefault.stderr).toMatch(/^error\[CONNECT_TIMEOUT\]: .*no answer within 10 s$/m)
    for (const result of [fromEnv, byDefault]) {
      expect(result.code).toBe(2)
      expect(result.stderr).toMatch(/^hint: .*connect_timeout/m)
      expect(result.stderr).not.toContain(SECRET)
    }
  })

  it('a server that closes the connection at once is not "the database server\'s own" message', async () => {
    const port = await listen((socket) => socket.destroy())
    const result = await runKeel(['inspect', '--url', `postgres://app:${SECRET}@127.0.0.1:${port}/shop`], {
      cwd: dir,
    })
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/^error\[CONNECTION_REFUSED\]: .*closed before the server answered/m)
    expect(result.stderr).not.toMatch(/server's own/)
    expect(result.stderr).not.toContain(SECRET)
  })
})

describe('a connection that drops while a migration runs', () => {
  it('is CONNECTION_LOST naming the statement, not an error in the SQL or from the server', async () => {
    await withDatabase('postgres', async ({ url, conn }) => {
      // A proxy to the real server whose connections can be cut, as a network failure or a restart would.
      const upstream = new URL(POSTGRES_URL)
      const links: net.Socket[] = []
      const port = await listen((client) => {
        const server = net.connect(Number(upstream.port || 5432), upstream.hostname)
        server.on('error', () => client.destroy())
        client.on('close', () => server.destroy())
        server.on('close', () => client.destroy())
        client.pipe(server).pipe(client)
        links.push(client, server)
      })
      const proxied = new URL(url)
      proxied.host = `127.0.0.1:${port}`
      const project = createProject()
      try {
        project.add('20260101000000_slow', { 'up.sql': 'create table t (n int);\nselect pg_sleep(30);\n' })
        const run = runKeelInProcess(project, proxied.toString(), 'migrate')
        for (let i = 0; i < 200; i++) {
          const active = await conn.query<{ n: number }>(
            "select count(*)::int as n from pg_stat_activity where query like '%pg_sleep(30)%' and pid <> pg_backend_pid()",
          )
          if (active[0]?.n) break
          await new Promise((resolve) => setTimeout(resolve, 50))
        }
        for (const socket of links) socket.destroy()
        const result = await run
        expect(result.code, result.stderr).toBe(1)
        expect(result.stderr).toMatch(/^error\[CONNECTION_LOST\]: .*failed at .*up\.sql:1-2: lost the connection to /m)
        expect(result.stderr).not.toMatch(/server's own|Fix the SQL/)
        // The server ends the orphaned session's transaction: nothing of the migration stays.
        await conn.exec(
          "select pg_terminate_backend(pid) from pg_stat_activity where query like '%pg_sleep(30)%' and pid <> pg_backend_pid()",
        )
      } finally {
        project.dispose()
      }
    })
  })
})
