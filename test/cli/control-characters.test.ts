/**
 * Terminal output escapes control characters that come from identifiers and files: a failing migration
 * naming a table called `evil<ESC>]0;pwned<BEL><CR>` shows `\x1B`, `\x07` and `\x0D`, and the terminal acts on none.
 */
import { afterAll, expect, it } from 'vitest'
import { createProject, runKeel } from '../integration/migrate/project.js'

const project = createProject()
afterAll(() => project.dispose())

it('an error naming an identifier with control characters escapes them', async () => {
  project.add('20260101000000_evil', { 'up.sql': 'select * from "evil\x1b]0;pwned\x07\r\x1b[2J";\n' })
  const result = await runKeel(project, 'pglite:memory', 'migrate')
  expect(result.code).toBe(1)
  expect(result.stderr).toMatch(/^error\[MIGRATION_FAILED\]: .*evil\\x1B\]0;pwned\\x07\\x0D\\x1B\[2J/m)
  for (const control of ['\x07', '\r', '\x1b']) expect(result.stderr).not.toContain(control)
})
