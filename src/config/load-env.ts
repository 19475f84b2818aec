import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { KeelError } from '../errors.js'

/**
 * Loads the project's `.env` into the environment before the config is read, as Prisma and Drizzle users
 * expect (`url: process.env.DATABASE_URL` in keel.config.ts then works without exporting the variable).
 * dotenv parses the file; a variable already set in the environment wins, as with dotenv itself, except that
 * an empty one counts as unset (as DATABASE_URL does everywhere in Keel). Returns the file read, if any. dotenv is
 * loaded only when there is a file to parse: with node:crypto, which it loads, it is a few ms of every cold start.
 */
export async function loadProjectEnv(dir: string, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const file = join(dir, '.env')
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new KeelError('CONFIG', `cannot read ${file}: ${(error as Error).message}`, 'Check the .env file.', {
      cause: error,
    })
  }
  const { parse } = await import('dotenv')
  for (const [key, value] of Object.entries(parse(text))) {
    if (!env[key]) env[key] = value
  }
  return file
}
