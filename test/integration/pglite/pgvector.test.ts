/**
 * pgvector on PGlite (issue 12): PGlite's contrib bundles hold no pgvector, but Electric ships it as its own
 * package (@electric-sql/pglite-pgvector), which Keel loads on demand as it loads the contrib extensions. A schema
 * with `CREATE EXTENSION vector`, a vector(3) column and an HNSW index is pushed to the embedded default database
 * (`keel diff` then finds nothing), generated and migrated into another directory, and the reopened directory
 * answers a nearest-neighbour query (the extension's code, not only its catalog rows).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../../src/db/open.js'
import { runKeel } from '../../support/cli.js'
import { seedPgliteDir } from '../../support/pglite-dir.js'

const SCHEMA = `CREATE EXTENSION IF NOT EXISTS vector;
CREATE TABLE documents (
  id bigint PRIMARY KEY,
  title text NOT NULL,
  embedding vector(3) NOT NULL
);
CREATE INDEX documents_embedding_hnsw ON documents USING hnsw (embedding vector_l2_ops);
`

const dirs: string[] = []
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'keel-pgvector-'))
  dirs.push(dir)
  writeFileSync(join(dir, 'schema.sql'), SCHEMA)
  writeFileSync(join(dir, 'keel.config.ts'), "export default { schema: 'schema.sql' }\n")
  return dir
}

describe.concurrent('pgvector on PGlite', { timeout: 240_000 }, () => {
  it('pushes a vector schema to the embedded default database, and diff is then empty', async () => {
    const dir = project()
    // The default directory (.keel/db) initialised already: initdb of a fresh one is init.test.ts's.
    await seedPgliteDir(join(dir, '.keel', 'db'))
    const pushed = await runKeel(['push'], { cwd: dir })
    expect(pushed.stderr).not.toContain('error[')
    expect(pushed.code).toBe(0)
    const diff = await runKeel(['diff', '--exit-code'], { cwd: dir })
    expect(diff.stderr).toContain('no differences')
    expect(diff.code).toBe(0)
  })

  it('generates and migrates it, and the reopened directory answers a nearest-neighbour query', async () => {
    const dir = project()
    const generated = await runKeel(['generate', 'init'], { cwd: dir })
    expect(generated.stderr).not.toContain('error[')
    expect(generated.code).toBe(0)
    const [version] = readdirSync(join(dir, 'migrations')).filter((name) => name !== 'keel.sum')
    const up = readFileSync(join(dir, 'migrations', version as string, 'up.sql'), 'utf8')
    expect(up).toContain('CREATE EXTENSION vector')
    expect(up).toMatch(/embedding vector\(3\) NOT NULL/)

    // An initialised empty directory, as above.
    await seedPgliteDir(join(dir, 'target'))
    const target = `pglite:${join(dir, 'target')}`
    const migrated = await runKeel(['migrate', '--url', target], { cwd: dir })
    expect(migrated.stderr).not.toContain('error[')
    expect(migrated.code).toBe(0)
    const diff = await runKeel(['diff', '--url', target, '--exit-code'], { cwd: dir })
    expect(diff.stderr).toContain('no differences')
    expect(diff.code).toBe(0)

    const conn = await openDatabase(target)
    try {
      await conn.exec("INSERT INTO documents VALUES (1, 'a', '[1,2,3]'), (2, 'b', '[3,2,1]'), (3, 'c', '[0,0,1]')")
      const rows = await conn.query<{ title: string }>(
        "SELECT title FROM documents ORDER BY embedding <-> '[1,2,2]' LIMIT 2",
      )
      expect(rows).toEqual([{ title: 'a' }, { title: 'b' }])
    } finally {
      await conn.close()
    }
  })
})
