// Stream events with partial parsing on structured answers of 16 KB to 1 MB, in three shapes (an
// object, a growing array, a long string), in 4-character
// deltas (one chunk each, as the API sends them), read from SSE bytes in 1–16 KB pieces (network
// reads) through `parseServerSentEvents` in-process: the plain fold (`accumulateChatCompletion`); our events,
// every event read (its `parsed` left unread), and with `parsed` read on every event too; and
// the official SDK's stream helper with a zod format on the same bytes (it re-parses the
// whole snapshot on every delta).
//
//   npx tsx test/bench/events.ts [--official=65536] [--rounds=3]
//
// `--official` is the largest size the official helper runs on (default 64 KB: it is
// quadratic, 23 s at 64 KB was measured; 0 skips it). Times are CPU ms, the fastest of
// `--rounds` runs (more at small sizes); the official helper runs once.
import OpenAI from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import { z } from 'zod';
import { accumulateChatCompletion } from '../../src/fold/accumulate.js';
import { toChatCompletionEvents } from '../../src/events/to-events.js';
import { parseServerSentEvents } from '../../src/stream/chunk-stream.js';
import { jsonSchemaFormat } from '../../src/structured/index.js';
import type { JSONSchemaFormat } from '../../src/structured/index.js';
import { Body, chunkEvent, growingArray, longString, pieces, structuredAnswer, StructuredAnswer } from './data.js';
import { doubling, table, verdict } from './measure.js';

const KB = 1024;
const DELTA = 4;
const SIZES = [16, 32, 64, 128, 256, 512, 1024].map((size) => size * KB);
/** The budget: events with `parsed` read on every delta at most 2.5× the fold at 64 KB, and time at most ×2.3 per doubling of size. */
const BUDGET_SIZE = 64 * KB;
const BUDGET_RATIO = 2.5;
const MAX_DOUBLING = 2.3;
const option = (name: string, fallback: number) => Number(process.argv.find((arg) => arg.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const OFFICIAL_LIMIT = option('official', 64 * KB);
const ROUNDS = option('rounds', 3);

/** An answer's shape: how its text is made, and the schema it is parsed with. */
interface Shape {
  title: string;
  make: (size: number) => string;
  schema: z.ZodType;
}

/** The three shapes the budget names: an object, a growing array, a long string. */
const SHAPES: Shape[] = [
  { title: 'An object (five short fields, a long body of ¼ the size, an array of ~180-byte items)', make: structuredAnswer, schema: StructuredAnswer },
  { title: 'A growing array (`{"items":[0,1,...]}`, about one item a delta)', make: growingArray, schema: z.object({ items: z.array(z.number()) }) },
  { title: 'A long string (`{"text":"xx..."}`)', make: longString, schema: z.object({ text: z.string() }) },
];

/** Network-sized reads of the body. One read of the whole body would measure Node's stream queue instead: */
// the chunk stream enqueues every chunk of a read at once, and Node 20's ReadableStream queue costs
// O(length) a read (8.2 s for 128k queued items, 0.7 s for 32k), so 37 MB in one piece is quadratic.
const READ = [1 * KB, 16 * KB];

/** The SSE bytes of the answer, in network reads: a role chunk, one chunk per delta, the finish chunk, `[DONE]`. */
function sse(text: string): { bytes: Uint8Array[]; chunks: number } {
  const events = [chunkEvent({ role: 'assistant', content: '', refusal: null })];
  // Code points are not split: a delta never ends in half a surrogate pair, as the API's never do.
  const points = [...text];
  for (let start = 0; start < points.length; start += DELTA) events.push(chunkEvent({ content: points.slice(start, start + DELTA).join('') }));
  events.push(chunkEvent({}, 'stop'), 'data: [DONE]\n\n');
  return { bytes: pieces(events.join(''), READ[0], READ[1]), chunks: events.length - 1 };
}

const bodyOf = (bytes: Uint8Array[]) => new Response(new Body(bytes[Symbol.iterator]()).stream).body!;
const chunksOf = (bytes: Uint8Array[]) => parseServerSentEvents(bodyOf(bytes));

// What each contender's last event held, checked after its run (never all of them kept).
let sink: unknown;

async function fold(bytes: Uint8Array[]): Promise<unknown> {
  const completion = await accumulateChatCompletion(chunksOf(bytes));
  return JSON.parse(completion.choices[0].message.content!);
}

async function events(bytes: Uint8Array[], format: JSONSchemaFormat, readParsed: boolean): Promise<unknown> {
  let count = 0;
  for await (const event of toChatCompletionEvents(chunksOf(bytes), { response_format: format })) {
    count++;
    if (event.type === 'content.delta') sink = readParsed ? event.parsed : event.snapshot.length;
    if (event.type === 'done') return event.completion.choices[0].message.parsed;
  }
  throw new Error(`no done event after ${count} events`);
}

async function official(bytes: Uint8Array[], schema: z.ZodType): Promise<unknown> {
  const client = new OpenAI({
    apiKey: 'sk-bench',
    maxRetries: 0,
    fetch: async () => new Response(bodyOf(bytes), { headers: { 'content-type': 'text/event-stream' } }),
  });
  const runner = client.chat.completions.stream({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: 'Fill in the form.' }],
    response_format: zodResponseFormat(schema, 'answer'),
  });
  runner.on('content.delta', (event) => {
    sink = event.parsed;
  });
  return (await runner.finalChatCompletion()).choices[0].message.parsed;
}

/**
 * The fastest of `rounds` runs, in ms of this process's CPU time (its collector's threads
 * included): on a shared machine, time spent descheduled is not ours, and other work only adds.
 */
async function time(rounds: number, run: () => Promise<unknown>): Promise<number> {
  let best = Infinity;
  for (let round = 0; round < rounds; round++) {
    const started = process.cpuUsage();
    await run();
    const { user, system } = process.cpuUsage(started);
    best = Math.min(best, (user + system) / 1000);
  }
  return best;
}

const ms = (value: number) => (value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : value >= 100 ? value.toFixed(0) : value.toFixed(1));

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

interface Row {
  size: number;
  chunks: number;
  fold: number;
  lazy: number;
  eager: number;
  /** The official helper's time, or why not. */
  official: string;
}

/** Our three contenders on one size of a shape, checked first. */
async function measureOurs(shape: Shape, format: JSONSchemaFormat, size: number): Promise<Row> {
  const text = shape.make(size);
  const { bytes, chunks } = sse(text);
  const expected = JSON.parse(text);
  for (const [name, value] of [
    ['fold', await fold(bytes)],
    ['events', await events(bytes, format, false)],
    ['events + parsed', await events(bytes, format, true)],
  ] as const) {
    if (!same(value, expected)) throw new Error(`${name} got a wrong value at ${size / KB} KB`);
  }
  // Small sizes run more rounds: their runs are short and noisier.
  const rounds = ROUNDS * Math.max(1, SIZES.at(-1)! / size / 8);
  const row = { size, chunks, fold: 0, lazy: 0, eager: 0, official: 'skipped' };
  row.fold = await time(rounds, () => fold(bytes));
  row.lazy = await time(rounds, () => events(bytes, format, false));
  row.eager = await time(rounds, () => events(bytes, format, true));
  return row;
}

/** The official helper on one size of a shape, once. */
async function measureOfficial(shape: Shape, row: Row): Promise<void> {
  const text = shape.make(row.size);
  const bytes = sse(text).bytes;
  let value: unknown;
  const elapsed = await time(1, async () => {
    value = await official(bytes, shape.schema);
  });
  if (!same(value, JSON.parse(text))) throw new Error(`the official helper got a wrong value at ${row.size / KB} KB`);
  row.official = `${ms(elapsed)} (${(elapsed / row.fold).toFixed(0)}x fold)`;
}

function print(shape: Shape, rows: Row[]): string[] {
  const cells = rows.map((row, i) => {
    const before = rows[i - 1];
    return [
      `${row.size / KB} KB`,
      row.chunks.toLocaleString('en'),
      ms(row.fold),
      doubling(row.fold, before?.fold),
      ms(row.lazy),
      `${(row.lazy / row.fold).toFixed(2)}x`,
      doubling(row.lazy, before?.lazy),
      ms(row.eager),
      `${(row.eager / row.fold).toFixed(2)}x`,
      doubling(row.eager, before?.eager),
      row.official,
    ];
  });
  const header = [
    'size',
    'chunks',
    'fold',
    'fold ×2 size',
    'events',
    'events / fold',
    'events ×2 size',
    'events + parsed',
    '+ parsed / fold',
    '+ parsed ×2 size',
    'official stream helper',
  ];
  table(`${shape.title}, events through toChatCompletionEvents`, header, cells);
  return budgets(shape, rows);
}

/** The shape's lines of the budget summary: the ratio at 64 KB, and the mean factor per doubling. */
function budgets(shape: Shape, rows: Row[]): string[] {
  const budget = rows.find((row) => row.size === BUDGET_SIZE)!;
  const [lazy, eager] = [budget.lazy / budget.fold, budget.eager / budget.fold];
  // The mean factor per doubling over the whole range: steadier than any one step.
  const doublings = Math.log2(SIZES.at(-1)! / SIZES[0]);
  const mean = (key: 'fold' | 'lazy' | 'eager') => (rows.at(-1)![key] / rows[0][key]) ** (1 / doublings);
  const linear = (factor: number) => `${factor.toFixed(2)} (${verdict(factor <= MAX_DOUBLING)})`;
  const name = shape.title.split(' (')[0];
  return [
    `- ${name}, at ${BUDGET_SIZE / KB} KB: events ${lazy.toFixed(2)}x the fold (${verdict(lazy <= BUDGET_RATIO)}), with parsed read on every delta ${eager.toFixed(2)}x (${verdict(eager <= BUDGET_RATIO)}); budget ≤ ${BUDGET_RATIO}x`,
    `- ${name}, mean time factor per doubling ${SIZES[0] / KB} KB to ${SIZES.at(-1)! / KB} KB: fold ${mean('fold').toFixed(2)}, events ${linear(mean('lazy'))}, events + parsed ${linear(mean('eager'))}; budget ≤ ${MAX_DOUBLING}, linear is 2.00`,
  ];
}

async function main(): Promise<void> {
  console.log(
    `Node ${process.version}; ${DELTA}-character deltas, one chunk each, SSE bytes in 1–16 KB reads through parseServerSentEvents in-process; CPU ms, fastest of ${ROUNDS}+ runs (official: one run, up to ${OFFICIAL_LIMIT / KB} KB, after ours, so its garbage slows none of them).`,
  );
  console.log(
    `Budgets: events with \`parsed\` read on every delta ≤ ${BUDGET_RATIO}x the fold at ${BUDGET_SIZE / KB} KB; time ≤ x${MAX_DOUBLING} per doubling of size, for every shape.`,
  );
  const lines: string[] = [];
  for (const shape of SHAPES) {
    const format = jsonSchemaFormat(shape.schema as never, { name: 'answer' }) as JSONSchemaFormat;
    // Every contender compiled and warm before the first measurement.
    const warm = sse(shape.make(BUDGET_SIZE)).bytes;
    for (let round = 0; round < 3; round++)
      for (const run of [() => fold(warm), () => events(warm, format, false), () => events(warm, format, true)]) await run();
    const rows: Row[] = [];
    for (const size of SIZES) rows.push(await measureOurs(shape, format, size));
    for (const row of rows) if (row.size <= OFFICIAL_LIMIT) await measureOfficial(shape, row);
    lines.push(...print(shape, rows));
  }
  console.log('\nBudgets:');
  for (const line of lines) console.log(line);
  if (sink === Symbol.for('never')) console.log(sink);
}

await main();
