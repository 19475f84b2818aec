import { PGlite } from '@electric-sql/pglite'
const names = process.argv.slice(2)
const exts = {}
for (const n of names) { const m = await import(`@electric-sql/pglite/contrib/${n}`); exts[n] = m[n] ?? Object.values(m)[0] }
const t = performance.now()
const db = new PGlite({ extensions: exts })
await db.waitReady
console.log(names.length, 'ext start ms', Math.round(performance.now() - t))
for (const n of names) { const t2 = performance.now(); await db.exec(`create extension "${n.replace('_','-') === 'uuid-ossp' ? 'uuid-ossp' : n}"`); console.log(n, Math.round(performance.now()-t2)) }
await db.close()
