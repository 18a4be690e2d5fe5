// The README's TypeScript examples, extracted from README.md as they are written, and a user's
// module (test/user-types/user-module.mts) compile against the packed package's declarations
// under the tsconfigs users have (test/types/user-types/*.json): a front-end one (DOM without
// DOM.AsyncIterable, bundler resolution, no Node types), Node ESM (node16, @types/node, no DOM),
// CommonJS (module commonjs, node10 resolution) and a strictest one (exactOptionalPropertyTypes,
// noUncheckedIndexedAccess, …). One TypeScript program per config.
//
// Which README blocks go where: a block that uses Node (`process.`, `require(`, or imports vitest,
// which brings Node's types with it) is not front-end code; a block that uses a page's `document`
// or `window` is not Node code; the CommonJS config takes the user module only, since README
// examples use top-level await, which CommonJS cannot.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readmeBlocks, readmeProject, usesPage } from '../helpers/readme.js';
import { REPO } from '../runtimes/pack.js';

const CONFIGS = join(REPO, 'test/types/user-types');
const usesNode = (code: string) => /\bprocess\.|\brequire\(|from 'vitest'/.test(code);

const blocks = readmeBlocks();
const SUITES = [
  { config: 'frontend.json', readme: blocks.filter((b) => !usesNode(b.code)) },
  { config: 'node-esm.json', readme: blocks.filter((b) => !usesPage(b.code)) },
  { config: 'commonjs.json', readme: [] },
  { config: 'strictest.json', readme: blocks },
];

let dir: string;
beforeAll(async () => {
  // @types/node beside what the examples import; ESM for node16 (top-level await), which module
  // commonjs ignores.
  dir = await readmeProject('user-types', blocks, ['@types/node']);
  writeFileSync(join(dir, 'user.ts'), readFileSync(join(CONFIGS, 'user-module.mts'), 'utf8'));
}, 180_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The program of one config over `files`, and what it reports on the user's files and the package's. */
function compile(config: string, files: string[]): { problems: string[]; program: ts.Program } {
  const json = ts.parseConfigFileTextToJson(config, readFileSync(join(CONFIGS, config), 'utf8'));
  const parsed = ts.parseJsonConfigFileContent({ ...json.config, files }, ts.sys, dir);
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options });
  const ours = program.getSourceFiles().filter((f) => !f.fileName.includes('/node_modules/') || f.fileName.includes('/node_modules/openai-chat-fetch/'));
  const diagnostics = [
    ...parsed.errors,
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...ours.flatMap((f) => ts.getPreEmitDiagnostics(program, f)),
  ];
  return { problems: diagnostics.map(located), program };
}

/** `README.md:123: TS2345 …` for a README block, `file:line: …` otherwise. */
function located(d: ts.Diagnostic): string {
  const text = ts.flattenDiagnosticMessageText(d.messageText, '\n');
  if (!d.file || d.start === undefined) return `TS${d.code} ${text}`;
  const { line } = d.file.getLineAndCharacterOfPosition(d.start);
  const block = blocks.find((b) => d.file!.fileName.endsWith(`/${b.file}`));
  const where = block ? `README.md:${block.line + line}` : `${d.file.fileName.replace(dir, '.')}:${line + 1}`;
  return `${where}: TS${d.code} ${text}`;
}

describe('users compile the README examples and their own code against the packed types', () => {
  it('finds the README examples, and sends each to the configs it can run under', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(6);
    // The headline examples are front-end code too: they must compile without Node's types. Four
    // are Node's alone: the terminal tool loop, the Node relay server, the vitest file, Azure's.
    expect(SUITES[0]!.readme.length).toBeGreaterThanOrEqual(blocks.length - 4);
    expect(SUITES[1]!.readme.length).toBeGreaterThanOrEqual(blocks.length - 2);
  });

  for (const { config, readme } of SUITES) {
    it(`under ${config.replace('.json', '')}`, { timeout: 60_000 }, () => {
      const files = ['user.ts', ...readme.map((b) => b.file)];
      const { problems, program } = compile(config, files);
      expect(problems).toEqual([]);
      const loaded = program.getSourceFiles().map((f) => f.fileName);
      // The declarations users get, from the installed copy, and (front-end) no Node types.
      expect(loaded.some((f) => f.endsWith('/node_modules/openai-chat-fetch/dist/index.d.ts'))).toBe(true);
      expect(loaded.some((f) => f.includes('/@types/node/'))).toBe(config !== 'frontend.json');
      expect(loaded.filter((f) => files.some((name) => f.endsWith(`/${name}`)))).toHaveLength(files.length);
    });
  }
});
