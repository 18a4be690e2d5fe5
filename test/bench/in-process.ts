// The in-process sections of `npm run bench`: (a) streaming, (b) one large event, (c) a
// non-streaming create, (d) memory, (m) a whole body in one read. Every contender reads the same
// bytes from an in-process `fetch` (no sockets: only the client's work counts).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { generateText as xsaiGenerateText } from '@xsai/generate-text';
import { generateText } from 'ai';
import { createChatCompletion } from 'openai-chat-fetch';
import {
  AI_SDK,
  API_KEY,
  BASELINE,
  BASE_URL,
  ESP,
  FLOOR,
  OFFICIAL,
  OURS,
  WITH_PEERS,
  XSAI,
  aiSDKModel,
  baselineCreate,
  checkCount,
  drain,
  officialClient,
} from './contenders.js';
import type { Contender, Fetch } from './contenders.js';
import { Body, completion, headers, largeEvent, pieces, recordedReads, repeat, transcript } from './data.js';
import { MB, bytesText, gc, interleave, median, ms, packageVersion, ratio, table, verdict, verdicts } from './measure.js';

// ---------------------------------------------------------------------------------------------
// In-process fetches: a Response made of given pieces, headers as the API sends them.

const streamFetch =
  (source: () => Iterator<Uint8Array>, bodies?: Body[]): Fetch =>
  async () => {
    const body = new Body(source());
    bodies?.push(body);
    return new Response(body.stream, { headers: headers('text/event-stream; charset=utf-8') });
  };

/** The budgets: the full streaming path, and a non-streaming create, within 1.1x of their floors. */
const BUDGET = 1.1;
const contenders: Contender[] = [FLOOR, OURS, ESP, OFFICIAL];
/** For (a): with the peers that stream chat chunks too. */
const streamers: Contender[] = [FLOOR, OURS, ...BASELINE, ...(WITH_PEERS ? [ESP, OFFICIAL, AI_SDK, XSAI] : [])];
const byName = (name: string) => streamers.find((c) => c.name === name)!;

// ---------------------------------------------------------------------------------------------
// (a) A recorded-shape stream of 20,000 chunks in network-sized pieces.

/** (a) */
export async function streaming(): Promise<void> {
  const CHUNKS = 20_000;
  const ROUNDS = 15;
  // Network-sized pieces (what the budget is about), and one event a read: a live stream, where
  // the model, not the network, sets the pace and every read costs its own overhead.
  const profiles = [
    { label: 'of 1-16 KB', parts: recordedReads(CHUNKS, false) },
    { label: 'one event each', parts: recordedReads(CHUNKS, true) },
  ];
  const size = profiles[0].parts.reduce((sum, part) => sum + part.byteLength, 0);
  const rows: string[][] = [];
  for (const { label, parts } of profiles) {
    const fetch = streamFetch(() => parts[Symbol.iterator]());
    const names = streamers.map((c) => c.name);
    const times = await interleave(names, async (name) => checkCount(byName(name), await drain(await byName(name).open(fetch)), CHUNKS), ROUNDS, 3);
    const base = times[FLOOR.name];
    for (const c of streamers) {
      rows.push([c.name, `${parts.length.toLocaleString('en')} ${label}`, ms(median(times[c.name])), `${ratio(times[c.name], base).toFixed(2)}x`]);
    }
  }
  table(
    `(a) Streaming: ${CHUNKS.toLocaleString('en')} recorded-shape chunks, ${(size / 1e6).toFixed(2)} MB, through an in-process fetch; median of ${ROUNDS} rounds, x floor = median of the per-round ratios; a key of ${API_KEY.length} characters (a project key's)`,
    ['contender', 'pieces', 'median', 'x floor'],
    rows,
  );
  streamingInProcesses(profiles.map(({ parts, label }) => `${parts.length.toLocaleString('en')} ${label}`));
}

/**
 * (a) again, for this package and the floor alone, in PROCESSES fresh processes one after
 * another (`streaming-child.ts`): the budget's figure is the median over them. One process's
 * ratio moves with how V8 optimized the two in it, by more than the budget's margin.
 */
function streamingInProcesses(labels: string[]): void {
  const PROCESSES = 5;
  const child = fileURLToPath(new URL('./streaming-child.ts', import.meta.url));
  const baseline = process.argv.filter((arg) => arg.startsWith('--baseline='));
  const runs: Record<string, Record<string, number>>[] = [];
  for (let i = 0; i < PROCESSES; i++) {
    const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', child, ...baseline], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`streaming-child.ts failed: ${run.stderr.trim().split('\n').at(-1)}`);
    runs.push(JSON.parse(run.stdout));
  }
  // The first profile, 1-16 KB pieces, is the one the budget is about.
  const profiles = Object.keys(runs[0]!);
  const figuresOf = (profile: string, name: string) => runs.map((run) => run[profile]![name]!).sort((a, b) => a - b);
  const ours = median(figuresOf(profiles[0]!, OURS.name));
  verdicts.push(
    `streaming in-process ${ours.toFixed(2)}x the stream floor, median of ${PROCESSES} processes (budget <= ${BUDGET}x): ${verdict(ours <= BUDGET)}`,
  );
  const rows = profiles.flatMap((profile, p) =>
    Object.keys(runs[0]![profile]!).map((name) => {
      const figures = figuresOf(profile, name);
      const budgetCell = name === OURS.name && p === 0 ? `<= ${BUDGET}x ${verdict(ours <= BUDGET)}` : '';
      return [name, labels[p]!, `${median(figures).toFixed(2)}x`, `${figures[0]!.toFixed(2)}x to ${figures.at(-1)!.toFixed(2)}x`, budgetCell];
    }),
  );
  table(
    `(a) The same in ${PROCESSES} fresh processes, one after another, the floor and this package alone: each process's x floor as above (10 rounds); their median, and their range`,
    ['contender', 'pieces', 'x floor (median)', 'range', 'budget'],
    rows,
  );
}

// ---------------------------------------------------------------------------------------------
// (b) One 4 MB event in 256-byte pieces: linear, or not.

/** (b); with `quick`, without the official SDK's run. */
export async function largeEventSection(quick: boolean): Promise<void> {
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
  if (!quick) {
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

/** The peers' non-streaming calls, each giving the answer's text. */
function peerCalls(fetch: Fetch, body: { model: string; messages: { role: 'system' | 'user'; content: string }[]; temperature: number }) {
  return {
    [OFFICIAL.name]: async () => (await officialClient(fetch, BASE_URL).chat.completions.create(body)).choices[0]!.message.content,
    [`ai ${packageVersion('ai')} generateText (.chat)`]: async () =>
      // The AI SDK takes the system message as its `instructions`.
      (
        await generateText({
          model: aiSDKModel(fetch, BASE_URL),
          instructions: body.messages[0]!.content,
          messages: body.messages.slice(1),
          temperature: body.temperature,
        })
      ).text,
    [`xsai ${packageVersion('@xsai/generate-text')} generateText`]: async () =>
      (await xsaiGenerateText({ apiKey: API_KEY, baseURL: BASE_URL, fetch, ...body })).text,
  };
}

/** (c) */
export async function nonStreaming(): Promise<void> {
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
  type Message = { choices: { message: { content: string | null } }[] };
  const contentOf = async (answer: Promise<unknown>) => (await (answer as Promise<Message>)).choices[0]!.message.content;
  const calls: Record<string, () => Promise<string | null | undefined>> = {
    'bare fetch + JSON.parse': async () => {
      const response = await fetch(`${BASE_URL}/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return contentOf(Promise.resolve(JSON.parse(await response.text())));
    },
    [OURS.name]: () => contentOf(createChatCompletion(body, { apiKey: API_KEY, baseURL: BASE_URL, fetch })),
    ...(baselineCreate && { [BASELINE[0]!.name]: () => contentOf(baselineCreate!(body, { apiKey: API_KEY, baseURL: BASE_URL, fetch })) }),
    ...(WITH_PEERS && peerCalls(fetch, body)),
  };
  const names = Object.keys(calls);
  const expected = await calls[names[0]!]!();
  const times = await interleave(
    names,
    async (name) => {
      for (let i = 0; i < CALLS; i++) if ((await calls[name]!()) !== expected) throw new Error(`${name} returned another answer`);
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
      name === OURS.name ? `<= ${BUDGET}x ${verdict(ours <= BUDGET)}` : '',
    ]),
  );
  verdicts.push(`non-streaming create ${ours.toFixed(2)}x bare fetch + JSON.parse (budget <= ${BUDGET}x): ${verdict(ours <= BUDGET)}`);
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

/** (d) */
export async function memory(): Promise<void> {
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

/** (m) */
export async function oneRead(): Promise<void> {
  const SIZES = [5_000, 80_000];
  const ROUNDS = 3;
  const perChunk: Record<string, number[]> = {};
  const rows: string[][] = [];
  for (const size of SIZES) {
    // The official SDK only at the smaller size: its time per chunk there is already the slowest, and the larger run would take the bench minutes.
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
    if (!names.includes(OFFICIAL.name)) rows.push([OFFICIAL.name, size.toLocaleString('en'), 'not run at this size', '']);
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
