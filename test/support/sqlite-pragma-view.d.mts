/** Types of sqlite-pragma-view.mjs (plain JavaScript, shared with scripts/). */
export declare function sqlitePragmaView(conn: {
  query: (sql: string) => Promise<readonly Record<string, unknown>[]>
}): Promise<unknown>
