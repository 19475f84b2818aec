import { configDefaults, defineConfig } from 'vitest/config'
import { LongestFirstSequencer } from './test/support/longest-first.js'

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores on CI: integration files each open their own databases, so keep the pool small.
    maxWorkers: 3,
    // Longest files first (test/support/longest-first.ts): without it a fresh clone starts them by file size.
    sequence: { sequencer: LongestFirstSequencer },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts'],
          // The unit tests share their workers' module graph instead of a new process and fresh imports per file:
          // src/**/*.test.ts alone on this 2-core machine took 93.7 s of CPU (187 s wall at load 12) isolated and
          // 24.5 s (63 s) shared, all 1,465 tests passing both ways; most of an isolated file's time was importing.
          // They hold no databases and restore what they change (environment, timers); the integration files
          // below, which patch stdout, spawn runners and keep PGlite instances, stay isolated.
          isolate: false,
          // Only the type tests' own files: `npm test` type-checks the whole project just before (tsc -b: src as it
          // builds dist, then the tests against dist's declarations, tsconfig.test.json), and a second full
          // tsc here took a core for tens of seconds while the tests ran.
          typecheck: { enabled: true, include: ['src/**/*.test-d.ts'], tsconfig: 'tsconfig.typecheck.json' },
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          // The version matrix's full suites run on PostgreSQL 14 and 18 (oldest and newest) in every run; 16 and 17
          // only with KEEL_MATRIX=all, to keep CI under 15 minutes. test/matrix/servers.test.ts starts all four always.
          exclude: [
            ...configDefaults.exclude,
            ...(process.env.KEEL_MATRIX === 'all'
              ? []
              : ['test/matrix/postgres-16.test.ts', 'test/matrix/postgres-17.test.ts']),
          ],
        },
      },
    ],
  },
})
