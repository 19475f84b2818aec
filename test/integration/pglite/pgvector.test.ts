/**
 * pgvector on PGlite (issue 12): PGlite's contrib bundles hold no pgvector, but Electric ships it as its own
 * package (@electric-sql/pglite-pgvector), which Keel loads on demand as it loads the contrib extensions. A schema
 * with `CREATE EXTENSION vector`, a vector(3) column and an HNSW index is pushed to the embedded default database
 * (`keel diff` then finds nothing), generated and migrated into another directory, and the reopened directory
 * answers a nearest-neighbour query (the extension's code, not only its catalog rows).
 */
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../../../src/db/open.js'
import {
  expectNoDifferences,
  generateInit,
  migrateAnotherDirectory,
  pushToDefaultDatabase,
  schemaProjects,
} from '../../support/schema-project.js'

const SCHEMA = `CREATE EXTENSION IF NOT EXISTS vector;
CREATE TABLE documents (
  id bigint PRIMARY KEY,
  title text NOT NULL,
  embedding vector(3) NOT NULL
);
CREATE INDEX documents_embedding_hnsw ON documents USING hnsw (embedding vector_l2_ops);
`

const project = schemaProjects('keel-pgvector-', SCHEMA)

describe.concurrent('pgvector on PGlite', { timeout: 240_000 }, () => {
  it('pushes a vector schema to the embedded default database, and diff is then empty', async () => {
    const dir = project()
    await pushToDefaultDatabase(dir)
    await expectNoDifferences(dir)
  })

  it('generates and migrates it, and the reopened directory answers a nearest-neighbour query', async () => {
    const dir = project()
    const up = await generateInit(dir)
    expect(up).toContain('CREATE EXTENSION vector')
    expect(up).toMatch(/embedding vector\(3\) NOT NULL/)
    const target = await migrateAnotherDirectory(dir)

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
