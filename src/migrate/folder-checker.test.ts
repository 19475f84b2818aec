import { once } from 'node:events'
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { type FolderRecords, folderChecker } from './folder-checker.js'

const root = mkdtempSync(join(tmpdir(), 'keel-folder-checker-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

/** `count` folders of up.sql and down.sql under `dir`, with their cache records as the checksum cache writes them. */
function recorded(dir: string, count: number): { readonly folders: string[]; readonly records: FolderRecords } {
  const folders: string[] = []
  const lines: string[] = []
  const numbers: number[] = []
  const numbersAt = new Int32Array(count)
  for (let i = 0; i < count; i++) {
    const folder = `2026010100000${i}_m${i}`
    const path = join(dir, folder)
    mkdirSync(path, { recursive: true })
    writeFileSync(join(path, 'down.sql'), `drop table m${i};\n`)
    writeFileSync(join(path, 'up.sql'), `create table m${i} (id int);\n`)
    folders.push(folder)
    lines.push(`${folder}\tdown.sql/up.sql\tn1:${i}\t`)
    numbersAt[i] = numbers.length
    for (const file of [path, join(path, 'down.sql'), join(path, 'up.sql')]) {
      const stat = statSync(file)
      numbers.push(stat.size, stat.mtimeMs, stat.ctimeMs, stat.ino, stat.dev)
    }
  }
  const text = lines.map((line) => `${line}\n`).join('')
  return { folders, records: { text, lines, numbersAt, numbers: Float64Array.from(numbers) } }
}

describe('folderChecker', () => {
  it('checks each folder on the main thread below workerFrom', () => {
    const dir = join(root, 'main')
    const { folders, records } = recorded(dir, 3)
    writeFileSync(join(dir, folders[1] as string, 'up.sql'), 'create table m1 (id bigint);\n')
    const checker = folderChecker(dir, records, 10)
    expect(checker.worker).toBeUndefined()
    expect(folders.map((folder, i) => checker.unchanged(i, join(dir, folder)))).toEqual([true, false, true])
  })

  it('has its worker check the folders from the end, each edit seen, a folder gone counted as changed', async () => {
    const dir = join(root, 'worker')
    const { folders, records } = recorded(dir, 6)
    writeFileSync(join(dir, folders[4] as string, 'down.sql'), 'drop table m4 cascade;\n')
    rmSync(join(dir, folders[2] as string), { recursive: true })
    writeFileSync(join(dir, folders[0] as string, 'notes.txt'), 'why\n')
    const checker = folderChecker(dir, records, 1, 'always')
    // The worker checks every folder while the main thread claims none; its exit (0) means it checked them all.
    const [code] = await once(checker.worker as NonNullable<typeof checker.worker>, 'exit')
    expect(code).toBe(0)
    const seen = folders.map((folder, i) => checker.unchanged(i, join(dir, folder)))
    expect(seen).toEqual([false, true, false, true, false, true])
  })
})
