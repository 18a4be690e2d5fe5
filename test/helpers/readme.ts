import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, userProject } from '../runtimes/pack.js';

// The README's TypeScript examples as written there: test/types/user-types.test.ts compiles
// them, test/package/readme-examples.test.ts runs them.

/** One ```ts block of the README. */
export interface ReadmeBlock {
  /** The file it is written to: `readme-01.ts`, … in README order. */
  file: string;
  /** Its first line of code in README.md (1-based). */
  line: number;
  /** The `## ` heading it sits under. */
  section: string;
  code: string;
}

/** Every ```ts block of the README, in order. */
export function readmeBlocks(text = readFileSync(join(REPO, 'README.md'), 'utf8')): ReadmeBlock[] {
  const blocks: ReadmeBlock[] = [];
  for (const match of text.matchAll(/^```(?:ts|typescript)\n([\s\S]*?)^```/gm)) {
    const before = text.slice(0, match.index);
    const line = before.split('\n').length + 1;
    const section = [...before.matchAll(/^## (.+)$/gm)].at(-1)?.[1] ?? '';
    blocks.push({ file: `readme-${String(blocks.length + 1).padStart(2, '0')}.ts`, line, section, code: match[1]! });
  }
  return blocks;
}

/** A block that works on a page: it uses `document` or `window`. */
export const usesPage = (code: string): boolean => /\b(document|window)\./.test(code);

/** The packages other than this one that the blocks import: `zod`, `@scope/name`. */
function importedPackages(blocks: ReadmeBlock[]): Set<string> {
  const names = new Set<string>();
  for (const { code } of blocks) {
    for (const [, specifier] of code.matchAll(/\bfrom '([^'./][^']*)'/g)) {
      const name = specifier!
        .split('/')
        .slice(0, specifier!.startsWith('@') ? 2 : 1)
        .join('/');
      if (name !== 'openai-chat-fetch') names.add(name);
    }
  }
  return names;
}

/**
 * A throwaway user's project with each block as its file (test/runtimes/pack.ts's
 * `userProject`), and what the blocks import besides (zod, vitest, …) and `also` linked from
 * this repository. The caller removes it.
 */
export function readmeProject(name: string, blocks: ReadmeBlock[], also: string[] = []): Promise<string> {
  const files = Object.fromEntries(blocks.map((block) => [block.file, block.code]));
  return userProject(name, files, [...also, ...importedPackages(blocks)]);
}
