import { PGlite } from '@electric-sql/pglite'
import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import tar from 'tar-stream'
const db = new PGlite()
await db.waitReady
const FS = db.Module.FS
const prefix = db.Module.WASM_PREFIX
console.log('prefix', prefix)
async function load(name, file) {
  const data = gunzipSync(readFileSync(new URL(`./node_modules/@electric-sql/pglite/dist/${file}.tar.gz`, import.meta.url)))
  const ex = tar.extract()
  const done = new Promise((res, rej) => { ex.on('finish', res); ex.on('error', rej) })
  ex.on('entry', (h, stream, next) => {
    const chunks = []
    stream.on('data', (c) => chunks.push(c))
    stream.on('end', () => {
      const path = `${prefix}/${h.name}`
      if (h.type === 'directory') { if (!FS.analyzePath(path).exists) FS.mkdirTree(path) }
      else { const dir = path.slice(0, path.lastIndexOf('/')); if (!FS.analyzePath(dir).exists) FS.mkdirTree(dir); FS.writeFile(path, Buffer.concat(chunks)); console.log('wrote', path) }
      next()
    })
    stream.resume()
  })
  ex.end(data)
  await done
}
try { await db.exec('create extension citext') } catch (e) { console.log('before:', e.code, e.message) }
await load('citext', 'citext')
await load('pg_trgm', 'pg_trgm')
await db.exec('create extension citext; create extension pg_trgm; create table t (a citext); insert into t values (\'Abc\'); create index on t using gin (a gin_trgm_ops)')
console.log(await db.query("select * from t where a = 'aBC' and a % 'abc'"))
await db.close()
