import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    typecheck: { enabled: true, include: ['src/**/*.test-d.ts'] },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores on CI: integration files each open their own databases, so keep the pool small.
    maxWorkers: 3,
  },
})
