import { defineConfig } from 'vitest/config';

// Workspace packages resolve to their TypeScript sources through the "development" export condition,
// so tests never run against a stale build.
export default defineConfig({
  resolve: { conditions: ['development'] },
  ssr: { resolve: { conditions: ['development'], externalConditions: ['development'] } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Each test starts a whole mesh of processes (and a browser); one file at a time keeps a
    // loaded 2-core machine from starving them into their step timeouts.
    fileParallelism: false,
  },
});
