import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Tests start servers on ephemeral ports and write temp dirs: files run in parallel, tests in a file in order.
    pool: 'forks',
    // A throwaway PostgreSQL cluster for the store's PostgreSQL implementation and the multi-instance tests.
    globalSetup: ['tests/global-postgres.ts'],
  },
});
