/** What a command that changes a database does on its first Ctrl-C, once it has started changing it. */
export interface CtrlC {
  /** Aborted by the first Ctrl-C: the command stops at its next safe point (between transactions, between batches). */
  readonly signal: AbortSignal
  /** The first change is about to start: from now on the first Ctrl-C is caught. Idempotent. */
  applying(): void
  /** The command is done changing the database: Ctrl-C is the default again. */
  dispose(): void
}

/**
 * Ctrl-C (SIGINT) during `keel migrate`, `keel push` or `keel generate --apply`. Before the first change starts
 * nothing has changed, so it ends the process at once, as it always did. Once changes apply, the first Ctrl-C asks
 * the command to stop after what is running (a migration, or the several sent with it in one text; a transaction of
 * a pushed plan; a backfill batch), which commits or fails whole, instead of leaving the user to guess which of the
 * texts already sent the server went on to commit; a second Ctrl-C ends the process at once (the server still
 * commits or rolls back, whole, each transaction it was sent).
 *
 * @param say prints the notice of the first Ctrl-C (on stderr)
 * @param sent what is let finish, as the notice names it: "the migrations already sent to the server"
 */
export function stopOnCtrlC(say: (text: string) => void, sent: string): CtrlC {
  const controller = new AbortController()
  let applying = false
  const onSignal = () => {
    if (controller.signal.aborted) {
      process.off('SIGINT', onSignal)
      process.kill(process.pid, 'SIGINT')
      return
    }
    controller.abort()
    say(`Ctrl-C: stopping after ${sent} (Ctrl-C again to quit now)`)
  }
  return {
    signal: controller.signal,
    // Listened for from the first change on: before, the default action ends the process at once, even in the
    // middle of a long synchronous parse or lint (a listener runs only when the event loop turns).
    applying: () => {
      if (applying) return
      applying = true
      process.on('SIGINT', onSignal)
    },
    dispose: () => process.off('SIGINT', onSignal),
  }
}
