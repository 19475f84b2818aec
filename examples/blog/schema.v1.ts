// The brief's blog schema (users, posts, tags). `keel init` starts new projects from this file.
import { bigint, boolean, index, table, text, timestamp, varchar } from 'keel/schema'

const timestamps = {
  createdAt: timestamp({ withTimeZone: true }).notNull().defaultNow(),
  updatedAt: timestamp({ withTimeZone: true }).notNull().defaultNow(),
}

export const users = table(
  'users',
  {
    id: bigint().primaryKey().generatedAlwaysAsIdentity(),
    email: varchar(255).notNull().unique(),
    name: varchar(255),
    ...timestamps,
  },
  undefined,
  { casing: 'snake_case' },
)

export const posts = table(
  'posts',
  {
    id: bigint().primaryKey().generatedAlwaysAsIdentity(),
    title: varchar(255).notNull(),
    body: text(),
    published: boolean().notNull().default(false),
    authorId: bigint().notNull().references(() => users.id, { onDelete: 'cascade' }),
    ...timestamps,
  },
  (t) => [index().on(t.authorId), index().on(t.published, t.createdAt)],
  { casing: 'snake_case' },
)

export const tags = table('tags', {
  id: bigint().primaryKey().generatedAlwaysAsIdentity(),
  name: text().notNull().unique(),
})
