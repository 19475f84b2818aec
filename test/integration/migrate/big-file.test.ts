/**
 * A 50 MB migration file is linted and applied with bounded memory: `keel migrate` runs in a child process
 * whose JavaScript heap is limited to 256 MB, and its peak RSS must stay under 640 MB (a whole-file parse
 * tree took about 47 times the file's size, and libpg_query's WebAssembly heap, which the heap limit does not
 * cover, grew with the largest text parsed at once). The file is a few big INSERTs of long rows, so that the
 * test takes seconds; its rows hold what a statement splitter must not cut at (`;`, quotes, `$$`, comment
 * openers). Generated in a temporary folder, never committed.
 */
import { spawn } from 'node:child_process'
import { createWriteStream, mkdirSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { TEST_CACHE_HOME } from '../../support/cli.js'
import { withDatabase } from '../../support/databases.js'
import { useProject } from './project.js'
import { assertBuilt } from './spawn.js'

const BIN = join(resolve(dirname(fileURLToPath(import.meta.url)), '../../..'), 'bin', 'keel.js')
const HEAP_MB = 256
const MAX_RSS_MB = 640

const project = useProject()
beforeAll(() => assertBuilt())

/** A payload of `length` characters that holds every opener a splitter must skip inside a string. */
function payload(id: number, length: number): string {
  const tricky = `row ${id}; it''s -- not /* a comment $$ nor $x$ a body ;`
  return tricky + 'x'.repeat(Math.max(0, length - tricky.length + 2))
}

/** Writes `statements` INSERTs of `rows` rows of `rowLength` characters; resolves to the rows written. */
async function writeInserts(
  file: string,
  options: {
    readonly table: string
    readonly head: string
    readonly statements: number
    readonly rows: number
    readonly rowLength: number
  },
): Promise<number> {
  mkdirSync(dirname(file), { recursive: true })
  const out = createWriteStream(file)
  const write = (text: string) =>
    out.write(text) ? Promise.resolve() : new Promise<void>((done) => out.once('drain', () => done()))
  await write(options.head)
  let id = 0
  for (let s = 0; s < options.statements; s++) {
    const values: string[] = []
    for (let r = 0; r < options.rows; r++) values.push(`(${++id}, '${payload(id, options.rowLength)}')`)
    await write(
      `-- statement ${s + 1}; with a semicolon in a comment\ninsert into ${options.table} (id, payload) values\n${values.join(',\n')};\n`,
    )
  }
  await new Promise<void>((done, fail) => out.end((error?: Error | null) => (error ? fail(error) : done())))
  return id
}

/** Runs the built CLI with a small heap; reports its peak RSS (from the child itself, at exit). */
function keelWithSmallHeap(args: readonly string[]): Promise<{ code: number | null; stderr: string; rssMb: number }> {
  const report = `process.on('exit', () => process.stderr.write('\\nmaxrss-kb ' + process.resourceUsage().maxRSS + '\\n'))`
  const child = spawn(
    process.execPath,
    [`--max-old-space-size=${HEAP_MB}`, '--import', `data:text/javascript,${encodeURIComponent(report)}`, BIN, ...args],
    {
      cwd: project.root,
      env: { ...process.env, NO_COLOR: '1', XDG_CACHE_HOME: TEST_CACHE_HOME },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  )
  let stderr = ''
  child.stderr.on('data', (chunk) => {
    stderr += String(chunk)
  })
  return new Promise((done) =>
    child.on('close', (code) => {
      const kb = Number(/maxrss-kb (\d+)/.exec(stderr)?.[1] ?? Number.NaN)
      done({ code, stderr, rssMb: Math.round(kb / 1024) })
    }),
  )
}

describe('a 50 MB migration file', () => {
  it('is linted and applied in a 256 MB heap: one transaction, and per-statement progress without one', async () => {
    project.add('20260101000000_create_big', { 'up.sql': 'create table big (id int primary key, payload text);\n' })
    const load = join(project.migrations, '20260102000000_load_big', 'up.sql')
    const loaded = await writeInserts(load, { table: 'big', head: '', statements: 52, rows: 100, rowLength: 10_000 })
    const more = join(project.migrations, '20260103000000_load_more', 'up.sql')
    const head = '-- keel:no-transaction\ncreate table more (id int primary key, payload text);\n'
    const loadedMore = await writeInserts(more, { table: 'more', head, statements: 2, rows: 100, rowLength: 10_000 })
    project.rehash()

    await withDatabase('postgres', async ({ url, conn }) => {
      const args = ['--config', project.config, '--url', url]
      const migrated = await keelWithSmallHeap(['migrate', ...args])
      expect(migrated.code, migrated.stderr).toBe(0)
      expect(migrated.rssMb, 'peak RSS of `keel migrate`, MB').toBeLessThan(MAX_RSS_MB)

      const [big] = await conn.query<{ n: number; chars: string; sample: string }>(
        'select count(*)::int as n, sum(length(payload))::text as chars, (select payload from big where id = 4321) as sample from big',
      )
      expect(big?.n).toBe(loaded)
      expect(Number(big?.chars)).toBe(loaded * payload(1, 10_000).replace("''", "'").length)
      expect(big?.sample.startsWith("row 4321; it's -- not /* a comment $$ nor $x$ a body ;xxx")).toBe(true)
      const [more] = await conn.query<{ n: number }>('select count(*)::int as n from more')
      expect(more?.n).toBe(loadedMore)

      // The transactional file committed as one (no statement progress); the no-transaction one journaled
      // each of its three statements.
      const journal = await conn.query<{ version: string; completed: number | null }>(
        'select version, completed_statements as completed from keel_migrations order by version',
      )
      expect(journal.map((j) => j.version)).toEqual(['20260101000000', '20260102000000', '20260103000000'])
      expect(journal[2]?.completed).toBe(3)

      const status = await keelWithSmallHeap(['status', ...args])
      expect(status.code, status.stderr).toBe(0)
      expect(status.rssMb, 'peak RSS of `keel status`, MB').toBeLessThan(MAX_RSS_MB)
    })
  }, 120_000)
})
