/**
 * The import boundaries that biome.json enforces (STYLE.md conventions 3 and 4, issue 8), proven on files that
 * break them: biome runs with the project's own configuration on a scratch tree mirroring src/, and must name each
 * violation (and none of the allowed imports).
 *
 * - the pure core (schema/, diff/, plan/, lint/rules/) imports no IO: node:*, drivers, db/, source/, migrate/,
 *   cli/, config/, and nothing of dialect/ but the type DialectName;
 * - outside src/dialect/, nothing imports from inside a dialect's folder (only through registry.ts / runtimes.ts);
 * - a dialect's folder does not import another dialect's.
 */
import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, expect, test } from 'vitest'

const root = join(import.meta.dirname, '../..')
const dir = mkdtempSync(join(tmpdir(), 'keel-import-boundaries-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const files: Record<string, string> = {
  'src/diff/io.ts': "import { readFileSync } from 'node:fs'\nexport const a = readFileSync\n",
  'src/plan/db.ts': "import { openDatabase } from '../db/open.js'\nexport const a = openDatabase\n",
  'src/diff/registry.ts': "import { getDialect } from '../dialect/registry.js'\nexport const a = getDialect\n",
  'src/lint/rules/folder.ts':
    "import { quoteIdent } from '../../dialect/postgres/quote.js'\nexport const a = quoteIdent\n",
  'src/cli/commands/folder.ts':
    "import { quoteIdent } from '../../dialect/sqlite/quote.js'\nexport const a = quoteIdent\n",
  'src/migrate/folder.ts':
    "import { mysqlRunner } from '../dialect/mysql/runner/hooks.js'\nexport const a = mysqlRunner\n",
  'src/dialect/sqlite/cross.ts': "import { quoteIdent } from '../postgres/quote.js'\nexport const a = quoteIdent\n",
  // Allowed: the type DialectName in the core, the registry outside the core, a dialect's own files.
  'src/plan/name.ts': "import type { DialectName } from '../dialect/registry.js'\nexport type A = DialectName\n",
  'src/cli/commands/registry.ts': "import { runtimeOf } from '../../dialect/runtimes.js'\nexport const a = runtimeOf\n",
  'src/dialect/sqlite/own.ts': "import { quoteIdent } from './quote.js'\nexport const a = quoteIdent\n",
}

test('biome.json names each import across a boundary, and only those', () => {
  copyFileSync(join(root, 'biome.json'), join(dir, 'biome.json'))
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true })
    writeFileSync(join(dir, file), text)
  }
  let output = ''
  try {
    execFileSync(join(root, 'node_modules/.bin/biome'), ['lint', '--max-diagnostics=100', 'src'], {
      cwd: dir,
      encoding: 'utf8',
      stdio: 'pipe',
    })
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string }
    output = `${e.stdout ?? ''}${e.stderr ?? ''}`
  }
  const flagged = [...output.matchAll(/^(src\/\S+?):\d+:\d+ lint\/style\/noRestrictedImports/gm)]
    .map((m) => m[1])
    .sort()
  expect(flagged).toEqual([
    'src/cli/commands/folder.ts',
    'src/dialect/sqlite/cross.ts',
    'src/diff/io.ts',
    'src/diff/registry.ts',
    'src/lint/rules/folder.ts',
    'src/migrate/folder.ts',
    'src/plan/db.ts',
  ])
}, 30_000)
