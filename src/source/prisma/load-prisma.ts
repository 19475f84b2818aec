import { readFileSync, statSync } from 'node:fs'
import { dirname, relative, resolve } from 'node:path'
import { KeelError } from '../../errors.js'
import type { Schema } from '../../schema/model.js'
import type { PrismaDatamodel } from './datamodel.js'
import { prismaFiles } from './prisma-files.js'
import { type PrismaProvider, prismaProvider } from './provider.js'
import { type ParsedPrismaFile, readDatamodel } from './read-datamodel.js'
import { prismaToSchema } from './to-schema.js'

/** A Prisma schema read from disk: Keel's model of what Prisma Migrate creates, and the datasource. */
export interface LoadedPrismaSchema {
  readonly schema: Schema
  readonly datamodel: PrismaDatamodel
  /** Keel's dialect for the datasource's provider. */
  readonly dialect: PrismaProvider['dialect']
}

/**
 * Reads a `.prisma` file, or a folder of them (Prisma's multi-file `prisma/schema/`, searched recursively,
 * as Prisma does), and maps it for its datasource's provider. A syntax error is PRISMA_SCHEMA with the
 * file and line the parser stopped at.
 */
export async function loadPrismaSchema(path: string, cwd: string): Promise<LoadedPrismaSchema> {
  const files = prismaFiles(path)
  if (files.length === 0) throw new KeelError('PRISMA_SCHEMA', `${relative(cwd, path) || path}: no .prisma files`)
  // The parser (and its grammar engine) loads only when a Prisma schema is read.
  const { getSchema } = await import('@mrleebo/prisma-ast')
  const parsed: ParsedPrismaFile[] = files.map((file) => {
    const display = relative(cwd, file) || file
    const text = readFileSync(file, 'utf8')
    try {
      return { path: display, blocks: getSchema(text).list }
    } catch (error) {
      throw syntaxError(error, display, text)
    }
  })
  const datamodel = readDatamodel(parsed)
  const provider = await prismaProvider(datamodel)
  return { schema: prismaToSchema(datamodel, provider), datamodel, dialect: provider.dialect }
}

interface ParserToken {
  readonly startLine?: number
  readonly startColumn?: number
  readonly image?: string
}

function syntaxError(error: unknown, file: string, text: string): KeelError {
  const failure = error as { message?: string; token?: ParserToken; previousToken?: ParserToken }
  // At the end of the input the parser's token has no position: the previous one says where it stopped.
  const token = Number.isFinite(failure.token?.startLine) ? failure.token : failure.previousToken
  const line = Number.isFinite(token?.startLine) ? (token?.startLine as number) : text.split('\n').length
  const column = Number.isFinite(token?.startColumn) ? `:${token?.startColumn}` : ''
  const message = (failure.message ?? String(error)).replace(/\s+/g, ' ').trim()
  return new KeelError('PRISMA_SCHEMA', `${file}:${line}${column}: syntax error: ${message}`, undefined, {
    cause: error,
  })
}

/**
 * The database URL a Prisma schema's datasource names (`url = env("DATABASE_URL")` read from the
 * environment, or a literal), for a project whose schema is a Prisma schema. Undefined when there is none
 * or the schema cannot be read now (reading it for the command itself reports why). `env` is the variable
 * the datasource reads, so that an unset one is reported rather than replaced by the embedded database.
 */
export async function prismaDatasourceUrl(
  path: string,
  cwd: string,
): Promise<{ readonly url: string | undefined; readonly env?: string } | undefined> {
  let url: PrismaDatamodel['url']
  try {
    url = (await loadPrismaSchema(path, cwd)).datamodel.url
  } catch {
    return undefined
  }
  if (url === undefined) return undefined
  const base = statSync(path).isDirectory() ? path : dirname(path)
  if ('env' in url) {
    const value = process.env[url.env] || undefined
    return { url: value === undefined ? undefined : keelUrlOfPrisma(value, base), env: url.env }
  }
  return { url: keelUrlOfPrisma(url.value, base) }
}

/**
 * A Prisma datasource URL as Keel spells it: SQLite's `file:./dev.db` is relative to the file that names it
 * (the schema, or prisma.config.ts) and becomes `sqlite:` with that path; server URLs are the same in both.
 */
export function keelUrlOfPrisma(url: string, base: string): string {
  if (!url.startsWith('file:')) return url
  const path = url
    .slice('file:'.length)
    .replace(/^\/\/(?=\/)/, '')
    .replace(/\?.*$/, '')
  return `sqlite:${resolve(base, path)}`
}
