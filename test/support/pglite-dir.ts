import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { freshDataDir } from '../../src/db/drivers/pglite-template.js'

/**
 * Makes `dir` an initialised, empty PGlite database: the saved template that in-memory scratch databases load
 * (src/db/drivers/pglite-template.ts), untarred. A command then opens it as an existing database instead of
 * running initdb in WebAssembly (seconds, and far more on a loaded CI machine). For tests whose point is not
 * the first initialisation of a directory; that path keeps its own tests (the embedded default database).
 */
export async function seedPgliteDir(dir: string): Promise<void> {
  untar(Buffer.from(await (await freshDataDir()).arrayBuffer()), dir)
}

/** Writes the directories and regular files of a ustar archive (what PGlite's dumpDataDir makes) under `dir`. */
function untar(tar: Buffer, dir: string): void {
  const field = (header: Buffer, start: number, length: number): string =>
    header.toString('latin1', start, start + length).replace(/\0.*$/s, '')
  for (let at = 0; at + 512 <= tar.length; ) {
    const header = tar.subarray(at, at + 512)
    const name = field(header, 0, 100)
    if (name === '') break
    const prefix = field(header, 345, 155)
    const path = join(dir, prefix === '' ? name : `${prefix}/${name}`)
    const size = Number.parseInt(field(header, 124, 12).trim() || '0', 8)
    const mode = Number.parseInt(field(header, 100, 8).trim() || '600', 8)
    const type = field(header, 156, 1)
    if (type === '5') mkdirSync(path, { recursive: true, mode })
    else if (type === '0' || type === '') {
      mkdirSync(dirname(path), { recursive: true })
      writeFileSync(path, tar.subarray(at + 512, at + 512 + size), { mode })
    } else throw new Error(`the PGlite template holds ${path} of tar type ${type}, which untar does not write`)
    at += 512 + Math.ceil(size / 512) * 512
  }
}
