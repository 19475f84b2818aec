import { execFileSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { join } from 'node:path'
import { openDatabase } from '../../dist/db/open.js'
import { getDialect } from '../../dist/dialect/registry.js'
import { diff } from '../../dist/diff/diff.js'
import { safePolicy } from '../../dist/plan/policy.js'
import { emptySchema } from '../../dist/schema/model.js'
import { applyPlan } from '../../dist/source/apply-plan.js'
import { prodSchemaSql, prodTableCount } from '../../test/support/prod-schema.mjs'
import { createDatabase, dropDatabase, execSql } from './databases.mjs'
import { measureRounds } from './measure.mjs'
import { KEEL_BIN } from './peers.mjs'
import { timedCommand } from './proc.mjs'
import { progress, timed } from './stats.mjs'

/**
 * The production-shaped schema of test/support/prod-schema.mjs at full size (`groups` groups: 7 or 8
 * tables each, partitions in another namespace, GIN/GiST indexes, triggers, NOT VALID checks):
 * 1. introspection, Keel's CLI against `pg_dump --schema-only`;
 * 2. convergence, timed: Keel's plan for diff(v1, v2) applied to v1, and for diff(empty, v2) applied to an
 *    empty database, each then compared with v2 by `pg_dump --schema-only` (a difference is an error in
 *    the table, not a number).
 */
export async function benchProd({ groups, runs, tmp }) {
  const tables = prodTableCount(groups, 2)
  progress(`production-shaped schema, ${tables} tables: ${runs} runs each`)
  const v2 = await createDatabase('prod_v2')
  const made = []
  try {
    await loadInBatches(v2.url, prodSchemaSql(groups, 2))
    const cwd = mkdtempSync(join(tmp, 'prod-'))
    const introspection = await measureRounds(
      [
        {
          id: 'prod.keel-cli-json',
          label: 'Keel CLI: keel inspect --format json (cold)',
          role: 'keel',
          fn: async () =>
            (await timedCommand('node', [KEEL_BIN, 'inspect', '--url', v2.url, '--format', 'json'], { cwd })).ms,
        },
        {
          id: 'prod.pg-dump',
          label: 'floor: pg_dump --schema-only',
          role: 'floor',
          fn: async () => (await timedCommand('pg_dump', ['--schema-only', v2.url])).ms,
        },
      ],
      runs,
    )
    const desired = await introspect(v2.url)
    const expected = dumpOf(v2.url)
    const converge = (id, label, fromVersion) => ({
      id,
      label,
      role: 'keel',
      fn: async () => {
        const db = await createDatabase(`prod_from_${fromVersion}`)
        made.push(db)
        if (fromVersion !== 0) await loadInBatches(db.url, prodSchemaSql(groups, fromVersion))
        const { ms } = await timed(async () => {
          const current = fromVersion === 0 ? emptySchema : await introspect(db.url)
          const conn = await openDatabase(db.url)
          try {
            const dialect = getDialect('postgres')
            await applyPlan(conn, dialect.plan(diff(current, desired, [], dialect).changes, safePolicy))
          } finally {
            await conn.close()
          }
        })
        const differences = countDifferences(dumpOf(db.url), expected)
        await dropDatabase(db)
        if (differences > 0) throw new Error(`${differences} pg_dump lines differ from v2 after applying Keel's plan`)
        return ms
      },
      detail: () => ({ tables, exactByPgDump: true }),
    })
    const convergence = await measureRounds(
      [
        converge('prod.converge-v1', 'Keel: introspect v1, diff to v2, plan, apply (pg_dump-equal)', 1),
        converge('prod.converge-empty', 'Keel: diff empty to v2, plan, apply (pg_dump-equal)', 0),
      ],
      Math.min(runs, 2),
    )
    return [...introspection, ...convergence]
  } finally {
    for (const db of made) await dropDatabase(db).catch(() => {})
    await dropDatabase(v2)
  }
}

/**
 * Loads the generated SQL 100 statements at a time: as one text (one implicit transaction) a schema this size
 * takes more locks than PostgreSQL's default lock table holds (max_locks_per_transaction 64): "out of shared memory".
 */
async function loadInBatches(url, sql) {
  const statements = sql.split(/;\n/).filter((s) => s.trim() !== '')
  for (let i = 0; i < statements.length; i += 100) await execSql(url, `${statements.slice(i, i + 100).join(';\n')};`)
}

async function introspect(url) {
  const conn = await openDatabase(url)
  try {
    return await getDialect('postgres').introspect(conn)
  } finally {
    await conn.close()
  }
}

/** pg_dump's statements, without comments, settings and psql meta-commands, sorted (name ties fall by OID). */
function dumpOf(url) {
  const text = execFileSync('pg_dump', ['--schema-only', '--no-owner', url], { encoding: 'utf8', maxBuffer: 1 << 28 })
  return text
    .split('\n')
    .filter((line) => line.trim() !== '' && !/^\s*--|^SET |^SELECT pg_catalog\.set_config|^\\(un)?restrict /.test(line))
    .join('\n')
    .split(/;\n/)
    .map((s) => s.trim())
    .sort()
}

function countDifferences(a, b) {
  const counts = new Map()
  for (const s of a) counts.set(s, (counts.get(s) ?? 0) + 1)
  for (const s of b) counts.set(s, (counts.get(s) ?? 0) - 1)
  return [...counts.values()].reduce((sum, n) => sum + Math.abs(n), 0)
}
