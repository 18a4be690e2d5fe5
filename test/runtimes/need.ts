import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './pack.js';

export interface Needed {
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
    check() {
      if (missing) throw new Error(`${name}: ${missing} is missing (${install})`);
    },
  };
}

/** A binary or package from the repo's own node_modules, not installed in the throwaway project. */
export const local = (path: string) => join(REPO, 'node_modules', path);

export const DENO = local('.bin/deno');
export const BUN = local('.bin/bun');
/** The runtimes the dev dependencies bring, which the matrix, the relay and the packaging tests run in. */
export const deno = need('Deno', [DENO], 'npm ci installs the deno devDependency');
export const bun = need('Bun', [BUN], 'npm ci installs the bun devDependency');
export const workerd = need('workerd', [local('miniflare/package.json')], 'npm ci installs the miniflare devDependency');
export const edge = need('edge-runtime', [local('edge-runtime/package.json')], 'npm ci installs the edge-runtime devDependency');
