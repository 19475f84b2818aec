import type { ProjectTemplate } from '../project-template.js'

/** `keel init --dialect sqlite`: a SQLite file beside the project, and the brief's blog (users and posts) in SQLite's SQL. */
export const sqliteProjectTemplate: ProjectTemplate = {
  label: 'sqlite',
  config: `import { defineConfig } from 'keel'

// A SQLite file beside the project (created by the first push or migrate).
export default defineConfig({
  url: 'sqlite:app.db',
  schema: 'schema.sql',
  migrations: 'migrations',
})
`,
  schema: {
    file: 'schema.sql',
    text: () => `CREATE TABLE users (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  email TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE posts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  author_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  title TEXT NOT NULL,
  body TEXT NOT NULL DEFAULT '',
  published_at TEXT
);

CREATE INDEX posts_author_id_idx ON posts (author_id);
`,
  },
}
