import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// For a README block that is a vitest file: run as it is, from the throwaway project (`--root`),
// with the fake as the global fetch.
export default defineConfig({
  test: {
    include: ['readme-*.ts'],
    setupFiles: [fileURLToPath(new URL('preload.ts', import.meta.url))],
  },
});
