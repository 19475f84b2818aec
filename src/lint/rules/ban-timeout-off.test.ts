import { describe, expect, it } from 'vitest'
import { findingsOf, lintErrors, lintOk } from '../../../test/support/lint.js'

const ID = 'ban-timeout-off'

describe(ID, () => {
  it('flags SET lock_timeout or statement_timeout to 0 (off)', async () => {
    expect(await lintErrors('set lock_timeout = 0;', ID)).toMatchInlineSnapshot(`
      "test.sql:1:1: error[ban-timeout-off]: turns lock_timeout off: a statement waiting for a lock then waits, and blocks the queries queued behind it, without limit
        |
      1 | set lock_timeout = 0;
        | ^
        = help: Keep the timeouts; for a statement that needs longer, give the migration its own with \`-- keel:lock-timeout 30s\` or \`-- keel:statement-timeout 10min\`."
    `)
    expect(await lintErrors("set local statement_timeout = '0';", ID)).toMatchInlineSnapshot(`
      "test.sql:1:1: error[ban-timeout-off]: turns statement_timeout off: a statement waiting for a lock then waits, and blocks the queries queued behind it, without limit
        |
      1 | set local statement_timeout = '0';
        | ^
        = help: Keep the timeouts; for a statement that needs longer, give the migration its own with \`-- keel:lock-timeout 30s\` or \`-- keel:statement-timeout 10min\`."
    `)
  })

  it('leaves the near-misses alone', async () => {
    await lintOk("set lock_timeout = '5s';", ID)
    await lintOk('set statement_timeout = 1000;', ID)
  })

  // The top of `pg_dump --schema-only` from PostgreSQL 15.20 (a pasted baseline); test/cli/pg-dump-source.test.ts
  // migrates a real dump without --allow-unsafe.
  const header = [
    '--',
    '-- PostgreSQL database dump',
    '--',
    '',
    '',
    '',
    '-- Dumped from database version 15.20 (Debian 15.20-0+deb12u1)',
    '-- Dumped by pg_dump version 15.20 (Debian 15.20-0+deb12u1)',
    '',
    'SET statement_timeout = 0;',
    'SET lock_timeout = 0;',
    'SET idle_in_transaction_session_timeout = 0;',
    "SET client_encoding = 'UTF8';",
    'SET standard_conforming_strings = on;',
    "SELECT pg_catalog.set_config('search_path', '', false);",
    'SET check_function_bodies = false;',
    '',
    'CREATE TABLE public.t (id integer);',
    '',
  ].join('\n')

  it("exempts pg_dump's session header, and only it", async () => {
    await lintOk(header, ID)
    // A SET after the header's run of settings is the migration's own.
    const later = await findingsOf(`${header}SET lock_timeout = 0;\n`, ID)
    expect(later.map((f) => f.line)).toEqual([19])
    // Without pg_dump's banner (or with a statement before the SETs) the same SETs are flagged.
    expect((await findingsOf(header.replace('-- PostgreSQL database dump', '-- my dump'), ID)).length).toBe(2)
    expect(
      (await findingsOf(header.replace('SET statement_timeout', 'SELECT 1;\nSET statement_timeout'), ID)).length,
    ).toBe(2)
  })
})
