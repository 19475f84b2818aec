import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

/**
 * Prisma Migrate itself, as an oracle: the schema engine that `prisma migrate diff` runs, from npm as
 * WebAssembly (@prisma/schema-engine-wasm, a devDependency), so that no engine binary is downloaded.
 * `prismaMigrateDiff(files)` is `prisma migrate diff --from-empty --to-schema <files> --script`.
 */
export async function prismaMigrateDiff(
  files: readonly { readonly path: string; readonly content: string }[],
  url: string,
): Promise<string> {
  // Prisma 7 refuses a datasource `url` in the schema (it moved to prisma.config.ts); Prisma 6 read it
  // and created the same tables. The oracle gets the schema without it.
  files = files.map((f) => ({ ...f, content: f.content.replace(/^\s*url\s*=.*$/m, '') }))
  const engine = await schemaEngine(files, url)
  try {
    const result = await engine.diff({
      from: { tag: 'empty' },
      to: { tag: 'schemaDatamodel', files: files.map((f) => ({ path: f.path, content: f.content })) },
      script: true,
      exitCode: null,
      filters: { externalTables: [], externalEnums: [] },
    })
    return result.stdout ?? ''
  } finally {
    engine.free()
  }
}

interface Engine {
  diff(params: unknown): Promise<{ stdout: string | null }>
  free(): void
}

const require = createRequire(import.meta.url)
let bindings: Promise<{ SchemaEngine: { new: (...args: unknown[]) => Promise<Engine> } }> | undefined

async function schemaEngine(files: readonly { path: string; content: string }[], url: string): Promise<Engine> {
  // The package imports its .wasm the way bundlers do; Node needs it instantiated by hand.
  bindings ??= (async () => {
    const glue = (await import('@prisma/schema-engine-wasm/schema_engine_bg')) as unknown as {
      __wbg_set_wasm(exports: unknown): void
      SchemaEngine: { new: (...args: unknown[]) => Promise<Engine> }
    }
    const glueFile = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg')
    const wasm = readFileSync(join(dirname(glueFile), 'schema_engine_bg.wasm'))
    const { WebAssembly: wasmApi } = globalThis as unknown as {
      WebAssembly: { instantiate(bytes: Buffer, imports: object): Promise<{ instance: { exports: object } }> }
    }
    const { instance } = await wasmApi.instantiate(wasm, { './schema_engine_bg.js': glue })
    glue.__wbg_set_wasm(instance.exports)
    ;(instance.exports as { __wbindgen_start?: () => void }).__wbindgen_start?.()
    return glue
  })()
  const { SchemaEngine } = await bindings
  const { PrismaPg } = await import('@prisma/adapter-pg')
  const { bindMigrationAwareSqlAdapterFactory } = await import('@prisma/driver-adapter-utils')
  const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaPg({ connectionString: url }))
  return SchemaEngine.new({ datamodels: files.map((f) => [f.path, f.content]) }, () => {}, adapter)
}
