import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Option } from 'commander'
import type { ProjectTemplate } from '../../dialect/project-template.js'
import { dialectNames, loadRuntimes, runtimeOf } from '../../dialect/runtimes.js'
import { KeelError } from '../../errors.js'
import type { RegisterCommand } from '../command.js'
import { withGlobalOptions } from '../command.js'

interface InitOptions {
  readonly dialect: string
}

/** The dialects `keel init` offers: those whose folder has a project template, in the registry's order. */
function offered(): readonly (readonly [string, ProjectTemplate])[] {
  return dialectNames().flatMap((name) => {
    const template = runtimeOf(name).projectTemplate
    return template === undefined ? [] : [[name, template] as const]
  })
}

/** `a, b or c`. */
const orList = (items: readonly string[]): string =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`

/** {@link registerInit}, once every dialect's runtime half is loaded: `keel init` offers each that has a project template. */
export async function loadRegisterInit(): Promise<RegisterCommand> {
  await loadRuntimes()
  return registerInit
}

/** `keel init [--dialect ...]`: writes keel.config.ts, the dialect's starter schema and migrations/. */
const registerInit: RegisterCommand = (program, run) => {
  const dialects = offered()
  withGlobalOptions(program.command('init').description('start a Keel project in the working directory'))
    .addOption(
      new Option('--dialect <dialect>', `database: ${orList(dialects.map(([, t]) => t.label))}`).default(
        dialects[0]?.[0],
      ),
    )
    .action(
      run<InitOptions>(async (ctx, options) => {
        const template = dialects.find(([name]) => name === options.dialect)?.[1]
        if (template === undefined)
          throw new KeelError(
            'USAGE',
            `--dialect must be ${orList(dialects.map(([name]) => name))} (got "${options.dialect}")`,
          )
        const written: string[] = []
        const write = (name: string, text: string) => {
          const path = join(ctx.cwd, name)
          if (existsSync(path)) return ctx.out.warn(`${name} exists; left as it is`)
          writeFileSync(path, text)
          written.push(name)
        }
        write('keel.config.ts', template.config)
        const schema = template.schema.file
        write(schema, template.schema.text())
        if (template.env !== undefined) write('.env', template.env)
        const ignored = ignoreGenerated(ctx.cwd)
        if (ignored) written.push('.gitignore')
        if (!existsSync(join(ctx.cwd, 'migrations'))) {
          mkdirSync(join(ctx.cwd, 'migrations'))
          written.push('migrations/')
        }
        ctx.out.line(written.length > 0 ? `Wrote ${written.join(', ')}.` : 'Nothing to write.')
        ctx.out.line(
          `Next: edit ${schema}, then \`keel push\` to apply it to your development database, or \`keel generate init\` to write it as a migration.`,
        )
        ctx.out.result({ written })
        return 0
      }),
    )
}

/** Lines a Keel project keeps out of version control: the embedded database, and the .env holding URLs. */
const IGNORED = ['.keel/', '.env']

/** Adds what is missing of {@link IGNORED} to .gitignore (creating it); true when it wrote something. */
function ignoreGenerated(dir: string): boolean {
  const path = join(dir, '.gitignore')
  const text = existsSync(path) ? readFileSync(path, 'utf8') : ''
  const present = new Set(text.split(/\r?\n/).map((line) => line.trim().replace(/^\//, '')))
  const missing = IGNORED.filter((entry) => !present.has(entry) && !present.has(entry.replace(/\/$/, '')))
  if (missing.length === 0) return false
  const separator = text === '' || text.endsWith('\n') ? '' : '\n'
  writeFileSync(path, `${text}${separator}${text === '' ? '' : '\n'}# Keel\n${missing.join('\n')}\n`)
  return true
}
