/**
 * `keel push` reports a phased plan's backfill batch by batch, as `keel migrate` does: under --json one
 * `backfill` event per batch on stderr and the backfills in the result document; at a terminal one line
 * redrawn in place (backfillReporter on a stream that says it is a TTY).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { backfillReporter } from '../../src/cli/format/backfill-progress.js'
import { runKeel } from '../support/cli.js'
import { withDatabase } from '../support/databases.js'

const dir = mkdtempSync(join(tmpdir(), 'keel-push-progress-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
writeFileSync(join(dir, 'schema.sql'), 'create table t (id int primary key, n bigint);\n')

describe('keel push backfill progress', () => {
  it('emits one backfill event per batch under --json and sums them up in the result', async () => {
    await withDatabase('postgres', async ({ url, conn }) => {
      await conn.exec(
        'create table t (id int primary key, n int); insert into t select g, g from generate_series(1, 2500) g',
      )
      const pushed = await runKeel(['push', '--schema', 'schema.sql', '--url', url, '--json'], { cwd: dir })
      expect(pushed.code, pushed.stderr).toBe(0)
      const events = pushed.stderr
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line))
        .filter((e) => e.event === 'backfill')
      // 2,500 rows in batches of 1,000: three batches, the last one done.
      expect(events.map((e) => [e.table, e.batches, e.done])).toEqual([
        ['public.t', 1, false],
        ['public.t', 2, false],
        ['public.t', 3, true],
      ])
      expect(events.at(-1).rows).toBe(2500)
      expect(events[0].step).toMatch(/^step \d+ \(/)
      const result = JSON.parse(pushed.stdout)
      expect(result.backfills).toEqual([
        expect.objectContaining({ table: 'public.t', rows: 2500, batches: 3, durationMs: expect.any(Number) }),
      ])
      const [row] = await conn.query<{ n: number }>('select count(*)::int as n from t where n = id')
      expect(row?.n).toBe(2500)
    })
  }, 120_000)

  it('redraws one line at a terminal, rows and rate, and ends it with the total', () => {
    let written = ''
    const stream = { isTTY: true, write: (text: string) => (written += text) } as unknown as NodeJS.WriteStream
    const report = backfillReporter(false, stream)
    const base = { step: 'step 2 (Backfill)', table: 'public.t', estimatedRows: 2500 }
    report({ ...base, rows: 1000, batches: 1, elapsedMs: 500, done: false })
    report({ ...base, rows: 2500, batches: 3, elapsedMs: 1000, done: true })
    expect(written).toBe(
      '\r\x1b[2Kbackfill public.t: 1,000 of ~2,500 rows (40%), 2,000 rows/s, ETA 750ms' +
        '\r\x1b[2Kbackfill public.t: 2,500 rows in 3 batches, 1.0s\n',
    )
  })
})
