/**
 * Which server a MySQL-protocol session talks to. MariaDB and MySQL 8 differ where Keel decides things
 * (CHECK constraints, IF EXISTS forms, instant DDL, JSON, sequences, statement timeouts), so the flavour
 * and version are read once, when the session opens.
 */
export interface MysqlServer {
  readonly flavour: 'mariadb' | 'mysql'
  /** As VERSION() says it: `10.11.19-MariaDB-0+deb12u1`, `8.0.36`. */
  readonly version: string
  readonly major: number
  readonly minor: number
  readonly patch: number
}

/**
 * Reads VERSION(). A MariaDB reached through a proxy that speaks for MySQL 5.5 says `5.5.5-10.11.19-MariaDB`;
 * the real version follows that prefix.
 */
export function parseServerVersion(version: string): MysqlServer {
  const flavour = /mariadb/i.test(version) ? 'mariadb' : 'mysql'
  const numbers = version.replace(/^5\.5\.5-(?=\d+\.\d+\.\d+-MariaDB)/i, '')
  const [, major, minor, patch] = /^(\d+)\.(\d+)\.(\d+)/.exec(numbers) ?? []
  return { flavour, version, major: Number(major ?? 0), minor: Number(minor ?? 0), patch: Number(patch ?? 0) }
}

/** Whether the server is at least `major.minor` (of its own flavour's numbering). */
export function atLeast(server: MysqlServer, major: number, minor = 0): boolean {
  return server.major > major || (server.major === major && server.minor >= minor)
}
