import { defineConfig } from 'vitest/config';

// Test files that run `osls package` or `osls invoke local`: the framework and its esbuild plugin
// build in the repository's .serverless folder, so two of them at once break each other's build.
// They run one file at a time; everything else runs in parallel beside them.
const STACK = [
  'test/packaging/**/*.test.ts',
  'test/e2e/invoke-local.test.ts',
  'test/e2e/doctor.test.ts',
  'test/unit/deployment-group-config.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    setupFiles: ['test/support/setup.ts'],
    projects: [
      { extends: true, test: { name: 'stack', include: STACK, fileParallelism: false } },
      { extends: true, test: { name: 'rest', include: ['test/**/*.test.ts'], exclude: STACK } },
    ],
  },
});
