import { join, resolve, sep } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { displayPath } from './directory.js'
import { migrationFilePath } from './display-path-memo.js'

describe('migrationFilePath', () => {
  afterEach(() => {
    vi.restoreAllMocks()
  })

  // Working directories against the files of one migrations directory, in the order a run would ask.
  const root = resolve(sep, 'work', 'app')
  const cases = [
    root,
    join(root, 'migrations'),
    join(root, 'migrations', '20260101000000_a'),
    join(root, 'elsewhere'),
    resolve(sep, 'other'),
    resolve(sep),
  ]
  const files = [
    join(root, 'migrations', '20260101000000_a', 'up.sql'),
    join(root, 'migrations', '20260101000001_b', 'up.sql'),
    join(root, 'db', 'migrations', '20260101000000_a', 'down.sql'),
    join(root, 'up.sql'),
    resolve(sep, 'up.sql'),
    'migrations/20260101000000_a/up.sql',
    join(root, 'migrations', '..', 'x', 'up.sql'),
    join(root, 'migrations', '..dots', 'up.sql'),
  ]

  it('answers as displayPath does, wherever the working directory is', () => {
    for (const cwd of cases) {
      vi.spyOn(process, 'cwd').mockReturnValue(cwd)
      for (const file of files) expect(migrationFilePath(file), `${file} from ${cwd}`).toBe(displayPath(file))
    }
  })
})
