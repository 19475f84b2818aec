import type { Connection } from '../../db/connection.js'
import { nestedTransactions } from '../../db/drivers/nested-transaction.js'
import { openDatabase } from '../../db/open.js'
import { closeWhenReuseEnds, scratchReuseAllowed } from '../../db/scratch-reuse.js'
import type { ScratchDatabase } from '../dialect.js'
import { type FreshScratchState, readFreshState, resetScratch } from './scratch-reset.js'

/** An in-memory PGlite made for scratch use, with how it looked fresh (undefined: it is not to be reused). */
interface ScratchPglite {
  readonly conn: Connection
  readonly fresh: FreshScratchState | undefined
}

/** The one kept between two uses in a scope of reuse (db/scratch-reuse.ts), emptied and checked fresh. */
let kept: ScratchPglite | undefined

/**
 * An in-memory PGlite: the scratch database beside PGlite, and when there is no server to go beside. In a scope of
 * reuse (`keel generate` makes two: the schema's and the migrations'), the one a previous use disposed of, reset to
 * what a fresh one is (scratch-reset.ts), else a new one; outside, a new one, closed when disposed.
 */
export async function createPgliteScratch(): Promise<ScratchDatabase> {
  const pglite = takeKept() ?? (await openScratchPglite())
  const lease = leaseOf(pglite.conn)
  let disposed = false
  return {
    url: 'pglite:memory',
    conn: lease.conn,
    async dispose() {
      if (disposed) return
      disposed = true
      lease.end()
      await giveBack(pglite)
    },
  }
}

function takeKept(): ScratchPglite | undefined {
  const pglite = kept
  kept = undefined
  return pglite
}

async function openScratchPglite(): Promise<ScratchPglite> {
  const conn = await openDatabase('pglite:memory')
  if (!scratchReuseAllowed()) return { conn, fresh: undefined }
  try {
    return { conn, fresh: await readFreshState(conn) }
  } catch {
    // Unknown as fresh, it is used once, like one made outside a scope of reuse.
    return { conn, fresh: undefined }
  }
}

/** Keeps a disposed scratch for the next use if it can be made fresh again and none is kept; else closes it. */
async function giveBack(pglite: ScratchPglite): Promise<void> {
  const reusable =
    pglite.fresh !== undefined &&
    scratchReuseAllowed() &&
    kept === undefined &&
    (await resetScratch(pglite.conn, pglite.fresh))
  // Checked again after the reset's await: another use may have given one back meanwhile, or the scope ended.
  if (reusable && kept === undefined && scratchReuseAllowed()) {
    kept = pglite
    closeWhenReuseEnds(closeKept)
    return
  }
  await pglite.conn.close()
}

async function closeKept(): Promise<void> {
  await takeKept()?.conn.close()
}

/**
 * The connection a user of the scratch gets: the PGlite's, refused once it is disposed (a stale reference would
 * otherwise reach the next user's database), with transactions of its own (their nesting depth is per use).
 */
function leaseOf(inner: Connection): { readonly conn: Connection; end(): void } {
  let ended = false
  const live = (): Connection => {
    if (ended) throw new Error('a scratch database was used after it was disposed')
    return inner
  }
  const conn: Connection = {
    dialect: inner.dialect,
    exclusive: inner.exclusive,
    description: inner.description,
    // Async, so that a refusal is a rejected promise like any other failure of a query.
    query: async <R>(sql: string, params?: readonly unknown[]) => live().query<R>(sql, params),
    exec: async (sql) => live().exec(sql),
    transaction: nestedTransactions(
      (sql) => live().exec(sql),
      () => conn,
    ),
    // Closed by its user: the reset then fails, and the PGlite is not kept.
    close: async () => live().close(),
  }
  return {
    conn,
    end() {
      ended = true
    },
  }
}
