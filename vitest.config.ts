import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-redis.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two files at a time even on two cores: most e2e time is spent waiting on child processes,
    // sockets and timers, not computing, and every suite keeps its own Redis prefix, port and files.
    maxWorkers: 2,
  },
});
