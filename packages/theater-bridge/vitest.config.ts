import { defineConfig } from 'vitest/config';

// Workspace packages resolve to their TypeScript sources through the "development" export condition,
// so tests never run against a stale build.
export default defineConfig({
  resolve: { conditions: ['development'] },
  ssr: { resolve: { conditions: ['development'], externalConditions: ['development'] } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Compiles the AssemblyScript actors (when missing or older than their sources) before any test.
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
