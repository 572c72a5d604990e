import { packageTestConfig } from '../../vitest.shared.js';

export default packageTestConfig({
  test: {
    // Compiles the AssemblyScript actors (when missing or older than their sources) before any test.
    globalSetup: ['test/global-setup.ts'],
  },
});
