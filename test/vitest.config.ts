import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: ['test/**/*.test.ts'],
    // Some tests wait for Node 20's fetch to close an aborted socket (~3 s later).
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
