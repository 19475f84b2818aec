import { prodTableCount } from '../../test/support/prod-schema.mjs'
import { formatMs, formatRatio } from './stats.mjs'

/**
 * The comparisons the table shows: for each job, Keel's measurement beside a floor or a peer, with
 * the ratio Keel ÷ other (below 1: Keel is faster; above 1: Keel is slower). A measurement that
 * failed or could not run shows its reason instead of a number.
 */
export function comparisons(config) {
  const { tables, largeTables, pullTables, onlineRows, prodGroups } = config
  return [
    {
      job: 'CLI start-up (no database)',
      rows: [
        ['startup.keel-version', 'startup.node'],
        ['startup.keel-help', 'startup.node'],
        ['startup.keel-version', 'startup.knex'],
        ['startup.keel-version', 'startup.drizzle-kit'],
        ['startup.keel-help', 'startup.node-pg-migrate'],
      ],
    },
    {
      job: `introspect ${fmt(tables)} tables`,
      rows: [
        ['introspect.keel-library', 'introspect.pg-dump'],
        ['introspect.keel-cli-json', 'introspect.pg-dump'],
      ],
    },
    {
      job: `introspect ${fmt(largeTables ?? 0)} tables`,
      rows: [
        ['large.keel-library', 'large.pg-dump'],
        ['large.keel-cli-json', 'large.pg-dump'],
      ],
    },
    {
      job: `introspect ${fmt(pullTables)} tables`,
      rows: [
        ['pull.keel-cli-ts', 'pull.drizzle-kit'],
        ['pull.keel-cli-json', 'pull.drizzle-kit'],
        ['pull.keel-library', 'pull.pg-dump'],
        ['pull.keel-cli-json', 'pull.pg-dump'],
      ],
    },
    {
      job: `diff + plan, ${fmt(tables)} tables (10% changed)`,
      rows: [
        ['diff.keel-diff', 'diff.deep-equal'],
        ['diff.keel-plan', undefined],
        ['diff.keel-diff-plan', 'diff.deep-equal'],
      ],
    },
    {
      job: `production-shaped schema, ${fmt(prodTableCount(prodGroups ?? 0, 2))} tables`,
      rows: [
        ['prod.keel-cli-json', 'prod.pg-dump'],
        // Timed for the record; their proof is that pg_dump finds no difference (a difference fails the row).
        ['prod.converge-v1', undefined],
        ['prod.converge-empty', undefined],
      ],
    },
    ...(config.migrateCounts ?? []).map((count) => {
      const id = (tool) => `migrate.${count}.${tool}`
      return {
        job: `apply ${fmt(count)} migrations`,
        rows: [
          [id('keel'), id('psql')],
          [id('keel'), id('psql-single')],
          [id('keel'), id('knex')],
          [id('keel'), id('node-pg-migrate')],
          [id('keel'), id('drizzle-kit')],
          [id('keel'), id('best-peer')],
          // With BENCH_KEEL_BASELINE: the other build beside the floor, and this one against it.
          [id('keel-baseline'), id('psql')],
          [id('keel'), id('keel-baseline')],
        ],
      }
    }),
    ...(config.statusCounts ?? []).map((count) => {
      const id = (tool) => `status.${count}.${tool}`
      return {
        job: `status, ${fmt(count)} applied`,
        rows: [
          [id('keel'), id('psql')],
          [id('keel'), id('node')],
          [id('keel'), id('knex')],
          [id('keel-changed'), id('node')],
          [id('keel-changed'), id('knex')],
        ],
      }
    }),
    {
      job: 'SQLite: apply Sakila (16 tables, 5 views, 30 triggers) to an empty file',
      rows: [['sqlite.apply.keel', 'sqlite.apply.sqlite3']],
    },
    {
      job: 'SQLite: introspect Sakila',
      rows: [['sqlite.introspect.keel', 'sqlite.introspect.sqlite3']],
    },
    {
      job: `MariaDB: introspect ${fmt(config.mysqlTables ?? 0)} tables`,
      rows: [['mysql.introspect.keel-cli-json', 'mysql.introspect.mariadb-dump']],
    },
    {
      job: `MariaDB: apply ${fmt(config.mysqlMigrations ?? 0)} migrations`,
      rows: [['mysql.migrate.keel', 'mysql.migrate.mariadb']],
    },
    {
      job: `lint ${fmt(config.lintFiles ?? 0)} migration files`,
      rows: [['lint.keel', 'lint.squawk']],
    },
    {
      job: `index + FK + check + NOT NULL + unique on ${fmt(onlineRows)} rows, 4 writers`,
      rows: [['online.safe', 'online.naive']],
    },
  ]
}

/** The results table as Markdown (it goes to stdout and, by hand, into README.md). */
export function renderTable(config, measurements) {
  const byId = new Map(measurements.map((m) => [m.id, m]))
  const lines = ['| job | Keel | Keel median | versus | its median | Keel ÷ versus |', '|---|---|--:|---|--:|--:|']
  const rows = []
  for (const group of comparisons(config)) {
    for (const [keelId, otherId] of group.rows) {
      const keel = byId.get(keelId)
      if (!keel) continue // a section left out with BENCH_ONLY
      const other = otherId === undefined ? undefined : byId.get(otherId)
      if (otherId !== undefined && !other) continue
      const ratio = keel.medianMs !== null && other?.medianMs ? keel.medianMs / other.medianMs : Number.NaN
      rows.push({
        job: group.job,
        keel: keelId,
        versus: otherId ?? null,
        ratio: Number.isFinite(ratio) ? round(ratio) : null,
      })
      lines.push(
        `| ${group.job} | ${name(keel)} | ${value(keel)} | ${other ? name(other) : '—'} | ${other ? value(other) : '—'} | ${formatRatio(ratio)} |`,
      )
    }
  }
  return { markdown: lines.join('\n'), rows }
}

function name(m) {
  return m.label.replace(/^(floor|peer): /, '').replace(/\|/g, '\\|')
}

function value(m) {
  if (m.medianMs === null) return `**not measured**: ${m.error.replace(/\|/g, '\\|')}`
  return `${formatMs(m.medianMs)} (n=${m.runsMs.length})`
}

function fmt(n) {
  return n.toLocaleString('en-US')
}

function round(x) {
  return Math.round(x * 1000) / 1000
}
