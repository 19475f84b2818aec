// Version 2: users.name is renamed to full_name (hinted, so no data is lost), posts gain a status enum
// and a partial index, and posts and tags get a join table.
import { bigint, boolean, enumType, index, primaryKey, sql, table, text, timestamp, varchar } from 'keel/schema'

const timestamps = {
  createdAt: timestamp({ withTimeZone: true }).notNull().defaultNow(),
  updatedAt: timestamp({ withTimeZone: true }).notNull().defaultNow(),
}

export const postStatus = enumType('post_status', ['draft', 'review', 'published'])

export const users = table(
  'users',
  {
    id: bigint().primaryKey().generatedAlwaysAsIdentity(),
    email: varchar(255).notNull().unique(),
    fullName: varchar(255).renamedFrom('name'),
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
    status: postStatus().notNull().default('draft'),
    authorId: bigint().notNull().references(() => users.id, { onDelete: 'cascade' }),
    ...timestamps,
  },
  (t) => [index().on(t.authorId), index().on(t.published, t.createdAt), index('posts_review_idx').on(t.createdAt).where(sql`status = 'review'`)],
  { casing: 'snake_case' },
)

export const tags = table('tags', {
  id: bigint().primaryKey().generatedAlwaysAsIdentity(),
  name: text().notNull().unique(),
})

export const postTags = table(
  'post_tags',
  {
    postId: bigint().notNull().references(() => posts.id, { onDelete: 'cascade' }),
    tagId: bigint().notNull().references(() => tags.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey(t.postId, t.tagId), index().on(t.tagId)],
  { casing: 'snake_case' },
)
