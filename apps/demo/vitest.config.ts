import { packageTestConfig } from '../../vitest.shared.js';

export default packageTestConfig({
  test: {
    // Each test starts a whole mesh of processes (and a browser); one file at a time keeps a
    // loaded 2-core machine from starving them into their step timeouts.
    fileParallelism: false,
  },
});
