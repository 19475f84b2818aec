import type { Connection } from '../db/connection.js'

/**
 * The session settings one migration runs under (`RESET ALL` and its timeouts, see sessionSetup),
 * applied before its first statement. The first time a run uses a given setup it goes on its own, as
 * it always did; after that it travels in front of the migration's first transaction, saving a round
 * trip per migration. Settings that already applied once on this session cannot fail, so an error of
 * that message is never theirs.
 *
 * Settings sent in front of a transaction take effect at once but are undone if the transaction rolls
 * back, so a failed transaction puts them back (see {@link rollback}).
 */
export class SessionSetup {
  private pending = true

  constructor(
    private readonly conn: Connection,
    readonly sql: string,
    /** Setups that applied on this session during this run (shared by the run's migrations). */
    private readonly applied: Set<string> | undefined,
  ) {}

  /** Applies the settings on their own, unless they are in place already. */
  async apply(): Promise<void> {
    if (!this.pending) return
    await this.conn.exec(this.sql)
    this.pending = false
    this.applied?.add(this.sql)
  }

  /**
   * Text to put in front of the next transaction's `BEGIN`: the settings, when they are pending and
   * known to apply cleanly; otherwise they are applied on their own first and this is empty.
   */
  async prefix(): Promise<string> {
    if (!this.pending) return ''
    if (this.applied?.has(this.sql) === true) return `${this.sql};\n`
    await this.apply()
    return ''
  }

  /** The transaction that carried the prefix committed: the settings are in place. */
  committed(): void {
    this.pending = false
  }

  /**
   * Rolls back the session's failed transaction and puts the settings back in place, so that the
   * session is as if the settings had gone on their own. A broken connection is left to the caller's
   * next statement to report.
   */
  async rollback(): Promise<void> {
    const restore = this.pending ? `;\n${this.sql}` : ''
    await this.conn.exec(`ROLLBACK${restore}`).then(
      () => {
        this.pending = false
      },
      () => {},
    )
  }
}
