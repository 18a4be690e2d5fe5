import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './pack.js';

export interface Needed {
  /**
   * Always false: nothing is skipped any more. Kept only until test/package/packaging.test.ts drops its
   * `it.skipIf(deno.skip)`.
   */
  skip: false;
  /** Call first in the test: a missing runtime fails it there, saying what is missing and how to install it. */
  check(): void;
}

/**
 * A runtime the tests need, present when every one of `paths` exists. A missing one fails its
 * test, never skips it: a run that passes must have run everything, here as in CI.
 */
export function need(name: string, paths: string[], install: string): Needed {
  const missing = paths.find((path) => !existsSync(path));
  return {
    skip: false,
    check() {
      if (missing) throw new Error(`${name}: ${missing} is missing (${install})`);
    },
  };
}

/** A binary or package from the repo's own node_modules, not installed in the throwaway project. */
export const local = (path: string) => join(REPO, 'node_modules', path);
