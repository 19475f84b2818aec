/** Types of torture.mjs (plain JavaScript, shared with scripts/torture.mjs). */
import type { Connection } from '../../../src/db/connection.js'

export interface TortureProject {
  readonly root: string
  readonly migrations: string
  readonly config: string
  dispose(): void
}
export type ChildResult =
  | { readonly kind: 'killed' }
  | { readonly kind: 'done'; readonly ms: number }
  | { readonly kind: 'failed'; readonly stderr: string }
export interface Counters {
  readonly tags: Readonly<Record<string, number>>
  readonly hits: Readonly<Record<string, number>>
  readonly journal: readonly string[]
}
export interface TortureResult {
  readonly kills: number
  readonly episodes: number
  readonly doubles: number
  readonly misses: number
  /** Kills of the CLI (every fourth), and of those the ones that landed before its first migration started. */
  readonly cliKills: number
  readonly lintKills: number
  /** Tamper cases tried (one after every third kill), by name. */
  readonly tampers: number
  readonly tamperNames: Readonly<Record<string, number>>
  readonly problems: readonly string[]
}
export declare const TAGS: readonly string[]
export declare const ROWS: number
export declare function prng(seed: number): () => number
export declare function tortureMigrations(): Readonly<Record<string, Readonly<Record<string, string>>>>
export declare function writeTortureProject(): Promise<TortureProject>
export declare function runChild(url: string, migrations: string, killAfterMs?: number): Promise<ChildResult>
export declare function runCli(
  url: string,
  project: TortureProject,
  killAfterMs?: number,
): Promise<
  | { readonly kind: 'killed'; readonly phase: 'lint' | 'statements' }
  | { readonly kind: 'done'; readonly lintMs: number; readonly ms: number }
  | { readonly kind: 'failed'; readonly stderr: string }
>
export declare function runKeelMigrate(
  project: TortureProject,
  url: string,
): Promise<{ readonly code: number | null; readonly stdout: string; readonly stderr: string }>
export declare function schemaOf(url: string): Promise<string>
export declare function countersOf(conn: Connection): Promise<Counters>
export declare function doublesIn(counters: Counters): { readonly tags: readonly string[]; readonly rows: number }
export declare function torture(options: {
  readonly serverUrl: string
  readonly seed: number
  readonly kills: number
  readonly log?: (line: string) => void
}): Promise<TortureResult>
export declare function concurrentRunners(
  url: string,
  runners: number,
): Promise<{
  readonly results: readonly (ChildResult | { code: number | null; stdout: string; stderr: string })[]
  readonly project: TortureProject
}>
