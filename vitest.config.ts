import { configDefaults, defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // The version matrix's full suites run on PostgreSQL 14 and 18 (oldest and newest) in every run; 16 and 17
    // only with KEEL_MATRIX=all, to keep CI under 15 minutes. test/matrix/servers.test.ts starts all four always.
    exclude: [
      ...configDefaults.exclude,
      ...(process.env.KEEL_MATRIX === 'all' ? [] : ['test/matrix/postgres-16.test.ts', 'test/matrix/postgres-17.test.ts']),
    ],
    typecheck: { enabled: true, include: ['src/**/*.test-d.ts'] },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores on CI: integration files each open their own databases, so keep the pool small.
    maxWorkers: 3,
  },
})
