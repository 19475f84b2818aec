// Written after a successful build (npm run build, npm test): dist/.build-stamp's time says that dist/ holds every
// source file as it was then. Tests that run built code compare source times with it (src/source/keel-imports.ts,
// test/integration/migrate/spawn.ts); the outputs' own times cannot say it, since tsc leaves alone the output
// of a source file touched but unchanged.
import { writeFileSync } from 'node:fs'

writeFileSync(new URL('../dist/.build-stamp', import.meta.url), `${new Date().toISOString()}\n`)
