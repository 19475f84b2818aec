/** Types of server-stats.mjs (plain JavaScript, run by the benchmarks and tested in test/bench/). */
export declare function serverVersionNum(
  query: (sql: string) => Promise<{ rows: Record<string, unknown>[] }>,
): Promise<number>
export declare function checkpointerSql(versionNum: number): string
export declare function walSql(versionNum: number): string
export declare function createDatabaseSql(
  name: string,
  options: { template?: string; strategy?: 'file_copy' | 'wal_log' },
  versionNum: number,
): string
