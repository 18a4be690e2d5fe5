// The partial JSON parser on answers of 16 KB to 1 MB in three shapes (an object, a growing
// array, a long string), in 4-character deltas (about one model token each), building the
// snapshot after every delta (`push`) or none (`pushLazy`, the snapshots left unread); beside
// one JSON.parse of the whole, the plain fold (the deltas joined, then one JSON.parse), and the
// official SDK's `partialParse` re-run on the text so far after every delta (what its stream
// helper does).
//
//   npx tsx test/bench/partial-json.ts [--official=65536] [--rounds=5]
//
// `--official` is the largest size the official parser runs on (default 64 KB: it is
// quadratic, 1 MB would take hours). Times are the fastest of `--rounds` runs (more below 128 KB).
import { createRequire } from 'node:module';
import { createPartialJSONParser } from '../../src/partial-json/parser.js';
import { growingArray, longString, structuredAnswer } from './data.js';
import { doubling, table, verdict } from './measure.js';

const require = createRequire(import.meta.url);
// The official SDK's vendored parser, imported from its built file (not part of its exports).
const { partialParse } = require('../../node_modules/openai/_vendor/partial-json-parser/parser.js') as { partialParse: (text: string) => unknown };

const KB = 1024;
const DELTA = 4;
const SIZES = [16, 32, 64, 128, 256, 512, 1024].map((size) => size * KB);
const option = (name: string, fallback: number) => Number(process.argv.find((arg) => arg.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const OFFICIAL_LIMIT = option('official', 64 * KB);
const ROUNDS = option('rounds', 5);
/** The budget: time at most ×2.3 per doubling of size, whatever the shape. */
const MAX_DOUBLING = 2.3;

function deltas(text: string): string[] {
  const out: string[] = [];
  for (let start = 0; start < text.length; start += DELTA) out.push(text.slice(start, start + DELTA));
  return out;
}

/**
 * The fastest of `rounds` runs, in milliseconds of this process's CPU time (the garbage
 * collector's threads included). No forced collection between runs: one shrinks the young
 * generation, and the scavenges until it grows back would land on the run after it.
 * CPU time, not wall time: on a machine shared with other work, time spent descheduled is
 * not the parser's; and other processes only ever add time, so the minimum is the steadiest.
 */
function time(rounds: number, run: () => unknown): number {
  const times: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const started = process.cpuUsage();
    run();
    const { user, system } = process.cpuUsage(started);
    times.push((user + system) / 1000);
  }
  return Math.min(...times);
}

// Snapshots are kept here one at a time (never all: at 1 MB that would hold 250k arrays).
let sink: unknown;

function ours(pieces: string[]): unknown {
  const parser = createPartialJSONParser();
  for (const piece of pieces) sink = parser.push(piece);
  return parser.end();
}

function lazily(pieces: string[]): unknown {
  const parser = createPartialJSONParser();
  for (const piece of pieces) sink = parser.pushLazy(piece);
  return parser.end();
}

function fold(pieces: string[]): unknown {
  let text = '';
  for (const piece of pieces) text += piece;
  return JSON.parse(text);
}

function official(pieces: string[]): unknown {
  let text = '';
  for (const piece of pieces) {
    text += piece;
    sink = partialParse(text);
  }
  return sink;
}

const ms = (value: number) => (value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2));

function run(title: string, make: (size: number) => string): void {
  // Every contender compiled and warm before the first measurement.
  const warm = deltas(make(SIZES[2]));
  for (let round = 0; round < 5; round++) [ours, lazily, fold].forEach((contender) => contender(warm));
  const rows: string[][] = [];
  const first = { eager: 0, lazy: 0 };
  let previous: { eager: number; lazy: number } | undefined;
  for (const size of SIZES) {
    const text = make(size);
    const pieces = deltas(text);
    if (JSON.stringify(ours(pieces)) !== JSON.stringify(JSON.parse(text))) throw new Error(`wrong value at ${size}`);
    // Small sizes run more rounds: their runs are short and noisier.
    const rounds = ROUNDS * Math.max(1, SIZES.at(-1)! / size / 8);
    const parse = time(rounds * 4, () => JSON.parse(text));
    const plain = time(rounds, () => fold(pieces));
    const eager = time(rounds, () => ours(pieces));
    const lazy = time(rounds, () => lazily(pieces));
    const theirs = size <= OFFICIAL_LIMIT ? time(1, () => official(pieces)) : undefined;
    rows.push([
      `${size / KB} KB`,
      String(pieces.length),
      ms(parse),
      ms(plain),
      ms(eager),
      ((eager / text.length) * KB * 1000).toFixed(0),
      (eager / plain).toFixed(1),
      doubling(eager, previous?.eager),
      ms(lazy),
      ((lazy / text.length) * KB * 1000).toFixed(0),
      doubling(lazy, previous?.lazy),
      theirs === undefined ? 'skipped' : `${ms(theirs)} (${(theirs / eager).toFixed(0)}x push)`,
    ]);
    previous = { eager, lazy };
    if (!first.eager) Object.assign(first, previous);
  }
  const header = [
    'size',
    'deltas',
    'JSON.parse',
    'fold',
    'push',
    'push µs/KB',
    'push / fold',
    'push ×2 size',
    'pushLazy',
    'lazy µs/KB',
    'lazy ×2 size',
    'official partialParse',
  ];
  table(title, header, rows);
  // The mean factor per doubling over the whole range: steadier than any one step.
  const doublings = Math.log2(SIZES.at(-1)! / SIZES[0]);
  const mean = (last: number, start: number) => (last / start) ** (1 / doublings);
  const push = mean(previous!.eager, first.eager);
  const lazy = mean(previous!.lazy, first.lazy);
  console.log(
    `\nMean time factor per doubling of size, ${SIZES[0] / KB} KB to ${SIZES.at(-1)! / KB} KB: push ${push.toFixed(2)} (${verdict(push <= MAX_DOUBLING)}), pushLazy ${lazy.toFixed(2)} (${verdict(lazy <= MAX_DOUBLING)}); budget ≤ ${MAX_DOUBLING}, linear is 2.00.`,
  );
}

console.log(
  `Node ${process.version}; ${DELTA}-character deltas; CPU ms; push: every snapshot built; pushLazy: none built; fastest of ${ROUNDS}+ runs (official: one run, up to ${OFFICIAL_LIMIT / KB} KB).`,
);
console.log(
  `Budgets: time ≤ ×${MAX_DOUBLING} per doubling of size, for every shape (the ratio to the fold is budgeted for the whole events path, in events.ts).`,
);
run('A structured answer: five short fields, a long body (¼ of the size), an array of ~180-byte items', structuredAnswer);
run('A growing array: `{"items":[0,1,...]}`, about one item a delta', growingArray);
run('One long string field', longString);
