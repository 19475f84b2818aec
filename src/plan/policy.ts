/**
 * A Policy tells the planner how careful to be. The safe policy (the default for generated
 * migrations) rewrites risky steps into online-safe sequences; the direct policy gives the naive
 * plan, which `push` uses on development databases and `--unsafe` asks for by name.
 *
 * Data loss is not a policy: every step states whether it loses data, and the commands decide.
 */
export interface Policy {
  /** Online-safe rewrites on (CONCURRENTLY, NOT VALID + VALIDATE, ...). */
  readonly safe: boolean
}

export const safePolicy: Policy = { safe: true }

export const directPolicy: Policy = { safe: false }
