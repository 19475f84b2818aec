/**
 * The property-based round trip on MariaDB, both ways: for random schema pairs (A, B) written as MySQL SQL (see
 * random-mysql-schema.ts), Keel's plan for diff(A, B) applied to a database holding A gives B, and the plan for
 * diff(B, A) applied after it gives A back. Each side is judged twice: by Keel's own diff (nothing left), and by
 * `mariadb-dump --no-data` of the database against the dump of the same schema loaded from its SQL (normalised
 * only in what the server orders by the history of the table: AUTO_INCREMENT counters, the order of KEY and
 * CONSTRAINT lines). Renames come as hints (the differ's renames). Every ALTER the plan emits names the
 * ALGORITHM (and LOCK) it claims; MariaDB refuses an ALGORITHM it cannot honour, so a plan that applies proves
 * its claims. DDL costs the server ~60 ms a statement, so pairs run several at a time, each in its own databases.
 * KEEL_MYSQL_PAIRS sets the count (default 60); KEEL_MYSQL_SEED the seed.
 */
import { execFile } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { promisify } from 'node:util'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Connection } from '../../src/db/connection.js'
import { createScratchDatabase } from '../../src/db/scratch.js'
import { getDialect } from '../../src/dialect/registry.js'
import type { Rename } from '../../src/diff/change.js'
import { diff } from '../../src/diff/diff.js'
import { safePolicy } from '../../src/plan/policy.js'
import type { Schema } from '../../src/schema/model.js'
import { applyPlan } from '../../src/source/apply-plan.js'
import { MYSQL_URL } from '../support/databases.js'
import { mysqlSchemaPairArb, renderMysqlSchema, type SpecRename } from '../support/random-mysql-schema.js'
import { runScript } from '../support/run-script.js'

const mysql = getDialect('mysql')
const PAIRS = Number(process.env.KEEL_MYSQL_PAIRS ?? 60)
const PARALLEL = 4
const SEED = Number(process.env.KEEL_MYSQL_SEED ?? 20261205)
const run = promisify(execFile)

describe('round trip on mariadb', () => {
  it(`diff(A, B) applied to A gives B and diff(B, A) gives A back, by Keel and by mariadb-dump (${PAIRS} pairs)`, async () => {
    const pairs = fc.sample(mysqlSchemaPairArb, { numRuns: PAIRS, seed: SEED })
    const failures: string[] = []
    let next = 0
    const worker = async (): Promise<void> => {
      while (next < pairs.length) {
        const i = next++
        const pair = pairs[i] as (typeof pairs)[number]
        const failure = await roundTrip(renderMysqlSchema(pair.a), renderMysqlSchema(pair.b), pair.renames)
        if (failure !== undefined) failures.push(`pair ${i}: ${failure}`)
      }
    }
    await Promise.all(Array.from({ length: PARALLEL }, worker))
    if (failures.length > 0) console.error(`${failures.length} of ${PAIRS} pairs failed`)
    if (process.env.KEEL_MYSQL_FAILURES) writeFileSync(process.env.KEEL_MYSQL_FAILURES, failures.join('\n=====\n'))
    expect(failures.slice(0, 3).join('\n=====\n')).toBe('')
  }, 600_000)
})

const toRename = (r: SpecRename): Rename =>
  r.kind === 'table'
    ? { kind: 'table', from: { name: r.from }, to: { name: r.to } }
    : { kind: 'column', table: { name: r.table }, from: r.from, to: r.to }

/** The renames that undo `renames` (a column of a renamed table is named by the table's old name). */
function reverseRenames(renames: readonly SpecRename[]): SpecRename[] {
  const tables = new Map(renames.flatMap((r) => (r.kind === 'table' ? [[r.to, r.from] as const] : [])))
  return renames.map((r) =>
    r.kind === 'table'
      ? { kind: 'table', from: r.to, to: r.from }
      : { kind: 'column', table: tables.get(r.table) ?? r.table, from: r.to, to: r.from },
  )
}

async function roundTrip(sqlA: string, sqlB: string, renames: readonly SpecRename[]): Promise<string | undefined> {
  const work = await createScratchDatabase(MYSQL_URL, 'keel_rt')
  const ref = await createScratchDatabase(MYSQL_URL, 'keel_rt')
  let planText = ''
  try {
    await runScript(ref.conn, [sqlB])
    const b = await mysql.introspect(ref.conn)
    const dumpB = await dump(ref.url)
    await runScript(work.conn, [sqlA])
    const a = await mysql.introspect(work.conn)
    const dumpA = await dump(work.url)
    for (const [label, from, to, hints, dumpTo] of [
      ['forward', a, b, renames, dumpB],
      ['reverse', b, a, reverseRenames(renames), dumpA],
    ] as const) {
      planText = await applyDiff(work.conn, from, to, hints.map(toRename))
      const left = diff(await mysql.introspect(work.conn), to).changes
      if (left.length > 0)
        throw new Error(`${label}: Keel finds drift after apply: ${JSON.stringify(left).slice(0, 800)}`)
      const got = await dump(work.url)
      if (got !== dumpTo) throw new Error(`${label}: mariadb-dump differs:\n${lineDiff(dumpTo, got)}`)
    }
    return undefined
  } catch (error) {
    const renamed = renames.length === 0 ? '' : `\nrenames: ${JSON.stringify(renames)}`
    return `${error instanceof Error ? error.message : String(error)}\n---\nA:\n${sqlA}\nB:\n${sqlB}${renamed}\nplan:\n${planText}`
  } finally {
    await work.dispose()
    await ref.dispose()
  }
}

/** Plans diff(from, to) and applies it; the plan's SQL, for the report. */
async function applyDiff(conn: Connection, from: Schema, to: Schema, renames: readonly Rename[]): Promise<string> {
  const result = diff(from, to, renames)
  const plan = mysql.plan(result.changes, safePolicy, { from, to })
  const text = plan.steps.map((s) => s.sql).join(';\n')
  try {
    await applyPlan(conn, plan)
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)}\nplan:\n${text}`)
  }
  return text
}

/**
 * `mariadb-dump --no-data` of a database, without what differs by history rather than by schema: the
 * AUTO_INCREMENT counter, and the order of index and constraint lines (InnoDB lists them as they were added).
 */
async function dump(url: string): Promise<string> {
  const db = new URL(url).pathname.slice(1)
  const { stdout } = await run('mariadb-dump', [
    '-h',
    '127.0.0.1',
    '-u',
    'root',
    '--no-data',
    '--skip-dump-date',
    '--skip-comments',
    db,
  ])
  return stdout
    .replace(/ AUTO_INCREMENT=\d+/g, '')
    .replace(/(CREATE TABLE [^\n]*\n)((?: {2}[^\n]*\n)+)(\))/g, (_m, head: string, body: string, close: string) => {
      const lines = body
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => l.replace(/,$/, ''))
      const columns = lines.filter((l) => l.startsWith('  `'))
      const rest = lines.filter((l) => !l.startsWith('  `')).sort()
      return `${head}${[...columns, ...rest].join(',\n')}\n${close}`
    })
}

function lineDiff(want: string, got: string): string {
  const w = want.split('\n')
  const g = got.split('\n')
  const out: string[] = []
  for (let i = 0; i < Math.max(w.length, g.length); i++) if (w[i] !== g[i]) out.push(`- ${w[i] ?? ''}\n+ ${g[i] ?? ''}`)
  return out.slice(0, 12).join('\n')
}
