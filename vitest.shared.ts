import { defineConfig, mergeConfig, type UserConfig } from 'vitest/config';

/**
 * The vitest settings every package shares: workspace packages resolve to their TypeScript sources
 * through the "development" export condition, so tests never run against a stale build. A package
 * passes what it adds (a global setup, serial files).
 */
export function packageTestConfig(extra: UserConfig = {}): UserConfig {
  return mergeConfig(
    defineConfig({
      resolve: { conditions: ['development'] },
      ssr: { resolve: { conditions: ['development'], externalConditions: ['development'] } },
      test: {
        include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
        testTimeout: 30_000,
        hookTimeout: 30_000,
      },
    }),
    extra,
  );
}
