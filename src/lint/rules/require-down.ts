import type { Rule } from '../rule.js'

/** The checklist's "rollback migration written and tested": without a down, `keel rollback` cannot undo it. */
export const requireDown: Rule = {
  id: 'require-down',
  severity: 'warning',
  dialects: 'all',
  summary: 'a migration folder without down.sql',
  why: "The migration safety checklist asks for a rollback migration, written and tested. Without down.sql, `keel rollback` cannot undo the migration, and a bad deploy can only be fixed forward. Generated migrations whose steps lose data have no down.sql on purpose, and say why in `keel generate`'s output.",
  help: 'Write down.sql (it restores the schema; say in it when data cannot come back), and check it with `keel check`, which runs up, down and up again on a scratch database.',
  examples: {
    bad: 'migrations/20261124093000_create_users/up.sql   (no down.sql)',
    good: 'migrations/20261124093000_create_users/up.sql\nmigrations/20261124093000_create_users/down.sql',
  },
  *checkMigration(migration) {
    if (migration.hasDown) return
    yield { message: `${migration.id} has no down: \`keel rollback\` cannot undo it` }
  },
}
