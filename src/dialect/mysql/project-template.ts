import type { ProjectTemplate } from '../project-template.js'

/** `keel init --dialect mysql`: DATABASE_URL from .env, and the brief's blog (users and posts) in MySQL's SQL (MariaDB reads it too). */
export const mysqlProjectTemplate: ProjectTemplate = {
  label: 'mysql (MySQL or MariaDB)',
  config: `import { defineConfig } from 'keel'

// DATABASE_URL (mysql://... or mariadb://...) comes from the environment or from .env. If it is unset, Keel
// stops with an error rather than touching another database.
export default defineConfig({
  url: process.env.DATABASE_URL,
  schema: 'schema.sql',
  migrations: 'migrations',
})
`,
  schema: {
    file: 'schema.sql',
    text: () => `CREATE TABLE users (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  email VARCHAR(255) NOT NULL UNIQUE,
  name VARCHAR(255) NOT NULL,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

CREATE TABLE posts (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  author_id BIGINT UNSIGNED NOT NULL,
  title VARCHAR(255) NOT NULL,
  body TEXT NOT NULL,
  published_at TIMESTAMP NULL,
  CONSTRAINT posts_author_id_fkey FOREIGN KEY (author_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

CREATE INDEX posts_author_id_idx ON posts (author_id);
`,
  },
  env: 'DATABASE_URL=mysql://root@localhost:3306/app\n',
}
