/**
 * PGlite's contrib extensions through the CLI, as a user with an extension-using schema meets them: on the
 * embedded default database (`keel push`, then `keel diff` finds nothing), on the scratch database that
 * normalises the declared schema and replays migrations (`keel generate`), and on a reopened directory
 * (`keel migrate` then `keel diff`: the reopened database loads what it has installed, or reading the
 * citext column and the trigram index would fail). Only the extensions named are loaded (see
 * src/db/drivers/pglite-extensions.ts).
 */
import { describe, expect, it } from 'vitest'
import { contribExtensionsIn } from '../../../src/db/drivers/pglite-extensions.js'
import { openDatabase } from '../../../src/db/open.js'
import {
  expectNoDifferences,
  generateInit,
  migrateAnotherDirectory,
  pushToDefaultDatabase,
  schemaProjects,
} from '../../support/schema-project.js'

const SCHEMA = `CREATE EXTENSION IF NOT EXISTS citext;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS ltree;
CREATE EXTENSION IF NOT EXISTS "uuid-ossp";
CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT uuid_generate_v4(),
  email citext NOT NULL UNIQUE,
  name text NOT NULL,
  path ltree
);
CREATE INDEX users_name_trgm ON users USING gin (name gin_trgm_ops);
CREATE INDEX users_path_gist ON users USING gist (path);
`

const project = schemaProjects('keel-contrib-', SCHEMA)

describe('contribExtensionsIn', () => {
  it('finds the contrib extensions a script creates, bare or quoted, and nothing else', () => {
    expect(
      contribExtensionsIn(`create extension if not exists CITEXT;
        CREATE EXTENSION "uuid-ossp" SCHEMA public; create extension plpgsql; create extension vector;
        create extension citext; select 1`),
    ).toEqual(['citext', 'uuid-ossp', 'vector'])
    expect(contribExtensionsIn('create table extension (id int)')).toEqual([])
  })
})

// Five PGlite-starting CLI runs: about 20 s of CPU in all; the timeout only bounds a hang on a loaded machine.
describe.concurrent('contrib extensions on PGlite', { timeout: 240_000 }, () => {
  it('pushes an extension-using schema to the embedded default database, and diff is then empty', async () => {
    const dir = project()
    const pushed = await pushToDefaultDatabase(dir)
    expect(pushed.stdout + pushed.stderr).toContain('Create index users_name_trgm on public.users')
    await expectNoDifferences(dir)
  })

  it('generates the migration on the scratch database, migrates another directory, and diff is then empty', async () => {
    const dir = project()
    const up = await generateInit(dir)
    expect(up).toContain('CREATE EXTENSION citext')
    expect(up).toContain('USING gin (name gin_trgm_ops)')
    const target = await migrateAnotherDirectory(dir)

    // The reopened directory answers queries that need the extensions' code, not only their catalog rows.
    const conn = await openDatabase(target)
    try {
      await conn.exec("INSERT INTO users (email, name, path) VALUES ('Ada@Example.com', 'Ada Lovelace', 'top.science')")
      const rows = await conn.query<{ name: string }>(
        "SELECT name FROM users WHERE email = 'ada@example.COM' AND name % 'Ada Lovelac' AND path <@ 'top'",
      )
      expect(rows).toEqual([{ name: 'Ada Lovelace' }])
    } finally {
      await conn.close()
    }
  })
})
