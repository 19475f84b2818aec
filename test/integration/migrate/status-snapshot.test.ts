/**
 * `keel status` prints again the report it recorded beside its checksum cache only while nothing that report was made
 * from changed (src/migrate/status-snapshot.ts): the folders (the cache's stats), keel.sum, the journal (a digest its
 * server computes) and the form. Each case first proves the recorded report is the one printed (a marker written into
 * it shows up), then changes one thing and expects the marker gone and the change reported, as a run without any
 * cache reports it. The built CLI, with its own XDG_CACHE_HOME, on PostgreSQL 15 and on an embedded PGlite.
 */
import { execFileSync } from 'node:child_process'
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../../src/db/open.js'
import { writtenRecently } from '../../../src/migrate/checksum-cache.js'
import { reuseDatabasesInFile, withReusedDatabase } from '../../support/ci-files-reused-databases.js'
import { runKeel } from '../../support/cli.js'
import { projectsDisposedAfterAll, type TestProject, withPgliteDir } from './project.js'

// The PostgreSQL cases' databases come emptied from the case before: a CREATE and a DROP DATABASE (and the checkpoint
// it waits for) fewer each. The one whose database gets a setting is not handed on (ci-files-reused-databases.ts).
reuseDatabasesInFile()

const newProject = projectsDisposedAfterAll()
const caches: string[] = []
afterAll(() => {
  for (const cache of caches) rmSync(cache, { recursive: true, force: true })
})

/** Waits until nothing under the project's migrations counts as recently written, so that status records it all. */
async function settled(project: TestProject): Promise<void> {
  const dir = project.migrations
  const paths = () => [dir, ...readdirSync(dir, { recursive: true }).map((p) => join(dir, String(p)))]
  while (paths().some((path) => writtenRecently(statSync(path), Date.now()))) {
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** A project with two applied-to-be migrations and `keel` run in it against `url` with a cache folder of its own. */
function statusProject(url: string) {
  const project = newProject()
  const cacheHome = mkdtempSync(join(tmpdir(), 'keel-status-snapshot-'))
  caches.push(cacheHome)
  const keel = (args: string[], env: Record<string, string> = {}, atUrl = url) =>
    runKeel([...args, '--url', atUrl], { cwd: project.root, env: { XDG_CACHE_HOME: cacheHome, ...env } })
  const a = project.add('20260101000000_create_a', {
    'up.sql': 'create table a (id int);\n',
    'down.sql': 'drop table a;\n',
  })
  const b = project.add('20260102000000_create_b', { 'up.sql': 'create table b (id int);\n' })
  const cacheFile = () => {
    const folder = join(cacheHome, 'keel')
    const files = readdirSync(folder).filter((name) => /^checksums-[0-9a-f]{16}$/.test(name))
    expect(files).toHaveLength(1)
    return join(folder, files[0] as string)
  }
  /** The file of the report in `form` beside the records (checksum-cache-file.ts reportFile). */
  const reportFile = (form = 'plain') => `${cacheFile()}.report-${form}`
  /** Where the report's text starts in its file: after the two header lines, the records' token and its first line. */
  const textStartIn = (bytes: Buffer) => {
    let at = 0
    for (let line = 0; line < 4; line++) at = bytes.indexOf(10, at) + 1
    return at
  }
  /**
   * Records the report (status run on settled files), writes a marker into its text (its first two characters, the
   * indent of the first migration's line, become `!!`: the file's lengths stay as they are), and checks that status
   * then prints it: the recorded report is in use.
   */
  const armed = async () => {
    await settled(project)
    const recorded = await keel(['status'])
    const file = reportFile()
    const bytes = readFileSync(file)
    const textStart = textStartIn(bytes)
    expect(bytes.toString('utf8', textStart, textStart + 2), 'a report is recorded').toBe('  ')
    bytes.write('!!', textStart, 'latin1')
    writeFileSync(file, bytes)
    const warm = await keel(['status'])
    expect(warm.stdout).toBe(recorded.stdout.replace(':\n  ', ':\n!!'))
    expect(warm.code).toBe(recorded.code)
  }
  /** Status as the recorded report would not have it: no marker, and the same as a run without any cache. */
  const fresh = async () => {
    const run = await keel(['status'])
    expect(run.stdout).not.toContain('!!')
    const uncached = await keel(['status'], { KEEL_CHECKSUM_CACHE: '0' })
    expect(run).toEqual(uncached)
    return run
  }
  return { project, keel, a, b, cacheFile, reportFile, armed, fresh }
}

describe('keel status with a recorded report', () => {
  it('on PostgreSQL: sees journal rows another runner wrote, edits, a missing folder, keel.sum, a damaged cache', async () => {
    await withReusedDatabase('postgres', async ({ url, conn }) => {
      const { project, keel, a, b, cacheFile, reportFile, armed, fresh } = statusProject(url)
      expect((await keel(['migrate'])).code).toBe(0)
      expect((await keel(['status'])).stdout).toBe((await keel(['status'], { KEEL_CHECKSUM_CACHE: '0' })).stdout)

      // Rows written by another runner: a failed run, a checksum, a row removed, a row without a folder. Each is put
      // back from a copy of the row between the cases.
      await conn.query(`create table saved as select * from keel_migrations where version = '20260102000000'`)
      const putBack = async () => {
        await conn.query(`delete from keel_migrations where version in ('20260102000000', '20260103000000')`)
        await conn.query('insert into keel_migrations select * from saved')
      }
      await armed()
      await conn.query(
        `update keel_migrations set status = 'failed', error = 'boom', completed_statements = 0 where version = '20260102000000'`,
      )
      const failed = await fresh()
      expect(failed.code).toBe(1)
      expect(failed.stdout).toContain('error[PARTIAL_MIGRATION]: 20260102000000_create_b failed at statement 1 of 1')
      // A password in a row's error: the report kept in the cache file has it redacted, as printed.
      await armed()
      await conn.query(
        `update keel_migrations set error = 'at postgres://u:sekret@h/db' where version = '20260102000000'`,
      )
      expect((await fresh()).stdout).toContain('postgres://u:***@h/db')
      expect(readFileSync(reportFile(), 'latin1')).toContain('postgres://u:***@h/db')
      expect(readFileSync(reportFile(), 'latin1')).not.toContain('sekret')
      await putBack()
      await armed()
      await conn.query(`update keel_migrations set checksum = 'n1:0' where version = '20260102000000'`)
      expect((await fresh()).stdout).toContain(
        'error[CHECKSUM_MISMATCH]: 20260102000000_create_b was edited after it was applied',
      )
      await putBack()
      await armed()
      await conn.query(`delete from keel_migrations where version = '20260102000000'`)
      expect((await fresh()).stdout).toMatch(/20260102000000_create_b +pending/)
      await putBack()
      await armed()
      await conn.query(
        `insert into keel_migrations (version, name, checksum, status, batch) values ('20260103000000', 'gone', 'n1:0', 'applied', 9)`,
      )
      expect((await fresh()).stdout).toContain('error[MISSING_MIGRATION]: 20260103000000_gone is applied')
      await putBack()

      // An applied migration rewritten with its size and mtime kept: only its ctime tells.
      await armed()
      const upSql = join(a, 'up.sql')
      const reference = join(project.root, 'mtime-reference')
      writeFileSync(reference, '')
      execFileSync('touch', ['-r', upSql, reference])
      writeFileSync(upSql, 'create table a (id i64);\n')
      execFileSync('touch', ['-r', reference, upSql])
      project.rehash()
      expect((await fresh()).stdout).toContain(
        'error[CHECKSUM_MISMATCH]: 20260101000000_create_a was edited after it was applied',
      )
      writeFileSync(upSql, 'create table a (id int);\n')
      project.rehash()

      // A folder gone, then keel.sum edited.
      await armed()
      const away = join(project.root, 'away')
      renameSync(b, away)
      expect((await fresh()).stdout).toContain('error[MISSING_MIGRATION]: 20260102000000_create_b is applied')
      renameSync(away, b)
      await armed()
      const sum = join(project.migrations, 'keel.sum')
      const flipLast = (_: string, line: string, last: string) => `${line}${last === 'f' ? '0' : 'f'}`
      writeFileSync(sum, readFileSync(sum, 'utf8').replace(/^(20260102000000_create_b \S*)(\w)$/m, flipLast))
      expect((await fresh()).stdout).toContain('error[SUM_MISMATCH]')
      project.rehash()
      // keel.sum is checked by its stat when it has the one recorded with the report: rewritten in place with its
      // size and mtime put back, its ctime tells.
      await armed()
      const reportHead = readFileSync(reportFile(), 'latin1').split('\n')[3] ?? ''
      expect(reportHead.split('\t')[2], "keel.sum's stat is recorded").toMatch(/^\d+(,[\d.]+){4}$/)
      execFileSync('touch', ['-r', sum, reference])
      writeFileSync(sum, readFileSync(sum, 'utf8').replace(/^(20260102000000_create_b \S*)(\w)$/m, flipLast))
      execFileSync('touch', ['-r', reference, sum])
      expect((await fresh()).stdout).toContain('error[SUM_MISMATCH]')
      project.rehash()

      // Another form (colours) makes its own report, and the plain one stays; a damaged cache file is read as none.
      await armed()
      const coloured = await keel(['status'], { NO_COLOR: '', FORCE_COLOR: '1' })
      expect(coloured.stdout).not.toContain('!!')
      expect(coloured.stdout).toContain('\u001b[32mapplied')
      expect((await keel(['status'])).stdout).toContain(':\n!!')
      truncateSync(cacheFile(), statSync(cacheFile()).size - 1)
      expect((await fresh()).code).toBe(0)
    })
  })

  it('prints the recorded --json report again while nothing changed, as a run without the cache prints it', async () => {
    await withReusedDatabase('postgres', async ({ url, conn }) => {
      const { project, keel, reportFile } = statusProject(url)
      expect((await keel(['migrate'])).code).toBe(0)
      await settled(project)
      const uncached = () => keel(['status', '--json'], { KEEL_CHECKSUM_CACHE: '0' })
      const recorded = await keel(['status', '--json'])
      expect(recorded).toEqual(await uncached())
      // Printed as every --json result is: the value, indented by two, and a newline.
      expect(recorded.stdout).toBe(`${JSON.stringify(JSON.parse(recorded.stdout), null, 2)}\n`)
      // A marker of the same length in the recorded text: printed again, the recorded report is in use.
      const bytes = readFileSync(reportFile('json'))
      const at = bytes.lastIndexOf('"journal": true')
      expect(at, 'a --json report is recorded').toBeGreaterThan(0)
      bytes.write('"journal": 1234', at, 'latin1')
      writeFileSync(reportFile('json'), bytes)
      const warm = await keel(['status', '--json'])
      expect(warm.stdout).toBe(recorded.stdout.replace('"journal": true', '"journal": 1234'))
      // The journal changed by another writer: made again, as without the cache.
      await conn.query(`update keel_migrations set status = 'failed', error = 'boom' where version = '20260102000000'`)
      const failed = await keel(['status', '--json'])
      expect(failed).toEqual(await uncached())
      expect(failed.code).toBe(1)
      expect(JSON.parse(failed.stdout).problems[0].code).toBe('PARTIAL_MIGRATION')
    })
  })

  it('records the report made again after the journal alone changed beside the records, which stay as they were', async () => {
    await withReusedDatabase('postgres', async ({ url, conn }) => {
      const { keel, cacheFile, reportFile, armed, fresh } = statusProject(url)
      expect((await keel(['migrate'])).code).toBe(0)
      await armed()
      const records = readFileSync(cacheFile())
      await conn.query(`update keel_migrations set duration_ms = duration_ms + 1 where version = '20260101000000'`)
      // Made again from the unchanged folders (each found by its stats alone) and the journal's rows.
      const remade = await fresh()
      expect(remade.code).toBe(0)
      expect(readFileSync(cacheFile())).toEqual(records)
      // Its report was recorded: with a marker written into it, the next status prints it.
      const bytes = readFileSync(reportFile())
      expect(bytes.includes('!!'), "the armed report's marker is gone").toBe(false)
      const at = bytes.indexOf('\n  20260101000000_create_a')
      expect(at, 'a report is recorded').toBeGreaterThan(0)
      bytes.write('!!', at + 1, 'latin1')
      writeFileSync(reportFile(), bytes)
      expect((await keel(['status'])).stdout).toBe(remade.stdout.replace(':\n  ', ':\n!!'))
    })
  })

  it('keeps a report per form: status and status --json in turn each print their own again', async () => {
    await withReusedDatabase('postgres', async ({ url }) => {
      const { keel, armed } = statusProject(url)
      expect((await keel(['migrate'])).code).toBe(0)
      // The plain report recorded with a marker in it, then the --json one made and recorded beside it.
      await armed()
      const json = await keel(['status', '--json'])
      expect(json).toEqual(await keel(['status', '--json'], { KEEL_CHECKSUM_CACHE: '0' }))
      const marked = await keel(['status'])
      expect(marked.stdout, 'the plain report recorded before --json ran is printed again').toContain(':\n!!')
      expect(await keel(['status', '--json'])).toEqual(json)
      expect((await keel(['status'])).stdout).toBe(marked.stdout)
    })
  })

  it("after the journal alone changed, takes keel.sum's recorded verdict; checks it again when keel.sum or a folder changed", async () => {
    await withReusedDatabase('postgres', async ({ url, conn }) => {
      const { project, keel, a, reportFile, armed, fresh } = statusProject(url)
      expect((await keel(['migrate'])).code).toBe(0)
      /** Writes a marker as keel.sum's recorded verdict (the report's first line's last field: checksum-cache-file.ts). */
      const plantVerdict = () => {
        const lines = readFileSync(reportFile(), 'utf8').split('\n')
        const head = (lines[3] ?? '').split('\t')
        expect(head[5], 'a verdict is recorded').toMatch(/^\[.*\]$/)
        head[5] = '["!!"]'
        lines[3] = head.join('\t')
        writeFileSync(reportFile(), lines.join('\n'))
      }
      const bumpJournal = () =>
        conn.query(`update keel_migrations set duration_ms = duration_ms + 1 where version = '20260101000000'`)
      await armed()
      plantVerdict()
      await bumpJournal()
      // Made again from the journal's rows, with keel.sum's verdict as recorded (the marker).
      const remade = await keel(['status'])
      expect(remade.stdout).toContain('error[SUM_MISMATCH]: !!')
      expect(remade.code).toBe(1)
      expect(remade.stdout.replace('\nerror[SUM_MISMATCH]: !!', '')).toBe(
        (await keel(['status'], { KEEL_CHECKSUM_CACHE: '0' })).stdout,
      )
      // keel.sum written again (the same text, a new ctime) with the journal changed: checked again. (The marker
      // is still the verdict recorded: it was taken again with the journal.)
      await armed()
      plantVerdict()
      await bumpJournal()
      const sum = join(project.migrations, 'keel.sum')
      writeFileSync(sum, readFileSync(sum))
      expect((await fresh()).code).toBe(0)
      // A folder's file edited with the journal changed: checked again, and keel.sum no longer matches it. First a
      // report made again on the settled keel.sum, so that its stat is recorded with it.
      await settled(project)
      await bumpJournal()
      await armed()
      expect((readFileSync(reportFile(), 'latin1').split('\n')[3] ?? '').split('\t')[2]).not.toBe('')
      plantVerdict()
      await bumpJournal()
      writeFileSync(join(a, 'down.sql'), 'drop table a cascade;\n')
      const edited = await fresh()
      expect(edited.stdout).toContain('error[SUM_MISMATCH]')
      expect(edited.stdout).toContain('error[CHECKSUM_MISMATCH]: 20260101000000_create_a was edited')
    })
  })

  it('on a server without sha256() (before PostgreSQL 11): reads every row each time, records no report', async () => {
    await withReusedDatabase('postgres', async ({ url, conn }) => {
      const { project, keel, cacheFile } = statusProject(url)
      expect((await keel(['migrate'])).code).toBe(0)
      // PostgreSQL 11 added sha256(); a server before it answers the digest's query with this error. Every new
      // session of this database finds this function first, ahead of pg_catalog's.
      await conn.query('create schema before_11')
      await conn.query(`create function before_11.sha256(bytea) returns bytea language plpgsql as $$
        begin raise exception using errcode = 'undefined_function', message = 'function sha256(bytea) does not exist'; end $$`)
      const [{ db } = { db: '' }] = await conn.query<{ db: string }>('select current_database() as db')
      await conn.query(`alter database "${db}" set search_path = before_11, pg_catalog, public`)
      await settled(project)
      const uncached = await keel(['status'], { KEEL_CHECKSUM_CACHE: '0' })
      expect(uncached.stdout).toMatch(/2 migrations: 2 applied\./)
      expect(await keel(['status'])).toEqual(uncached)
      expect(await keel(['status'])).toEqual(uncached)
      // No journal digest: no report is recorded (the records are, without a report file beside them).
      expect(existsSync(cacheFile())).toBe(true)
      expect(readdirSync(dirname(cacheFile())).filter((name) => name.includes('.report'))).toEqual([])
      // A row another runner changed is seen at once.
      await conn.query(`update keel_migrations set status = 'failed', error = 'boom' where version = '20260102000000'`)
      const failed = await keel(['status'])
      expect(failed.code).toBe(1)
      expect(failed.stdout).toContain('error[PARTIAL_MIGRATION]: 20260102000000_create_b failed')
      expect(failed).toEqual(await keel(['status'], { KEEL_CHECKSUM_CACHE: '0' }))
    })
  })

  it("does not print a report redacted with another URL's password", async () => {
    await withReusedDatabase('postgres', async ({ url, conn }) => {
      // The server trusts its clients: the same database through a URL with a password and one without.
      const withPassword = url.replace('://postgres@', '://postgres:first-secret@')
      expect(withPassword).not.toBe(url)
      const { project, keel } = statusProject(url)
      expect((await keel(['migrate'])).code).toBe(0)
      await conn.query(`update keel_migrations set error = 'refused first-secret' where version = '20260102000000'`)
      await settled(project)
      // Printed through the URL whose password it is, the error is scrubbed, as a run without cache scrubs it.
      const scrubbed = await keel(['status'], {}, withPassword)
      expect(scrubbed.stdout).toContain('refused ***')
      // The other URL has no such password: its run prints the error as it is, with a cache or without.
      const uncached = await keel(['status'], { KEEL_CHECKSUM_CACHE: '0' })
      expect(uncached.stdout).toContain('refused first-secret')
      expect(await keel(['status'])).toEqual(uncached)
    })
  })

  it('on an embedded PGlite: sees a journal row another process wrote', async () => {
    await withPgliteDir(async (url) => {
      const { keel, armed, fresh } = statusProject(url)
      expect((await keel(['migrate'])).code).toBe(0)
      await armed()
      const conn = await openDatabase(url, 'keel test')
      try {
        await conn.query(
          `update keel_migrations set status = 'partial', completed_statements = 0 where version = '20260101000000'`,
        )
      } finally {
        await conn.close()
      }
      const partial = await fresh()
      expect(partial.code).toBe(1)
      expect(partial.stdout).toContain('error[PARTIAL_MIGRATION]: 20260101000000_create_a partial')
    })
  })
})
