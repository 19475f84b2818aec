// A PostgreSQL server of the benchmark's own, for section 8 on a server that nothing else uses and whose configuration
// the run chooses (a production-like one, say), as an extra row beside the shared server's: never instead of it.
//
//   BENCH_PG_URL=$(node bench/lib/own-server.mjs start DIR PORT [name=value ...]) BENCH_ONLY=phases node bench/run.mjs
//   node bench/lib/own-server.mjs stop DIR
//
// `start` runs initdb in DIR (kept if it exists), appends the settings to its postgresql.conf, starts the server on
// 127.0.0.1:PORT and prints its maintenance database's URL. The binaries are the PATH's `pg_config --bindir`, or
// PG_BIN. initdb refuses to run as root: as root, the server runs as the `postgres` user. The section records the
// server's settings with each row (`detail.settings`), so a row measured here says how its server was configured.
import { execFileSync } from 'node:child_process'
import { appendFileSync, chownSync, existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'

const [command, dir, port, ...settings] = process.argv.slice(2)
if ((command !== 'start' && command !== 'stop') || dir === undefined || (command === 'start' && port === undefined)) {
  process.stderr.write('usage: own-server.mjs start DIR PORT [name=value ...] | stop DIR\n')
  process.exit(2)
}
const bin = process.env.PG_BIN ?? execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim()
const root = process.getuid?.() === 0
/** Runs a server binary, as `postgres` when this process is root. */
const pg = (tool, args) =>
  execFileSync(root ? 'runuser' : join(bin, tool), root ? ['-u', 'postgres', '--', join(bin, tool), ...args] : args, {
    stdio: ['ignore', 'ignore', 'inherit'],
  })
const data = join(dir, 'data')

if (command === 'stop') {
  pg('pg_ctl', ['-D', data, '-m', 'fast', 'stop'])
} else {
  if (!existsSync(data)) {
    mkdirSync(dir, { recursive: true })
    if (root) chownSync(dir, Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })), -1)
    pg('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust'])
    const lines = [`port = ${port}`, "listen_addresses = '127.0.0.1'", `unix_socket_directories = '${dir}'`]
    appendFileSync(
      join(data, 'postgresql.conf'),
      `${[...lines, ...settings.map((s) => s.replace('=', ' = '))].join('\n')}\n`,
    )
  }
  pg('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-w', 'start'])
  process.stdout.write(`postgres://postgres@127.0.0.1:${port}/postgres\n`)
}
