// Bundle sizes as an app pays for them: esbuild bundles an entry importing the built package
// (dist/index.js, what npm ships), minifies it for browsers, and the result is gzipped.
// Shared by test/size/size.test.ts (which enforces the budgets) and `npm run size` (which prints).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DIST = 'dist/index.js';

export interface Measured {
  /** What the bundle holds. */
  name: string;
  minified: number;
  gzipped: number;
  /** DESIGN.md §7's budget for `gzipped`, if it has one. */
  budget?: number;
  /**
   * What `npm test` holds `gzipped` to while the budget is out of reach, and why; see the README's
   * Size section. Without it, the budget itself is enforced.
   */
  interim?: { ceiling: number; why: string };
  /** A layer above the wire: its budget is what it adds to the named entry (DESIGN §7: ≤ +1,500 B each). */
  layer?: { over: string; budget: number };
  /** For a layer: what it adds over its base entry. */
  added?: number;
}

/** Why the layers are over DESIGN §7's +1,500 B: measured, with what each costs, in the notes. */
const LAYERS =
  'over budget as built: strict-mode preparation (~500 B), $ref-aware null removal, the supported-keyword list, three error classes; a decision on the budget is asked in the notes';

/** What issue 23 added to the events and the tool loop, measured against the layout commit. */
const PROVIDERS =
  "issue 23: calls without index told apart by id, a call's arguments read for wholeness, each answer validated once (a hand-over of validations), getResponseMeta on every fold: ~850 B on the events; one parse of each step for both loop modes, stop reasons and usage checks: ~550 B more on runTools";

/** Why create and the wire API are over DESIGN §7: issue 12's safety checks, measured. */
const SECURITY =
  'over budget since the security work of issue 12 (validated options and headers, parsed baseURL, redaction in any JSON spelling and in streams, error-body caps, idle timer per read); a decision on the budget is asked in the notes';

/**
 * The entries: ours whole, the wire API, ours for one chat call, and the official SDK (6.x, which
 * the differential tests use, and the latest 7.x) for one chat call. The `openai-chat-fetch/fake`
 * entry is a file of its own (dist/fake.js), loaded only by tests, so it counts against no budget.
 */
export const ENTRIES: (Omit<Measured, 'minified' | 'gzipped'> & { source: string })[] = [
  // DESIGN.md §7's ceilings, each with headroom on purpose: readability comes before the last bytes.
  {
    name: 'openai-chat-fetch, the whole public API',
    budget: 9_000,
    interim: { ceiling: 18_200, why: `the wire API's and the layers' overruns added up (${SECURITY}; ${LAYERS}; ${PROVIDERS})` },
    source: `export * from './${DIST}';`,
  },
  {
    name: 'openai-chat-fetch, the wire API (DESIGN §1)',
    budget: 5_000,
    interim: { ceiling: 9_450, why: SECURITY + ', and the fold of issue 14 (index-keyed lists, content parts, labels, error.partial): ~2,000 B of it' },
    source: `export {
      createChatCompletion, getChatCompletion, getChatCompletionMessages, listChatCompletions, updateChatCompletion,
      deleteChatCompletion, paginateChatCompletions, paginateChatCompletionMessages, accumulateChatCompletion,
      toServerSentEvents, parseServerSentEvents, createClient,
    } from './${DIST}';`,
  },
  {
    name: 'openai-chat-fetch, createChatCompletion only',
    budget: 3_700,
    interim: { ceiling: 6_700, why: SECURITY + '; hooks, key functions and response metadata on top' },
    source: `export { createChatCompletion } from './${DIST}';`,
  },
  {
    name: 'openai-chat-fetch, createChatCompletion + structured outputs (jsonSchemaFormat, functionTool, parseChatCompletion)',
    layer: { over: 'openai-chat-fetch, createChatCompletion only', budget: 1_500 },
    interim: { ceiling: 8_800, why: LAYERS },
    source: `export { createChatCompletion, jsonSchemaFormat, functionTool, parseChatCompletion } from './${DIST}';`,
  },
  {
    name: 'openai-chat-fetch, createChatCompletion + createPartialJSONParser',
    layer: { over: 'openai-chat-fetch, createChatCompletion only', budget: 1_500 },
    interim: {
      ceiling: 8_900,
      why: 'the parser alone, over budget as built (eager and lazy snapshots, exact error positions); the events layer is not yet measured with it',
    },
    source: `export { createChatCompletion, createPartialJSONParser } from './${DIST}';`,
  },
  {
    name: 'openai-chat-fetch, createChatCompletion + toChatCompletionEvents (with partial JSON, the fold, parseCompletion)',
    layer: { over: 'openai-chat-fetch, createChatCompletion only', budget: 1_500 },
    interim: {
      ceiling: 13_500,
      why: `the events need the partial parser (~1,900 B), the fold (~1,800 B) and parseCompletion with its errors; the events code itself is ~1,800 B; ${PROVIDERS}`,
    },
    source: `export { createChatCompletion, toChatCompletionEvents } from './${DIST}';`,
  },
  {
    name: 'openai-chat-fetch, createChatCompletion + runTools (with its events)',
    layer: { over: 'openai-chat-fetch, createChatCompletion only', budget: 1_500 },
    interim: {
      ceiling: 16_600,
      why: `runTools with its events brings the events layer, the fold and the partial parser (see the events entry), and functionTool with its strict-mode preparation (${LAYERS}; ${PROVIDERS})`,
    },
    source: `export { createChatCompletion, functionTool, runTools } from './${DIST}';`,
  },
  { name: 'openai 6.x (official), one chat.completions.create', source: official('openai') },
  { name: 'openai 7.x (official, latest), one chat.completions.create', source: official('openai7') },
];

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
    ENTRIES.filter((entry) => entry.budget !== undefined).map(async ({ name, source }) => {
      const result = await build({
        ...BUNDLE,
        metafile: true,
        stdin: { contents: source.replace(`./${DIST}`, './src/index.ts'), resolveDir: ROOT, loader: 'ts' },
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

/** The figures as a Markdown table, with each budget's verdict and any interim ceiling. */
export function table(sizes: Measured[]): string {
  const bytes = (n: number) => `${n.toLocaleString('en')} B`;
  const verdict = (figure: number, budget: number) => (figure <= budget ? `met, ${bytes(budget - figure)} to spare` : `MISSED by ${bytes(figure - budget)}`);
  const rows = sizes.map(({ name, minified, gzipped, budget, interim, layer, added }) => [
    name,
    bytes(minified),
    bytes(gzipped) + (added === undefined ? '' : ` (+${bytes(added)})`),
    budget !== undefined
      ? `${bytes(budget)} ${verdict(gzipped, budget)}`
      : layer && added !== undefined
        ? `+${bytes(layer.budget)} ${verdict(added, layer.budget)}`
        : '',
    interim === undefined ? '' : `${bytes(interim.ceiling)} ${gzipped <= interim.ceiling ? 'held' : 'BROKEN'}`,
  ]);
  const header = ['bundle', 'minified', 'min+gzip', 'DESIGN §7 budget', 'interim ceiling'];
  const widths = header.map((_, i) => Math.max(header[i]!.length, ...rows.map((row) => row[i]!.length)));
  const line = (row: string[]) => '| ' + row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join(' | ') + ' |';
  return [line(header), '|' + widths.map((w, i) => '-'.repeat(w + 1) + (i === 0 ? '-' : ':')).join('|') + '|', ...rows.map(line)].join('\n');
}

/** What `npm test` enforces for an entry: its interim ceiling while it has one, else its budget (for a layer, base + its budget). */
export function ceilingOf({ budget, interim, layer, gzipped, added }: Measured): number | undefined {
  if (interim) return interim.ceiling;
  if (layer && added !== undefined) return gzipped - added + layer.budget;
  return budget;
}
