import { type OpenOptions, openDatabase } from '../db/open.js'
import { parseDatabaseUrl } from '../db/url.js'
import type { Migration } from '../migrate/directory.js'
import { readStatus } from '../migrate/read-status.js'
import type { LintOptions } from './lint.js'
import type { LintedFile } from './lint-migration.js'
import { readLiveFacts } from './live-facts.js'

/** Where the pending migrations are and which database they will run on. */
export interface PendingTarget {
  readonly url: string
  readonly migrationsDir: string
  readonly journalSchema?: string
  /** Only the migrations up to this version (or folder name), as `keel migrate --to` would run. */
  readonly to?: string
  /**
   * How long to wait for an embedded database another Keel process holds (as `keel migrate --lock-wait` waits):
   * without it, a second `keel migrate` on the same pglite: directory failed at once in its lint step.
   */
  readonly lockWaitMs?: number
  /** Told while it waits, so that a second `keel migrate` says whom it waits for instead of hanging silently. */
  readonly onLockWait?: OpenOptions['onLockWait']
}

/**
 * Lints the migrations `keel migrate` would run next (pending, or stopped part-way), judged with the facts of the
 * database they will run on: table sizes, column types and view dependencies as they are now.
 */
export async function lintPending(target: PendingTarget, options: LintOptions = {}): Promise<readonly LintedFile[]> {
  // Every dialect is linted as itself: the rules of its dialect list, over its runner's statements (lint-migration.ts).
  const kind = parseDatabaseUrl(target.url).kind
  const conn = await openDatabase(target.url, 'keel lint', {
    ...(target.lockWaitMs === undefined ? {} : { lockWaitMs: target.lockWaitMs }),
    ...(target.onLockWait === undefined ? {} : { onLockWait: target.onLockWait }),
  })
  let migrations: Migration[]
  let live: Awaited<ReturnType<typeof readLiveFacts>>
  try {
    const status = await readStatus({
      url: target.url,
      migrationsDir: target.migrationsDir,
      ...(target.journalSchema === undefined ? {} : { journalSchema: target.journalSchema }),
      connection: conn,
    })
    migrations = status.states.flatMap((s) =>
      s.kind === 'pending' || s.kind === 'partial' || s.kind === 'failed' ? [s.migration] : [],
    )
    live = await readLiveFacts(conn)
    const to = target.to
    if (to !== undefined) {
      const limit = migrations.find((m) => m.id === to || m.version === to)?.version ?? to
      migrations = migrations.filter((m) => m.version <= limit)
    }
    if (migrations.length === 0) return []
    // The SQL parser's WebAssembly loads only when there is something to parse: `keel migrate` with nothing
    // pending (or a database it cannot reach) starts without it.
    const [{ lintMigrationsInOrder }, { serverSyntaxOf }] = await Promise.all([
      import('./lint-migration.js'),
      import('./sql/parse-dialect.js'),
    ])
    // The connection stays open while linting: the server judges the statements its dialect's parser refuses.
    const serverSyntax = serverSyntaxOf(kind, conn)
    // In order, each knowing the ones before it (a generated contract's VALIDATE may be in the migration before).
    return await lintMigrationsInOrder(
      migrations.map((migration) => ({ migration })),
      { ...options, live, dialect: kind, ...(serverSyntax === undefined ? {} : { serverSyntax }) },
    )
  } finally {
    await conn.close()
  }
}
