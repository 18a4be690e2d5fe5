// Bundle sizes as an app pays for them: esbuild bundles an entry importing the built package
// (dist/index.js, what npm ships), minifies it for browsers, and the result is gzipped.
// Shared by test/size/size.test.ts (which enforces the ceilings) and `npm run size` (which prints).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DIST = 'dist/index.js';
/** `openai-chat-fetch/relay`: an entry of its own, which only servers load. */
const RELAY = 'dist/relay.js';

export interface Measured {
  /** What the bundle holds. */
  name: string;
  minified: number;
  gzipped: number;
  /** The most `gzipped` may be (the README's Performance section lists the ceilings). */
  ceiling?: number;
  /** A layer above the wire: its ceiling is on what it adds to the named entry. */
  layer?: { over: string; ceiling: number };
  /** For a layer: what it adds over its base entry. */
  added?: number;
}

const CREATE = 'openai-chat-fetch, createChatCompletion only';

/**
 * The entries: ours whole, the wire API, ours for one chat call and each layer on top of it, and
 * the official SDK (6.x, which the differential tests use, and the latest 7.x) for one chat call.
 * The `openai-chat-fetch/fake` entry is a file of its own (dist/fake.js), loaded only by tests, so
 * it counts against no ceiling; `openai-chat-fetch/relay` (dist/relay.js) has its own. Each ceiling guards against regression, with room on purpose:
 * readability comes before the last bytes.
 */
/**
 * The ceilings stand above the project's targets (create 7,000 B, the wire API 9,800 B, the whole
 * entry 18,000 B; structured outputs +2,200 B, events +6,400 B, runTools +9,000 B; the relay
 * 5,000 B): masking on the text as shown and in 16-character runs, the status classes, the
 * connection causes, the tool loop's one parse per step, the relay's checks and one reading of
 * a choice's index for the fold and the stream's end alike, a key screen whose cost does not grow with the
 * key's length, and a request path that builds no lookup string and no spread copy per call, cost what they cost. They hold what is built, so that nothing grows further unseen.
 */
export const ENTRIES: (Omit<Measured, 'minified' | 'gzipped'> & { source: string })[] = [
  { name: 'openai-chat-fetch, the whole public API', ceiling: 22_200, source: `export * from './${DIST}';` },
  {
    name: 'openai-chat-fetch, the wire API (the six endpoints, paginators, fold, SSE in and out, createClient)',
    ceiling: 12_400,
    source: `export {
      createChatCompletion, getChatCompletion, getChatCompletionMessages, listChatCompletions, updateChatCompletion,
      deleteChatCompletion, paginateChatCompletions, paginateChatCompletionMessages, accumulateChatCompletion,
      toServerSentEvents, parseServerSentEvents, createClient,
    } from './${DIST}';`,
  },
  { name: CREATE, ceiling: 9_000, source: `export { createChatCompletion } from './${DIST}';` },
  {
    name: 'openai-chat-fetch, createChatCompletion + structured outputs (jsonSchemaFormat, functionTool, createParsedChatCompletion)',
    layer: { over: CREATE, ceiling: 2_700 },
    source: `export { createChatCompletion, jsonSchemaFormat, functionTool, createParsedChatCompletion } from './${DIST}';`,
  },
  {
    name: 'openai-chat-fetch, createChatCompletion + toChatCompletionEvents (with partial JSON, the fold, toParsedChatCompletion)',
    layer: { over: CREATE, ceiling: 7_800 },
    source: `export { createChatCompletion, toChatCompletionEvents } from './${DIST}';`,
  },
  {
    name: 'openai-chat-fetch, createChatCompletion + runTools (with its events)',
    layer: { over: CREATE, ceiling: 11_400 },
    source: `export { createChatCompletion, functionTool, runTools } from './${DIST}';`,
  },
  {
    name: 'openai-chat-fetch/relay, createRelay + memoryRateLimit (an edge deployment)',
    // Over the relay's 5,000 B target. The relay calls its upstream with plain fetch (no request layer,
    // no retries); what remains is the relay's own work: its checks and the contract's field list,
    // the streamed body read to its cap, the pass-through stream (whole events, and at the end of
    // each read usage, error events and the key masked), the stored-completion endpoints, CORS, the refusals' messages, the
    // upstream call with its idle time-out, and of the SDK the key masking (src/redact.ts) and the
    // error classes onError reports (src/errors.ts). `npm run size -- --by-file` lists each file's share.
    ceiling: 9_450,
    source: `export { createRelay, memoryRateLimit } from './${RELAY}';`,
  },
  { name: 'openai-chat-fetch/relay, the whole entry (toNodeListener too)', source: `export * from './${RELAY}';` },
  // The peers that do the same job, each as an app imports it for one chat call (the versions installed).
  { name: `openai ${version('openai')} (official), one chat.completions.create`, source: official('openai') },
  { name: `openai ${version('openai7')} (official, latest), one chat.completions.create`, source: official('openai7') },
  {
    name: `openai ${version('openai7')} (official, latest), chat.completions.parse with zodResponseFormat (zod ${version('zod')} included)`,
    source: `import OpenAI from 'openai7';
      import { zodResponseFormat } from 'openai7/helpers/zod';
      import { z } from 'zod';
      const client = new OpenAI({ apiKey: 'sk-size', dangerouslyAllowBrowser: true });
      const Answer = z.object({ city: z.string(), celsius: z.number() });
      export const ask = (content) => client.chat.completions.parse({ model: 'gpt-4o-mini', messages: [{ role: 'user', content }], response_format: zodResponseFormat(Answer, 'answer') });`,
  },
  {
    name: `ai ${version('ai')} + @ai-sdk/openai ${version('@ai-sdk/openai')}, one streamText on the .chat model`,
    source: `import { streamText } from 'ai';
      import { createOpenAI } from '@ai-sdk/openai';
      const model = createOpenAI({ apiKey: 'sk-size' }).chat('gpt-4o-mini');
      export const ask = (prompt) => streamText({ model, prompt }).textStream;`,
  },
  {
    name: `xsai ${version('@xsai/stream-text')}, one streamText (@xsai/stream-text)`,
    source: `import { streamText } from '@xsai/stream-text';
      export const ask = (content) => streamText({ apiKey: 'sk-size', baseURL: 'https://api.openai.com/v1/', model: 'gpt-4o-mini', messages: [{ role: 'user', content }] }).textStream;`,
  },
  {
    name: `xsai ${version('@xsai/generate-text')}, one generateText (@xsai/generate-text)`,
    source: `import { generateText } from '@xsai/generate-text';
      export const ask = (content) => generateText({ apiKey: 'sk-size', baseURL: 'https://api.openai.com/v1/', model: 'gpt-4o-mini', messages: [{ role: 'user', content }] });`,
  },
];

/** The installed version of a package, from its package.json. */
function version(pkg: string): string {
  return (JSON.parse(readFileSync(new URL(`../../node_modules/${pkg}/package.json`, import.meta.url), 'utf8')) as { version: string }).version;
}

/** One chat call with the official SDK, from the named package. */
function official(pkg: string): string {
  return `import OpenAI from '${pkg}';
      const client = new OpenAI({ apiKey: 'sk-size', dangerouslyAllowBrowser: true });
      export const ask = (content) => client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content }] });`;
}

/** How an app's bundler treats us: esbuild bundle + minify, for browsers, as ESM. */
const BUNDLE = { bundle: true, minify: true, format: 'esm', platform: 'browser', target: 'es2022', write: false, logLevel: 'silent' } as const;

/** min+gzip of one entry: the bundle, then gzip at its default level. */
export async function measure(source: string): Promise<{ minified: number; gzipped: number }> {
  const result = await build({ ...BUNDLE, stdin: { contents: source, resolveDir: ROOT, loader: 'js' } });
  const code = result.outputFiles[0].contents;
  return { minified: code.byteLength, gzipped: gzipSync(code).byteLength };
}

export async function measureAll(): Promise<Measured[]> {
  if (!existsSync(new URL(`../../${DIST}`, import.meta.url))) throw new Error(`${DIST} is missing: run \`npm run build\` first.`);
  const sizes: Measured[] = await Promise.all(ENTRIES.map(async ({ source, ...entry }) => ({ ...entry, ...(await measure(source)) })));
  for (const entry of sizes) {
    const base = entry.layer && sizes.find(({ name }) => name === entry.layer!.over);
    if (base) entry.added = entry.gzipped - base.gzipped;
  }
  return sizes;
}

/**
 * Where the bytes of our two bundles come from: each source file's share of the minified
 * bundle, built from src/ with the same settings (gzip has no per-file share to give).
 */
export async function bySourceFile(): Promise<{ name: string; files: [string, number][] }[]> {
  return Promise.all(
    ENTRIES.filter((entry) => entry.ceiling !== undefined).map(async ({ name, source }) => {
      const result = await build({
        ...BUNDLE,
        metafile: true,
        stdin: { contents: source.replace(`./${DIST}`, './src/index.ts').replace(`./${RELAY}`, './src/relay/index.ts'), resolveDir: ROOT, loader: 'ts' },
      });
      const inputs = Object.values(result.metafile.outputs)[0].inputs;
      const files = Object.entries(inputs)
        .map(([file, { bytesInOutput }]): [string, number] => [file, bytesInOutput])
        .filter(([, bytes]) => bytes > 0)
        .sort((a, b) => b[1] - a[1]);
      return { name, files };
    }),
  );
}

/** The figures as a Markdown table, with each ceiling's verdict. */
export function table(sizes: Measured[]): string {
  const bytes = (n: number) => `${n.toLocaleString('en')} B`;
  const verdict = (figure: number, ceiling: number) =>
    figure <= ceiling ? `held, ${bytes(ceiling - figure)} to spare` : `BROKEN by ${bytes(figure - ceiling)}`;
  const rows = sizes.map(({ name, minified, gzipped, ceiling, layer, added }) => [
    name,
    bytes(minified),
    bytes(gzipped) + (added === undefined ? '' : ` (+${bytes(added)})`),
    ceiling !== undefined
      ? `${bytes(ceiling)} ${verdict(gzipped, ceiling)}`
      : layer && added !== undefined
        ? `+${bytes(layer.ceiling)} ${verdict(added, layer.ceiling)}`
        : '',
  ]);
  const header = ['bundle', 'minified', 'min+gzip', 'ceiling'];
  const widths = header.map((_, i) => Math.max(header[i]!.length, ...rows.map((row) => row[i]!.length)));
  const line = (row: string[]) => '| ' + row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join(' | ') + ' |';
  return [line(header), '|' + widths.map((w, i) => '-'.repeat(w + 1) + (i === 0 ? '-' : ':')).join('|') + '|', ...rows.map(line)].join('\n');
}

/** What `npm test` enforces for an entry: its ceiling, or for a layer its base plus the layer's ceiling. */
export function ceilingOf({ ceiling, layer, gzipped, added }: Measured): number | undefined {
  if (layer && added !== undefined) return gzipped - added + layer.ceiling;
  return ceiling;
}
