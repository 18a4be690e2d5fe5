// Every TypeScript example of the README runs as written, each in a child process of its own,
// from a throwaway project where the package is installed from its packed tarball, against the
// package's fake (src/fake): an example that throws, or prints nothing, fails here.
// (test/types/user-types.test.ts compiles the same blocks; test/helpers/readme.ts finds them.)
//
// What a block is, it says by its content alone:
// - a vitest file (it imports from 'vitest') runs under vitest (readme-examples/vitest.config.ts);
//   it must have tests, and they must pass.
// - a page (it uses `document.` or `window.`) runs in happy-dom (readme-examples/page.ts) on
//   readme-examples/page.html: a new page block that needs another element adds it there. A
//   page has no key in its environment and is signed in (a session cookie); its calls to other
//   origins go to the fake, and those to its own origin, with its cookie, to the handler block
//   it pairs with: the nearest one before it under the same `## ` heading, else the nearest
//   after it. It must change what the page shows, or print.
// - a handler (`export default { fetch }`, a route's `export async function POST` or
//   `export const POST`, `Deno.serve(…)`, `Bun.serve(…)`, a Node server's `.listen(…)`) is served
//   over HTTP on 127.0.0.1 (readme-examples/handler.ts, which shims Deno.serve and Bun.serve in
//   Node and moves a server the block starts to a free port). One that no page pairs with gets
//   what a signed-in page sends: `POST /api/v1/chat/completions` with a chat body (`model`,
//   `messages`) and a session cookie; it must answer 2xx with a body.
// - anything else is a script: `node --import tsx` with the fake as the global fetch
//   (readme-examples/preload.ts) and OPENAI_API_KEY set to a test key; it must print.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readmeBlocks, readmeProject, usesPage } from '../helpers/readme.js';
import type { ReadmeBlock } from '../helpers/readme.js';
import { REPO } from '../runtimes/pack.js';
import { local } from '../runtimes/need.js';
import { start, waitUntil } from '../runtimes/process.js';
import { run } from '../runtimes/run.js';

const HERE = join(REPO, 'test/package/readme-examples');
const PRELOAD = pathToFileURL(join(HERE, 'preload.ts')).href;
const KEY = 'sk-readme-examples-0123456789abcdef';
const CHAT = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hello from the README test' }] };
/** The session cookie of a signed-in page (page.ts sets the same). */
const SESSION = 'session=readme-examples';
const RUN_MS = 60_000;
const LISTENING = /^listening (\S+)$/m;

type Kind = 'vitest' | 'page' | 'handler' | 'script';
const HANDLER = /^export default \{|^export ((async )?function|const|let) (GET|POST|PUT|PATCH|DELETE)\b|\b(Deno|Bun)\.serve\(|\.listen\(/m;

function kindOf({ code }: ReadmeBlock): Kind {
  if (/\bfrom 'vitest'/.test(code)) return 'vitest';
  if (usesPage(code)) return 'page';
  if (HANDLER.test(code)) return 'handler';
  return 'script';
}

/** The handler block a page block sends its `/api/…` requests to, if its section has one. */
function pairedHandler(page: ReadmeBlock, all: ReadmeBlock[]): ReadmeBlock | undefined {
  const handlers = all.filter((block) => block.section === page.section && kindOf(block) === 'handler');
  return handlers.findLast((block) => block.line < page.line) ?? handlers.find((block) => block.line > page.line);
}

const blocks = readmeBlocks();
const pairs = new Map(blocks.filter((block) => kindOf(block) === 'page').map((page) => [page, pairedHandler(page, blocks)]));
const paired = new Set(pairs.values());

let dir: string;
beforeAll(async () => {
  dir = await readmeProject('readme-examples', blocks, ['tsx']);
}, 180_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The environment of a block's process: a test key where a server would have one, no colours. */
function environment(withKey: boolean): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.OPENAI_API_KEY;
  if (withKey) env.OPENAI_API_KEY = KEY;
  return env;
}

/** Runs `args` after `node --import tsx` in the project: what it printed on stdout. */
async function tsx(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', ...args], { cwd: dir, env, timeoutMs: RUN_MS });
  return stdout;
}

/** A script, with the fake as its fetch and a key in its environment. */
const script = (block: ReadmeBlock) => tsx(['--import', PRELOAD, block.file], environment(true));

/** A page, with what it fetches from its own origin answered by its handler block, if it has one. */
async function page(block: ReadmeBlock, handler: ReadmeBlock | undefined): Promise<string> {
  const open = (origin?: string) => tsx([join(HERE, 'page.ts'), block.file], { ...environment(false), ...(origin && { PAGE_ORIGIN: origin }) });
  return handler ? withHandler(handler, open) : open();
}

/** Serves a handler block on 127.0.0.1 while `use` runs; its output joins any failure's message. */
async function withHandler<T>(block: ReadmeBlock, use: (url: string) => Promise<T>): Promise<T> {
  const server = start(process.execPath, ['--import', 'tsx', '--import', PRELOAD, join(HERE, 'handler.ts'), block.file], { cwd: dir, env: environment(true) });
  try {
    const started = async () => LISTENING.test(server.output()) || server.child.exitCode !== null;
    await waitUntil(started, `the handler at README.md:${block.line} did not start`, RUN_MS);
    const url = LISTENING.exec(server.output())?.[1];
    if (!url) throw new Error('it exited');
    return await use(url);
  } catch (error) {
    throw new Error(`${(error as Error).message}\n--- the handler at README.md:${block.line} printed\n${server.output()}`, { cause: error });
  } finally {
    await server.stop();
  }
}

/** A handler alone: one chat request, answered 2xx with a body. */
function handlerAlone(block: ReadmeBlock): Promise<string> {
  return withHandler(block, async (url) => {
    const headers = { 'content-type': 'application/json', cookie: SESSION };
    const response = await fetch(`${url}/api/v1/chat/completions`, { method: 'POST', headers, body: JSON.stringify(CHAT) });
    const body = await response.text();
    if (!response.ok) throw new Error(`POST /api/v1/chat/completions answered ${response.status}: ${body}`);
    return body;
  });
}

/** A vitest file, run by vitest: its report, once every test in it passed. */
async function vitestFile(block: ReadmeBlock): Promise<string> {
  const report = join(dir, `${block.file}.json`);
  const args = [
    local('vitest/vitest.mjs'),
    'run',
    '--config',
    join(HERE, 'vitest.config.ts'),
    '--root',
    dir,
    '--reporter=json',
    `--outputFile=${report}`,
    block.file,
  ];
  await run(process.execPath, args, { cwd: dir, env: environment(true), timeoutMs: RUN_MS });
  const { numTotalTests, numPassedTests } = JSON.parse(readFileSync(report, 'utf8')) as { numTotalTests: number; numPassedTests: number };
  if (numTotalTests === 0 || numPassedTests !== numTotalTests) throw new Error(`${numPassedTests} of ${numTotalTests} tests passed`);
  return `${numPassedTests} tests passed`;
}

/** Runs a block as what it is: what it printed (or answered); throws if it failed or printed nothing. */
async function runs(block: ReadmeBlock): Promise<string> {
  const kind = kindOf(block);
  const printed = await RUNNERS[kind](block);
  if (!printed.trim()) throw new Error(`README.md:${block.line} ran and printed nothing (a ${kind})`);
  return printed;
}

const RUNNERS: Record<Kind, (block: ReadmeBlock) => Promise<string>> = {
  vitest: vitestFile,
  page: (block) => page(block, pairs.get(block)),
  handler: handlerAlone,
  script,
};

describe('the check itself', () => {
  const made = (file: string, code: string): ReadmeBlock => {
    writeFileSync(join(dir, file), code);
    return { file, line: 0, section: '', code };
  };

  it('fails an example that throws, with what it said', async () => {
    await expect(runs(made('throws.ts', "throw new Error('an example that throws');"))).rejects.toThrow(/an example that throws/);
  });

  // The handler forms a host calls, each answering the chat request with the fake's reply.
  const reply = "(await createChatCompletion(await request.json())).choices[0]?.message.content ?? ''";
  const forms = {
    'Deno.serve': `Deno.serve(async (request: Request) => new Response(${reply}));`,
    'Bun.serve': `Bun.serve({ port: 3000, fetch: async (request: Request) => new Response(${reply}) });`,
    'a Next.js route handler': `export async function POST(request: Request) { return new Response(${reply}); }`,
  };
  for (const [form, code] of Object.entries(forms)) {
    it(`serves a handler given to ${form}`, async () => {
      const block = made(`${form.replace(/\W/g, '-')}.ts`, `import { createChatCompletion } from 'openai-chat-fetch';\n${code}`);
      expect(kindOf(block)).toBe('handler');
      expect(await runs(block)).toBe('Echo: Hello from the README test');
    });
  }

  it('fails an example that prints nothing', async () => {
    const silent =
      "import { createChatCompletion } from 'openai-chat-fetch';\nawait createChatCompletion({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] });";
    await expect(runs(made('silent.ts', silent))).rejects.toThrow(/printed nothing/);
  });
});

describe('every TypeScript example of the README runs as written', () => {
  for (const block of blocks.filter((b) => !paired.has(b))) {
    const handler = pairs.get(block);
    const title = `README.md:${block.line}, a ${kindOf(block)}${handler ? ` with the handler at README.md:${handler.line}` : ''} (${block.section})`;
    it(title, { timeout: 2 * RUN_MS }, async () => {
      expect((await runs(block)).trim()).not.toBe('');
    });
  }
});
