import { configDefaults, defineConfig } from 'vitest/config'
import { LongestFirstSequencer } from './test/support/longest-first.js'

/**
 * Integration files that need a worker of their own: vi.mock replaces a module for the whole module graph, and
 * lazy-runtimes asserts which dialects a lint loads, which another file in a shared worker may have loaded before.
 */
const ISOLATED_FILES = ['test/cli/generate-lint-once.test.ts', 'test/seam/lazy-runtimes.test.ts']

// Every Node process of the run (the workers, and the `keel` and helper processes the tests start) inherits
// this process's environment. NODE_EXTRA_CA_CERTS, which CI's machine sets to the system bundle (220 kB), makes
// each of them parse that file as it starts: `node -e 0` on the 2-core CI machine took 72 ms of CPU with it and
// 26 ms without (20 runs each, load 15). The tests talk to local servers only, over no TLS, and fetch nothing.
delete process.env.NODE_EXTRA_CA_CERTS

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Five workers on CI's two cores: a worker mostly waits (on its database servers' fsyncs and checkpoints, a
    // DROP DATABASE's among them, and on the keel processes it starts), so three left the CPUs half idle. A full run
    // on that machine (2026-12-08, load 14-21 from other work) took 1,025 s of CPU all told: 760 s in vitest and its
    // child processes (/usr/bin/time), ~255 s in its own PostgreSQL server, ~10 s in MariaDB's; the last idle CI
    // run's vitest took ~1,040 s with three workers, 2,080 s of the two cores, so about 49% busy. Five make ~1.6
    // cores' worth of demand: fewer would leave waits unfilled, more would only queue on the CPUs.
    maxWorkers: 5,
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
          // They hold no databases and restore what they change (environment, timers).
          isolate: false,
          setupFiles: ['test/support/forget-secrets.ts'],
          // Only the type tests' own files: `npm test` type-checks the whole project just before (tsc -b: src as it
          // builds dist, then the tests against dist's declarations, tsconfig.test.json), and a second full
          // tsc here took a core for tens of seconds while the tests ran. Under `npm test` (npm names the script
          // it runs in npm_lifecycle_event) not even those: tsconfig.test.json includes src/**/*.test-d.ts, so its
          // tsc -b has just failed on any of their assertions (a wrong toEqualTypeOf is a TS2344 there), and this
          // tsc took 3.5 s of CPU beside the first test files; `npx vitest run` alone still checks them here.
          typecheck: {
            enabled: process.env.npm_lifecycle_event !== 'test',
            include: ['src/**/*.test-d.ts'],
            tsconfig: 'tsconfig.typecheck.json',
          },
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          // Shared workers here too: an isolated file paid about a second of CPU to start a worker and import its
          // modules again. 39 files of 15-26 s each (259 tests) on this 2-core machine: 176.1 s CPU isolated, 137.0 s
          // shared (load 10-11 and 6-10, one run each); 27 files under 5 s: 24.2 -> 17.3 s. What the files change
          // they put back (stdout and stderr patched around in-process CLI runs, process.env in password-redaction,
          // vi.stubEnv undone in afterAll); their databases, PGlite instances and servers are closed in afterAll, and
          // a module's caches (PGlite template, jiti) serve every file alike. A file that mocks a module cannot share:
          // the modules it mocks may be loaded already by an earlier file in the worker (ISOLATED_FILES).
          isolate: false,
          setupFiles: ['test/support/drop-pending-databases.ts', 'test/support/forget-secrets.ts'],
          // The version matrix's full suites run on PostgreSQL 14 and 18 (oldest and newest) in every run; 16 and 17
          // only with KEEL_MATRIX=all, to keep CI under 15 minutes. test/matrix/servers.test.ts starts all four always.
          exclude: [
            ...configDefaults.exclude,
            ...ISOLATED_FILES,
            ...(process.env.KEEL_MATRIX === 'all'
              ? []
              : ['test/matrix/postgres-16.test.ts', 'test/matrix/postgres-17.test.ts']),
          ],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration-isolated',
          include: ISOLATED_FILES,
          setupFiles: ['test/support/drop-pending-databases.ts', 'test/support/forget-secrets.ts'],
        },
      },
    ],
  },
})
