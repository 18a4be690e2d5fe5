// What the README says of bundlers, with each one it names: an app that imports only
// createChatCompletion from the installed package gets the request, error and stream code, and
// none of pagination, toServerSentEvents, the fake, the relay or the layer above the wire
// (structured outputs, events, partial JSON, the tool loop); one that makes a client and hands
// it nothing gets no layer above either. Each part is recognised by text of its own that
// survives minifying (a message, a property name); an app that imports every part shows that
// text is there when the part is, so a marker that went stale fails here instead of passing.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { build as esbuild, transform } from 'esbuild';
import { rollup } from 'rollup';
import { build as vite } from 'vite';
import webpack from 'webpack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userProject } from '../runtimes/pack.js';

/** Text only that part's code holds (comments never count: see `code`). */
const PARTS = {
  pagination: 'has_more',
  toServerSentEvents: 'event: error',
  'the fake': 'req_fake',
  'the relay': 'relay_error',
  'structured outputs': 'not supported in strict mode',
  'stream events': 'content.delta',
  'partial JSON': 'Invalid JSON at position',
  'the tool loop': 'maxSteps',
};
/** The layer above the wire, which a client binds only when handed it. */
const LAYER: (keyof typeof PARTS)[] = ['structured outputs', 'stream events', 'partial JSON', 'the tool loop'];
/** What createChatCompletion itself must bring. */
const CREATE = ['/chat/completions', 'Request timed out'];

const APPS = {
  'create.js': `import { createChatCompletion } from 'openai-chat-fetch';
createChatCompletion({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] }).then((completion) => console.log(completion.choices[0]?.message.content));
`,
  'client.js': `import { createClient } from 'openai-chat-fetch';
const openai = createClient({ timeout: 30_000 });
openai.listChatCompletions().then((page) => console.log(page.data.length));
`,
  'everything.js': `import { createChatCompletion, paginateChatCompletions, toServerSentEvents, jsonSchemaFormat, toChatCompletionEvents, createPartialJSONParser, runTools } from 'openai-chat-fetch';
import { createFakeOpenAI } from 'openai-chat-fetch/fake';
import { createRelay } from 'openai-chat-fetch/relay';
globalThis.used = [createChatCompletion, paginateChatCompletions, toServerSentEvents, jsonSchemaFormat, toChatCompletionEvents, createPartialJSONParser, runTools, createFakeOpenAI, createRelay];
`,
};

type Bundler = (dir: string, entry: string) => Promise<string>;

const BUNDLERS: Record<string, Bundler> = {
  async esbuild(dir, entry) {
    const result = await esbuild({
      entryPoints: [join(dir, entry)],
      absWorkingDir: dir,
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      write: false,
      logLevel: 'silent',
    });
    return result.outputFiles[0]!.text;
  },
  async Rollup(dir, entry) {
    const bundle = await rollup({ input: join(dir, entry), plugins: [nodeResolve({ browser: true, rootDir: dir })], logLevel: 'silent' });
    const { output } = await bundle.generate({ format: 'es' });
    await bundle.close();
    return output[0].code;
  },
  async Vite(dir, entry) {
    const result = await vite({
      configFile: false,
      root: dir,
      logLevel: 'silent',
      build: { write: false, rolldownOptions: { input: join(dir, entry) } },
    });
    const [output] = Array.isArray(result) ? result : [result];
    const chunk = (output as { output: { type: string; code?: string }[] }).output.find((file) => file.type === 'chunk');
    return chunk!.code!;
  },
  Webpack: (dir, entry) =>
    new Promise((resolve, reject) => {
      const out = join(dir, 'webpack-out');
      const name = entry.replace('.js', '.bundle.js');
      webpack({ mode: 'production', context: dir, entry: `./${entry}`, target: 'web', output: { path: out, filename: name } }, (error, stats) => {
        if (error || stats?.hasErrors()) return reject(error ?? new Error(stats!.toString('errors-only')));
        resolve(readFileSync(join(out, name), 'utf8'));
      });
    }),
};

/** The bundle's code without its comments (Rollup keeps them). */
async function code(bundle: string): Promise<string> {
  return (await transform(bundle, { minifyWhitespace: true, format: 'esm' })).code;
}

let dir: string;
beforeAll(async () => {
  dir = await userProject('bundlers', APPS);
}, 180_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.each(Object.entries(BUNDLERS))('%s keeps only what the app imports', (_name, bundle) => {
  it('an app that imports createChatCompletion only: no pagination, toServerSentEvents, fake, relay or layer above', { timeout: 60_000 }, async () => {
    const create = await code(await bundle(dir, 'create.js'));
    for (const text of CREATE) expect(create).toContain(text);
    const present = Object.entries(PARTS).filter(([, text]) => create.includes(text));
    expect(present.map(([part]) => part)).toEqual([]);
  });

  it('an app that makes a client and hands it nothing: no layer above', { timeout: 60_000 }, async () => {
    const client = await code(await bundle(dir, 'client.js'));
    expect(client).toContain(PARTS.pagination);
    expect(LAYER.filter((part) => client.includes(PARTS[part]))).toEqual([]);
  });

  it('an app that imports every part has each', { timeout: 60_000 }, async () => {
    const everything = await code(await bundle(dir, 'everything.js'));
    const missing = Object.entries(PARTS).filter(([, text]) => !everything.includes(text));
    expect(missing.map(([part]) => part)).toEqual([]);
  });
});
