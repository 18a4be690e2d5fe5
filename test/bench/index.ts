// `npm run bench`: openai-chat-fetch beside the official SDK and eventsource-parser, on the same
// bytes, contenders interleaved round by round, medians printed with the budgets of DESIGN.md
// and issue 15: (a)-(d) through an in-process fetch, (e)-(i) over real HTTP on 127.0.0.1
// against a server in a child process (test/bench/http.ts). Times are never asserted in tests (shared machines are noisy): read
// the verdicts here. `--quick` skips the official SDK's one 4 MB event (~40 s, quadratic);
// `--only=a,c` runs only those sections. To see where the time goes: test/bench/profile.ts
// runs one contender under `node --cpu-prof`, and test/bench/top.ts summarises the profile.
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import OpenAI from 'openai';
import { createChatCompletion } from 'openai-chat-fetch';
import { API_KEY, BASE_URL, ESP, FLOOR, OFFICIAL, OURS, drain } from './contenders.js';
import type { Contender, Fetch } from './contenders.js';
import { Body, completion, headers, largeEvent, pieces, repeat, transcript } from './data.js';
import { concurrentStreams, connections, firstChunk, openStreams, socketStreaming, startServer } from './http.js';
import type { BenchServer } from './http.js';
import { MB, bytesText, gc, interleave, median, ms, ratio, table, verdict, verdicts } from './measure.js';

const QUICK = process.argv.includes('--quick');
/**
 * `--only=a,c`: run only these sections: in-process, (a) streaming, (b) large event,
 * (c) non-streaming, (d) memory; over HTTP, (e) time to first chunk, (f) heap per open stream,
 * (g) 5,000 concurrent streams, (h) streaming over a socket, (i) connections per 20 streams;
 * above the wire, (j) stream events on structured answers, (k) partial JSON, (l) the fold;
 * (m) a whole body in one read; (r) the relay beside a bare byte pipe.
 */
const ONLY = process.argv
  .find((arg) => arg.startsWith('--only='))
  ?.slice(7)
  .split(',');
// ---------------------------------------------------------------------------------------------
// In-process fetches: a Response made of given pieces, headers as the API sends them.

const streamFetch =
  (source: () => Iterator<Uint8Array>, bodies?: Body[]): Fetch =>
  async () => {
    const body = new Body(source());
    bodies?.push(body);
    return new Response(body.stream, { headers: headers('text/event-stream; charset=utf-8') });
  };

const contenders: Contender[] = [FLOOR, OURS, ESP, OFFICIAL];
const byName = (name: string) => contenders.find((c) => c.name === name)!;

// ---------------------------------------------------------------------------------------------
// (a) A recorded-shape stream of 20,000 chunks in network-sized pieces.

async function streaming(): Promise<void> {
  const CHUNKS = 20_000;
  const ROUNDS = 15;
  const text = transcript(CHUNKS);
  const encoder = new TextEncoder();
  // Network-sized pieces (what the budget is about), and one event a read: a live stream, where
  // the model, not the network, sets the pace and every read costs its own overhead.
  const profiles = [
    { label: 'of 1-16 KB', parts: pieces(text, 1024, 16 * 1024), budget: true },
    { label: 'one event each', parts: text.split(/(?<=\n\n)/).map((event) => encoder.encode(event)), budget: false },
  ];
  const size = profiles[0].parts.reduce((sum, part) => sum + part.byteLength, 0);
  const rows: string[][] = [];
  for (const { label, parts, budget } of profiles) {
    const fetch = streamFetch(() => parts[Symbol.iterator]());
    const names = contenders.map((c) => c.name);
    const times = await interleave(
      names,
      async (name) => {
        const count = await drain(await byName(name).open(fetch));
        if (count !== CHUNKS) throw new Error(`${name} read ${count} chunks, not ${CHUNKS}`);
      },
      ROUNDS,
      3,
    );
    const base = times[FLOOR.name];
    const ours = ratio(times[OURS.name], base);
    for (const c of contenders) {
      const verdictCell = c === OURS && budget ? `<= 1.2x ${verdict(ours <= 1.2)}` : '';
      rows.push([c.name, `${parts.length.toLocaleString('en')} ${label}`, ms(median(times[c.name])), `${ratio(times[c.name], base).toFixed(2)}x`, verdictCell]);
    }
    if (budget) verdicts.push(`streaming ${ours.toFixed(2)}x floor (budget <= 1.2x): ${verdict(ours <= 1.2)}`);
  }
  table(
    `(a) Streaming: ${CHUNKS.toLocaleString('en')} recorded-shape chunks, ${(size / 1e6).toFixed(2)} MB, through an in-process fetch; median of ${ROUNDS} rounds, x floor = median of the per-round ratios`,
    ['contender', 'pieces', 'median', 'x floor', 'budget'],
    rows,
  );
}

// ---------------------------------------------------------------------------------------------
// (b) One 4 MB event in 256-byte pieces: linear, or not.

async function largeEventSection(): Promise<void> {
  const SIZE = 4 * MB;
  const CAP = 60_000;
  const parts = pieces(largeEvent(SIZE), 256);
  const fetch = streamFetch(() => parts[Symbol.iterator]());
  const read = async (contender: Contender) => {
    const count = await drain(await contender.open(fetch));
    if (count !== 2) throw new Error(`${contender.name} read ${count} chunks, not 2`);
  };
  const names = [OURS.name, ESP.name];
  const times = await interleave(names, (name) => read(byName(name)), 5, 1);
  const esp = median(times[ESP.name]);
  const ours = median(times[OURS.name]);
  let official = 'skipped (--quick)';
  if (!QUICK) {
    // Once, in a child process with a hard limit: its line buffer is copied whole on every piece.
    const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./official-large.ts', import.meta.url))], {
      encoding: 'utf8',
      timeout: CAP,
    });
    official =
      child.status === 0
        ? `${ms(JSON.parse(child.stdout).ms)} (one run)`
        : child.signal
          ? `> ${ms(CAP)} (stopped)`
          : `failed: ${child.stderr.trim().split('\n').at(-1)}`;
  }
  table(
    `(b) One 4 MB event in ${parts.length.toLocaleString('en')} pieces of 256 bytes, median of 5 rounds`,
    ['contender', 'time', 'x eventsource-parser', 'budget'],
    [
      [OURS.name, ms(ours), `${(ours / esp).toFixed(2)}x`, `<= 2x ${verdict(ours <= 2 * esp)}`],
      [ESP.name, ms(esp), '1.00x', ''],
      [OFFICIAL.name, official, '', ''],
    ],
  );
  verdicts.push(`one 4 MB event ${(ours / esp).toFixed(2)}x eventsource-parser (budget <= 2x): ${verdict(ours <= 2 * esp)}`);
}

// ---------------------------------------------------------------------------------------------
// (c) A non-streaming create: what the SDK adds to a bare fetch + JSON.parse.

async function nonStreaming(): Promise<void> {
  // Many short rounds: a load spike on a shared machine then spoils a few ratios, not the median.
  const CALLS = 500;
  const ROUNDS = 31;
  const json = completion(2_000);
  const fetch: Fetch = async () => new Response(json, { headers: headers('application/json') });
  const body = {
    model: 'gpt-4o-mini',
    messages: [
      { role: 'system' as const, content: 'You are a helpful assistant.' },
      { role: 'user' as const, content: 'Explain server-sent events in two paragraphs.' },
    ],
    temperature: 0.7,
  };
  const client = new OpenAI({ apiKey: API_KEY, baseURL: BASE_URL, fetch });
  const calls: Record<string, () => Promise<unknown>> = {
    'bare fetch + JSON.parse': async () => {
      const response = await fetch(`${BASE_URL}/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return JSON.parse(await response.text());
    },
    [OURS.name]: () => createChatCompletion(body, { apiKey: API_KEY, baseURL: BASE_URL, fetch }),
    [OFFICIAL.name]: () => client.chat.completions.create(body),
  };
  const names = Object.keys(calls);
  const times = await interleave(
    names,
    async (name) => {
      for (let i = 0; i < CALLS; i++) {
        const value = (await calls[name]()) as { choices: unknown[] };
        if (value.choices.length !== 1) throw new Error(`${name} returned no choice`);
      }
    },
    ROUNDS,
    5,
    false,
  );
  const base = times[names[0]];
  const ours = ratio(times[OURS.name], base);
  table(
    `(c) Non-streaming create through an in-process fetch: a ${(json.length / 1024).toFixed(1)} KB answer with ${Object.keys(headers('')).length} headers, ${CALLS} calls a round, median of ${ROUNDS} rounds`,
    ['contender', 'median per call', 'x bare', 'budget'],
    names.map((name) => [
      name,
      `${((median(times[name]) / CALLS) * 1000).toFixed(1)} µs`,
      `${ratio(times[name], base).toFixed(2)}x`,
      name === OURS.name ? `<= 1.1x ${verdict(ours <= 1.1)}` : '',
    ]),
  );
  verdicts.push(`non-streaming ${ours.toFixed(2)}x bare fetch (budget <= 1.1x): ${verdict(ours <= 1.1)}`);
}

// ---------------------------------------------------------------------------------------------
// (d) Memory: a 100 MB stream read to the end; a consumer that stops reading.

/** Whole events, about 16 KB of them, repeated to make any size of stream. */
function block(): { block: Uint8Array; tail: Uint8Array } {
  const events = transcript(2_000).split('\n\n');
  let text = '';
  for (let i = 1; text.length < 16 * 1024; i++) text += events[i] + '\n\n';
  const encoder = new TextEncoder();
  return { block: encoder.encode(text), tail: encoder.encode(events.slice(-3).join('\n\n')) };
}

async function memory(): Promise<void> {
  const SIZE = 100 * MB;
  const { block: piece, tail } = block();
  const rows: string[][] = [];
  let oursGrowth = 0;
  let oursAfterStop = 0;
  for (const contender of contenders) {
    // Heap growth: what stays reachable while reading, sampled after a full collection every
    // ~3 MB (garbage is not growth); the baseline is taken the same way before the request.
    gc?.();
    const before = process.memoryUsage().heapUsed;
    let most = -Infinity;
    const started = performance.now();
    const reading = await contender.open(streamFetch(() => repeat(piece, SIZE, tail)));
    let count = 0;
    while (!(await reading.next()).done) {
      if (++count % 10_000 === 0) {
        gc?.();
        most = Math.max(most, process.memoryUsage().heapUsed - before);
      }
    }
    const elapsed = performance.now() - started;

    // Backpressure: read 100 chunks of an endless stream, stop, and count what the body still gives.
    const bodies: Body[] = [];
    const endless = await contender.open(streamFetch(() => repeat(piece, Infinity, tail), bodies));
    for (let i = 0; i < 100; i++) await endless.next();
    const atStop = bodies[0].pulled;
    await new Promise((resolve) => setTimeout(resolve, 200));
    const afterStop = bodies[0].pulled - atStop;
    await endless.cancel();

    if (contender === OURS) [oursGrowth, oursAfterStop] = [most, afterStop];
    rows.push([
      contender.name,
      bytesText(most),
      `${((SIZE / MB) * (1000 / elapsed)).toFixed(0)} MB/s (${ms(elapsed)})`,
      bytesText(afterStop),
      contender === OURS ? `< 10 MB ${verdict(most < 10 * MB)}; <= 1 MB ${verdict(afterStop <= MB)}` : '',
    ]);
  }
  table(
    `(d) Memory: a ${SIZE / MB} MB stream read to the end (heap sampled after gc every 10,000 chunks${gc ? '' : ': NO gc, run with --expose-gc'}); bytes pulled in the 200 ms after the consumer stops reading`,
    ['contender', 'heap growth', 'read at', 'pulled after stop', 'budget'],
    rows,
  );
  verdicts.push(`heap growth over 100 MB ${bytesText(oursGrowth)} (budget < 10 MB): ${verdict(oursGrowth < 10 * MB)}`);
  verdicts.push(`bytes pulled after the consumer stops ${bytesText(oursAfterStop)} (budget <= 1 MB): ${verdict(oursAfterStop <= MB)}`);
}

// ---------------------------------------------------------------------------------------------
// (m) A whole body in one read: a recorded stream replayed as `new Response(text)`, or a proxy
// that buffers. What is parsed from one read waits in the web stream's queue, whose reads in
// Node 20 copy it (`Array.prototype.shift`): time per chunk must not grow with the body.

async function oneRead(): Promise<void> {
  const SIZES = [5_000, 80_000];
  const ROUNDS = 3;
  const perChunk: Record<string, number[]> = {};
  const rows: string[][] = [];
  for (const size of SIZES) {
    // The official SDK's line splitting is quadratic here too: 80,000 chunks take it minutes.
    const names = size === SIZES[0] ? [FLOOR.name, OURS.name, OFFICIAL.name] : [FLOOR.name, OURS.name];
    const all = new TextEncoder().encode(transcript(size));
    const fetch = streamFetch(() => [all][Symbol.iterator]());
    const times = await interleave(
      names,
      async (name) => {
        const count = await drain(await byName(name).open(fetch));
        if (count !== size) throw new Error(`${name} read ${count} chunks, not ${size}`);
      },
      ROUNDS,
      1,
    );
    for (const name of names) {
      const each = (median(times[name]) * 1000) / size;
      (perChunk[name] ??= []).push(each);
      rows.push([name, `${size.toLocaleString('en')} (${bytesText(all.byteLength)})`, ms(median(times[name])), `${each.toFixed(2)} µs`]);
    }
    if (!names.includes(OFFICIAL.name)) rows.push([OFFICIAL.name, size.toLocaleString('en'), 'skipped (quadratic: minutes)', '']);
  }
  const growth = (name: string) => perChunk[name][1] / perChunk[name][0];
  const met = growth(OURS.name) <= 1.5;
  table(
    `(m) A whole body in one read, in-process: time per chunk at ${SIZES.map((size) => size.toLocaleString('en')).join(' and ')} chunks; median of ${ROUNDS} rounds`,
    ['contender', 'chunks (body)', 'time', 'per chunk'],
    rows,
  );
  verdicts.push(
    `one-read body: time per chunk x${growth(OURS.name).toFixed(2)} from ${SIZES[0].toLocaleString('en')} to ${SIZES[1].toLocaleString('en')} chunks (floor x${growth(FLOOR.name).toFixed(2)}; linear: <= 1.5x): ${verdict(met)}`,
  );
}

// ---------------------------------------------------------------------------------------------

console.log(
  `openai-chat-fetch benchmark: Node ${process.version}, ${os.platform()} ${os.arch()}, ${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), ${new Date().toISOString().slice(0, 10)}`,
);
// The HTTP cases share one server process, started only if one of them runs.
let server: BenchServer | undefined;
const overHTTP = (section: (server: BenchServer) => Promise<void>) => async () => {
  server ??= await startServer();
  await section(server);
};
/**
 * A bench of its own file, run in a child process (a fresh heap, its own table): the layer above
 * the wire, (j) stream events on structured answers, (k) the partial JSON parser, (l) the fold.
 */
const script =
  (file: string, ...args: string[]) =>
  async () => {
    console.log(`\n(${file}) npx tsx test/bench/${file} ${args.join(' ')}`);
    const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', fileURLToPath(new URL(file, import.meta.url)), ...args], { stdio: 'inherit' });
    if (run.status !== 0) verdicts.push(`${file} exited with ${run.status}: MISSED`);
  };
const sections: [string, () => Promise<void>][] = [
  ['a', streaming],
  ['b', largeEventSection],
  ['c', nonStreaming],
  ['d', memory],
  ['e', overHTTP(firstChunk)],
  ['f', overHTTP(openStreams)],
  ['g', overHTTP(concurrentStreams)],
  ['h', overHTTP(socketStreaming)],
  ['i', overHTTP(connections)],
  // Under --quick the official stream helper stops at 16 KB (it is quadratic: ~20 s at 64 KB).
  ['j', script('events.ts', QUICK ? '--official=16384' : '--official=65536')],
  ['k', script('partial-json.ts')],
  ['l', script('fold.ts')],
  ['m', oneRead],
  ['r', script('relay.ts')],
];
for (const [key, section] of sections) if (!ONLY || ONLY.includes(key)) await section();
server?.close();
console.log('\nBudgets (DESIGN.md):');
for (const line of verdicts) console.log(`- ${line}`);
