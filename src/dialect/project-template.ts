/**
 * What `keel init --dialect NAME` writes for a dialect: its keel.config.ts, a starter schema (the brief's blog in
 * the dialect's own SQL, or Keel's TypeScript DSL), and a .env with a local URL where the config reads DATABASE_URL.
 */
export interface ProjectTemplate {
  /** The dialect's name as `keel init --help` lists it (`mysql (MySQL or MariaDB)`). */
  readonly label: string
  /** The text of keel.config.ts. */
  readonly config: string
  /** The starter schema: its file name (which the config names) and text. */
  readonly schema: { readonly file: string; readonly text: () => string }
  /** The text of .env, where the config reads DATABASE_URL from it. */
  readonly env?: string
}
