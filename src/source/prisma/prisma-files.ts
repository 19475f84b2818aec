import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

/** The `.prisma` files of a path: the file itself, or every one under a folder, in path order. */
export function prismaFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path]
  return readdirSync(path, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.prisma'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort()
}

/** Whether a folder holds `.prisma` files (a multi-file Prisma schema rather than a migrations directory). */
export function isPrismaFolder(path: string): boolean {
  return readdirSync(path).some((name) => name.endsWith('.prisma'))
}

/** Whether a path names a Prisma schema: a `.prisma` file, or an existing folder that holds some. */
export function isPrismaSchemaPath(path: string): boolean {
  if (path.endsWith('.prisma')) return existsSync(path)
  return existsSync(path) && statSync(path).isDirectory() && isPrismaFolder(path)
}

/** Where Prisma 7 looks for its config (prisma.config.ts), in its order. */
const PRISMA_CONFIG_NAMES = [
  'prisma.config.ts',
  'prisma.config.mts',
  'prisma.config.cts',
  'prisma.config.js',
  'prisma.config.mjs',
  'prisma.config.cjs',
  join('.config', 'prisma.ts'),
]

/** The Prisma 7 config in a project folder, if any (see prisma-config.ts). */
export function findPrismaConfig(root: string): string | undefined {
  return PRISMA_CONFIG_NAMES.map((name) => join(root, name)).find((file) => existsSync(file))
}
