import type { JournalHooks } from '../../runner.js'
import { dollarQuote, quoteIdent, quoteLiteral } from '../quote.js'
import { postgresJournalDigest } from './journal-digest.js'

/** keel_migrations on PostgreSQL: in a namespace of its own choosing, JSON in jsonb, times from the server's clock. */
export const postgresJournal: JournalHooks = {
  qualify: (namespace, table) => `${quoteIdent(namespace)}.${quoteIdent(table)}`,
  async exists(conn, namespace, table) {
    const rows = await conn.query(
      `select 1 from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
       where n.nspname = $1 and c.relname = $2`,
      [namespace, table],
    )
    return rows.length > 0
  },
  /**
   * Checks first: CREATE TABLE IF NOT EXISTS needs CREATE on the namespace even when the table exists, and CREATE
   * SCHEMA IF NOT EXISTS needs CREATE on the database even when the schema exists. The namespace's check and both
   * creations travel in one text (one round trip): the schema is created in a DO block only when it is missing.
   */
  async ensure(conn, namespace, table, knownMissing) {
    if (knownMissing !== true && (await postgresJournal.exists(conn, namespace, table))) return
    await conn.exec(journalCreationSql(namespace, table))
  },
  undoableCreation: (namespace, table) => ({
    create: journalCreationSql(namespace, table),
    exists: `select to_regclass(${quoteLiteral(`${quoteIdent(namespace)}.${quoteIdent(table)}`)}) is not null as ok`,
  }),
  // clock_timestamp(), not now(): rows written in one transaction keep their own times.
  now: 'clock_timestamp()',
  json: (parameter) => `${parameter}::jsonb`,
  // Text, parsed by the journal: the same whatever a driver does with json (node-postgres parses it, PGlite too).
  listAsJson: (table, columns) =>
    `select coalesce(json_agg(j order by j.version), '[]')::text as rows from (select ${columns} from ${table}) j`,
  listWithDigest: postgresJournalDigest,
  // statement_timestamp() is when the text arrived, for every statement of a multi-statement text.
  elapsedMs: (since = 'statement_timestamp()') => `(extract(epoch from clock_timestamp() - ${since}) * 1000)::integer`,
}

/** The namespace's check and both creations in one text: the schema is created in a DO block only when it is missing. */
function journalCreationSql(namespace: string, table: string): string {
  const createSchema = dollarQuote(
    `BEGIN IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = ${quoteLiteral(namespace)}) THEN CREATE SCHEMA IF NOT EXISTS ${quoteIdent(namespace)}; END IF; END`,
  )
  return `DO ${createSchema};
CREATE TABLE IF NOT EXISTS ${quoteIdent(namespace)}.${quoteIdent(table)} (
  version text PRIMARY KEY CHECK (version ~ '^[0-9]{14}$'),
  name text NOT NULL,
  checksum text NOT NULL,
  status text NOT NULL CHECK (status IN ('applied', 'partial', 'failed')),
  batch integer NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  duration_ms integer NOT NULL DEFAULT 0,
  completed_statements integer NOT NULL DEFAULT 0,
  total_statements integer,
  statement_hashes jsonb NOT NULL DEFAULT '[]',
  error text,
  failed_statement text,
  origin text NOT NULL DEFAULT 'migrate' CHECK (origin IN ('migrate', 'baseline', 'resolve'))
)`
}
