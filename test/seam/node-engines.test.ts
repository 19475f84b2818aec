/**
 * `npm ci` installs every package of package-lock.json on the Node that runs the tests without EBADENGINE: a
 * devDependency that needs a newer Node (kysely 0.29 needs 22; CI and the engines field say 20) made `npm ci` warn on
 * every fresh clone, and such a package may use what Node 20 does not have. Optional packages are left out: npm skips
 * those that do not fit this machine (the other platforms' binaries of rolldown, esbuild, ...).
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { expect, it } from 'vitest'

const semver = createRequire(import.meta.url)('semver') as {
  satisfies(version: string, range: string, options?: { includePrerelease?: boolean }): boolean
}

interface LockedPackage {
  readonly version?: string
  readonly optional?: boolean
  readonly engines?: { readonly node?: string } | readonly string[]
}

it(`every package of package-lock.json supports this Node (${process.version})`, () => {
  const lock = JSON.parse(readFileSync(join(import.meta.dirname, '../../package-lock.json'), 'utf8')) as {
    readonly packages: Readonly<Record<string, LockedPackage>>
  }
  const refused = Object.entries(lock.packages).flatMap(([path, pkg]) => {
    const range = Array.isArray(pkg.engines) ? undefined : (pkg.engines as { node?: string } | undefined)?.node
    if (path === '' || pkg.optional === true || range === undefined) return []
    return semver.satisfies(process.version, range, { includePrerelease: true })
      ? []
      : [`${path}@${pkg.version}: node ${range}`]
  })
  expect(refused).toEqual([])
})
