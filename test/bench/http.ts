// The benchmark's cases over real sockets: the runtime's own `fetch` against a server on
// 127.0.0.1 in a child process (test/bench/http-server.ts), so that only the client's work is
// counted. Each case listens on a port of its own, so that no case reuses another's connections.
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { AI_SDK, API_KEY, BARE, BASELINE, FLOOR, FLOOR_WITH_SIGNAL, OFFICIAL, OURS, WITH_PEERS, XSAI, checkCount, drain } from './contenders.js';
import type { Contender, Fetch, Reading } from './contenders.js';
import { FIRST_CHUNK, headers } from './data.js';
import { bytesText, gc, median, ms, ratio, rotate, table, us, verdict, verdicts } from './measure.js';

/** The runtime's fetch, looked up per call as an application's would be. */
const socketFetch: Fetch = (input, init) => fetch(input, init);
const PEERS: Contender[] = WITH_PEERS ? [OFFICIAL, AI_SDK, XSAI] : [];
const contenders: Contender[] = [BARE, FLOOR, OURS, ...BASELINE, ...PEERS];
/** For (e) and (f): with the floor that also gives fetch an AbortSignal, to show what of a figure is the signal's. */
const withSignal: Contender[] = [BARE, FLOOR, FLOOR_WITH_SIGNAL, OURS, ...BASELINE, ...PEERS];
/** The budgets: what a stream may add to the floor with a signal (time to first chunk, heap per open stream); streaming within 1.1x the floor. */
const FIRST_CHUNK_BUDGET_US = 30;
const HEAP_BUDGET = 1.5 * 1024;
const STREAMING_BUDGET = 1.1;
/** What a connection pool does after a request is done in the background: this is time enough for it. */
const SETTLE_MS = 200;

// ---------------------------------------------------------------------------------------------
// The server, over IPC.

export interface BenchServer {
  /** A base URL on a port of its own, for one of the server's cases (`first`, `hold`, `many`, `paced`, `long`). */
  baseURL(kind: string): Promise<string>;
  /** TCP connections the server has accepted on the port of `baseURL`. */
  connections(baseURL: string): Promise<number>;
  /** Stops the port of `baseURL`, dropping its connections (idle ones in the client's pool too). */
  release(baseURL: string): Promise<void>;
  close(): void;
}

export async function startServer(): Promise<BenchServer> {
  const child: ChildProcess = fork(fileURLToPath(new URL('./http-server.ts', import.meta.url)), {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting = new Map<number, (answer: any) => void>();
  let ids = 0;
  await new Promise<void>((resolve) => child.once('message', () => resolve()));
  child.on('message', (answer: { id: number }) => waiting.get(answer.id)?.(answer));
  const ask = (message: object) =>
    new Promise<any>((resolve) => {
      const id = ++ids;
      waiting.set(id, resolve);
      child.send({ id, ...message });
    });
  const portOf = (baseURL: string) => Number(new URL(baseURL).port);
  return {
    baseURL: async (kind) => `http://127.0.0.1:${(await ask({ listen: true })).port}/${kind}/v1`,
    connections: async (baseURL) => (await ask({ connections: portOf(baseURL) })).connections,
    release: async (baseURL) => {
      await ask({ close: portOf(baseURL) });
      // The client's side of the dropped connections closes on the next turns of its loop.
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    },
    close: () => child.disconnect(),
  };
}

const others = (figures: Record<string, number[]>, reference: string, name: string) => median(figures[name].map((value, i) => value - figures[reference][i]));

// ---------------------------------------------------------------------------------------------
// (e) Time to first chunk: from the call to the first chunk in hand, back-to-back requests.

export async function firstChunk(server: BenchServer): Promise<void> {
  const REQUESTS = 3_000;
  const WARMUP = 300;
  const baseURL = await server.baseURL('first');
  // Request by request, each contender once in a rotated order: a difference is taken between
  // neighbours, so that the machine's drift (other processes, the server's scheduling) cancels.
  const times: Record<string, number[]> = Object.fromEntries(withSignal.map((c) => [c.name, []]));
  for (let i = 0; i < WARMUP + REQUESTS; i++) {
    for (let k = 0; k < withSignal.length; k++) {
      const contender = withSignal[(i + k) % withSignal.length];
      const started = performance.now();
      const reading = await contender.open(socketFetch, baseURL);
      await reading.next();
      if (i >= WARMUP) times[contender.name].push((performance.now() - started) * 1000);
      await drain(reading);
    }
  }
  await server.release(baseURL);
  const over = (name: string, reference: Contender) => median(times[name].map((time, i) => time - times[reference.name][i]));
  const ours = over(OURS.name, FLOOR_WITH_SIGNAL);
  const met = ours <= FIRST_CHUNK_BUDGET_US;
  const signed = (value: number) => (value < 0 ? `-${us(-value)}` : `+${us(value)}`);
  table(
    `(e) Time to first chunk over HTTP on 127.0.0.1: ${REQUESTS.toLocaleString('en')} back-to-back streamed requests each, interleaved; + bare, + floor = medians of the differences between neighbouring requests`,
    ['contender', 'time to first chunk (median)', '+ bare', '+ stream floor', '+ floor with signal', 'budget'],
    withSignal.map((c) => [
      c.name,
      us(median(times[c.name])),
      c === BARE ? '' : signed(over(c.name, BARE)),
      c === BARE || c === FLOOR ? '' : signed(over(c.name, FLOOR)),
      c === BARE || c === FLOOR || c === FLOOR_WITH_SIGNAL ? '' : signed(over(c.name, FLOOR_WITH_SIGNAL)),
      c === OURS ? `<= +${FIRST_CHUNK_BUDGET_US} µs over the floor with signal: ${verdict(met)}` : '',
    ]),
  );
  verdicts.push(
    `time to first chunk over HTTP: the floor with a signal ${signed(ours)}, bare fetch ${signed(over(OURS.name, BARE))}, of which fetch's AbortSignal alone ${signed(over(FLOOR_WITH_SIGNAL.name, FLOOR))} (budget <= floor with signal + ${FIRST_CHUNK_BUDGET_US} µs): ${verdict(met)}`,
  );
}

// ---------------------------------------------------------------------------------------------
// (f) Heap per open stream: 1,000 streams open at once, each with its first chunk read.

const FIRST_BYTES = new TextEncoder().encode(FIRST_CHUNK);
/** An in-process body that gives its first event, then nothing until cancelled or aborted (as fetch's body errors): an open stream. */
export const holdingFetch: Fetch = async (_, init) => {
  let given = false;
  const body = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        init?.signal?.addEventListener('abort', () => controller.error(init.signal!.reason), { once: true });
      },
      pull(controller) {
        if (given) return new Promise<void>(() => {});
        given = true;
        controller.enqueue(FIRST_BYTES);
      },
    },
    { highWaterMark: 0 },
  );
  return new Response(body, { headers: headers('text/event-stream; charset=utf-8') });
};

/** Bytes of heap each open stream holds: heap after gc with `count` open, less before, over `count`. */
async function heapPerStream(contender: Contender, fetch: Fetch, server: BenchServer | undefined, count: number): Promise<number> {
  // Over HTTP, a port of its own: no connection of another run is open or closing meanwhile.
  const baseURL = server && (await server.baseURL('hold'));
  gc?.();
  const before = process.memoryUsage().heapUsed;
  const open: Reading[] = [];
  for (let i = 0; i < count; i++) {
    const reading = await contender.open(fetch, baseURL);
    await reading.next();
    open.push(reading);
  }
  gc?.();
  const held = process.memoryUsage().heapUsed - before;
  await Promise.all(open.map((reading) => reading.cancel()));
  if (server) await server.release(baseURL!);
  // What a contender frees only after its cancel settles must not be freed in the next one's count.
  else await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  return held / count;
}

export async function openStreams(server: BenchServer): Promise<void> {
  const COUNT = 1_000;
  const ROUNDS = 3;
  const names = withSignal.map((c) => c.name);
  const run = (fetch: Fetch, over: BenchServer | undefined) =>
    rotate(
      names,
      (name) =>
        heapPerStream(
          withSignal.find((c) => c.name === name)!,
          fetch,
          over,
          COUNT,
        ),
      ROUNDS,
      1,
    );
  const inProcess = await run(holdingFetch, undefined);
  const overHTTP = await run(socketFetch, server);
  const cell = (figures: Record<string, number[]>, c: Contender) =>
    c === BARE ? bytesText(median(figures[c.name])) : `${bytesText(median(figures[c.name]))} (+${bytesText(others(figures, BARE.name, c.name))})`;
  const aboveSignal = (figures: Record<string, number[]>) => others(figures, FLOOR_WITH_SIGNAL.name, OURS.name);
  const [inProcessOver, overHTTPOver] = [aboveSignal(inProcess), aboveSignal(overHTTP)];
  const met = inProcessOver <= HEAP_BUDGET && overHTTPOver <= HEAP_BUDGET;
  const signed = (value: number) => (value < 0 ? `-${bytesText(-value)}` : `+${bytesText(value)}`);
  table(
    `(f) Heap per open stream: ${COUNT.toLocaleString('en')} open at once, first chunk read, after gc${gc ? '' : ': NO gc, run with --expose-gc'}; median of ${ROUNDS} rounds; (+ over the bare loop)`,
    ['contender', 'in-process fetch', 'over HTTP', 'budget'],
    withSignal.map((c) => [
      c.name,
      cell(inProcess, c),
      cell(overHTTP, c),
      c === OURS ? `<= floor with signal + ${bytesText(HEAP_BUDGET)}: ${signed(inProcessOver)} / ${signed(overHTTPOver)} ${verdict(met)}` : '',
    ]),
  );
  verdicts.push(
    `heap per open stream: the floor with a signal ${signed(inProcessOver)} in-process, ${signed(overHTTPOver)} over HTTP (budget <= + ${bytesText(HEAP_BUDGET)}): ${verdict(met)}`,
  );
}

// ---------------------------------------------------------------------------------------------
// (g) 5,000 concurrent streams over HTTP: all complete; CPU per chunk, event-loop lag.

/** One contender's 5,000 streams at once, on a port of their own: what a run measured. */
async function concurrentRun(
  server: BenchServer,
  contender: Contender,
  streams: number,
  chunks: number,
): Promise<{ complete: number; elapsed: number; cpuPerChunk: number; lag: number[] }> {
  const baseURL = await server.baseURL('many');
  gc?.();
  const lag = monitorEventLoopDelay({ resolution: 1 });
  lag.enable();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const counts = await Promise.all(Array.from({ length: streams }, async () => drain(await contender.open(socketFetch, baseURL)).catch(() => -1)));
  const elapsed = performance.now() - started;
  const { user, system } = process.cpuUsage(cpu);
  lag.disable();
  await server.release(baseURL);
  const complete = counts.filter((count) => count === chunks).length;
  return {
    complete,
    elapsed,
    cpuPerChunk: (user + system) / (complete * chunks || 1),
    lag: [50, 99].map((p) => lag.percentile(p) / 1e6).concat(lag.max / 1e6),
  };
}

export async function concurrentStreams(server: BenchServer): Promise<void> {
  const STREAMS = 5_000;
  const CHUNKS = 20;
  const ROUNDS = 3;
  const names = [FLOOR, OURS, OFFICIAL];
  const runs: Record<string, Awaited<ReturnType<typeof concurrentRun>>[]> = Object.fromEntries(names.map((c) => [c.name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < names.length; i++) {
      const contender = names[(round + i) % names.length];
      runs[contender.name].push(await concurrentRun(server, contender, STREAMS, CHUNKS));
    }
  }
  const of = (c: Contender, pick: (run: (typeof runs)[string][number]) => number) => median(runs[c.name].map(pick));
  const allComplete = runs[OURS.name].every((run) => run.complete === STREAMS);
  table(
    `(g) ${STREAMS.toLocaleString('en')} concurrent streams of ${CHUNKS} chunks over HTTP (two writes 10 ms apart each, the end 5 ms after [DONE]), medians of ${ROUNDS} runs; CPU of the client process per chunk delivered`,
    ['contender', 'complete (every run)', 'all done in', 'CPU per chunk', 'event-loop lag p50 / p99 / max'],
    names.map((c) => [
      c.name,
      `${Math.min(...runs[c.name].map((run) => run.complete)).toLocaleString('en')} / ${STREAMS.toLocaleString('en')}`,
      ms(of(c, (run) => run.elapsed)),
      us(of(c, (run) => run.cpuPerChunk)),
      [0, 1, 2].map((k) => ms(of(c, (run) => run.lag[k]))).join(' / '),
    ]),
  );
  verdicts.push(`${STREAMS.toLocaleString('en')} concurrent streams over HTTP all complete: ${verdict(allComplete)}`);
}

// ---------------------------------------------------------------------------------------------
// (h) A long stream over a socket: 20,000 chunks, as fast as the client reads them.

export async function socketStreaming(server: BenchServer): Promise<void> {
  const CHUNKS = 20_000;
  const ROUNDS = 11;
  const baseURL = await server.baseURL('long');
  const names = [FLOOR, OURS, ...BASELINE, ...PEERS];
  const figures = await rotate(
    names.map((c) => c.name),
    async (name) => {
      const contender = names.find((c) => c.name === name)!;
      gc?.();
      const started = performance.now();
      checkCount(contender, await drain(await contender.open(socketFetch, baseURL)), CHUNKS);
      return performance.now() - started;
    },
    ROUNDS,
    2,
  );
  await server.release(baseURL);
  const ours = ratio(figures[OURS.name], figures[FLOOR.name]);
  table(
    `(h) Streaming over HTTP on 127.0.0.1: ${CHUNKS.toLocaleString('en')} recorded-shape chunks written in 16 KB pieces, median of ${ROUNDS} rounds, x floor = median of the per-round ratios; a key of ${API_KEY.length} characters (a project key's)`,
    ['contender', 'median', 'x floor', 'budget'],
    names.map((c) => [
      c.name,
      ms(median(figures[c.name])),
      `${ratio(figures[c.name], figures[FLOOR.name]).toFixed(2)}x`,
      c === OURS ? `<= ${STREAMING_BUDGET}x ${verdict(ours <= STREAMING_BUDGET)}` : '',
    ]),
  );
  verdicts.push(`streaming over HTTP ${ours.toFixed(2)}x the stream floor (budget <= ${STREAMING_BUDGET}x): ${verdict(ours <= STREAMING_BUDGET)}`);
}

// ---------------------------------------------------------------------------------------------
// (i) Connections: 20 back-to-back streams, each read to its last chunk, the next begun at once.

export async function connections(server: BenchServer): Promise<void> {
  const STREAMS = 20;
  const kinds = [
    { kind: 'paced', label: 'body ends 5 ms after [DONE], in its own write' },
    { kind: 'first', label: 'body ends with the [DONE] write' },
  ];
  const rows: string[][] = [];
  for (const c of contenders) {
    const row = [c.name];
    for (const { kind } of kinds) {
      const baseURL = await server.baseURL(kind);
      for (let i = 0; i < STREAMS; i++) await drain(await c.open(socketFetch, baseURL));
      // What a pool does with a connection after the last chunk is done in the background.
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
      row.push(String(await server.connections(baseURL)));
      await server.release(baseURL);
    }
    rows.push(row);
  }
  const bare = rows[0];
  const ours = rows[contenders.indexOf(OURS)];
  // At most one more than the bare loop, which reads every body to its end.
  const met = ours.slice(1).every((count, i) => Number(count) <= Number(bare[i + 1]) + 1);
  table(
    `(i) TCP connections the server saw for ${STREAMS} back-to-back streamed requests (the next sent as soon as the last chunk is read)`,
    ['contender', ...kinds.map((k) => k.label)],
    rows,
  );
  verdicts.push(
    `connections for ${STREAMS} back-to-back streams ${ours.slice(1).join(' and ')}, the bare loop ${bare.slice(1).join(' and ')} (budget: at most one more): ${verdict(met)}`,
  );
}
