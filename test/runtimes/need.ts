import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './pack.js';

const CI = process.env.CI === 'true';

export interface Needed {
  /** Skip this runtime's test: it is missing and this is not CI. */
  skip: boolean;
  /** Call first in the test: in CI a missing runtime fails there, saying what is missing. */
  check(): void;
}

/**
 * A runtime the tests need, present when every one of `paths` exists. Outside CI a missing one
 * is skipped with a message that says why; CI must not skip anything, so there it fails.
 */
export function need(name: string, paths: string[], install: string): Needed {
  const missing = paths.find((path) => !existsSync(path));
  const problem = missing && `${name}: ${missing} is missing (${install})`;
  if (problem && !CI) console.warn(`skipped: ${problem}`);
  return {
    skip: Boolean(problem) && !CI,
    check() {
      if (problem) throw new Error(`${problem}; CI must not skip it`);
    },
  };
}

/** A binary or package from the repo's own node_modules, not installed in the throwaway project. */
export const local = (path: string) => join(REPO, 'node_modules', path);
