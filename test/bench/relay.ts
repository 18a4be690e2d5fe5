// (r) The relay under load, beside a bare byte pipe: `npx tsx test/bench/relay.ts` (npm run bench
// runs it with --expose-gc). Three processes, so that only the relay's work is counted: the
// upstream (test/bench/http-server.ts), the relay host (test/bench/relay-host.ts: the relay, the
// pipe, and the pipe with one stream layer, all behind the relay's Node adapter), and this one,
// the pages: raw `fetch` reading the bytes. The layered pipe is printed beside the budget: it is
// what any relay that observes a stream pays before it looks at a byte. Figures are the relay host's own CPU and heap, printed, never asserted:
// - CPU per relayed chunk: long answers (20,000 chunks in 16 KB writes, a few at a time), and
//   short ones (20 chunks, 200 at once: the request's own checks count there too);
// - heap per open relayed stream: 1,000 open at once, each with its first chunk read.
import os from 'node:os';
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startServer } from './http.js';
import type { BenchServer } from './http.js';
import { bytesText, gc, median, rotate, table, verdict } from './measure.js';

/**
 * `--relay-baseline=<dir>/dist/relay.js`: another build of the relay beside this one, in the same
 * rounds (an A/B comparison on one machine state).
 */
const BASELINE = process.argv.find((arg) => arg.startsWith('--relay-baseline='))?.slice(17);
type Name = 'bare byte pipe' | 'pipe with one stream layer' | 'relay' | 'relay (baseline)';
const NAMES: Name[] = ['bare byte pipe', 'pipe with one stream layer', 'relay', ...(BASELINE ? (['relay (baseline)'] as const) : [])];
const CPU_BUDGET = 1.1;
const HEAP_BUDGET = 8 * 1024;
/** What a connection pool does after its requests are done, in the background: time enough for it. */
const SETTLE_MS = 200;
const REQUEST = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Tell me a long story.' }], stream: true });

interface Host {
  ask<T>(message: object): Promise<T>;
  close(): void;
}

async function startHost(): Promise<Host> {
  const child: ChildProcess = fork(fileURLToPath(new URL('./relay-host.ts', import.meta.url)), {
    execArgv: ['--expose-gc', '--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting = new Map<number, (answer: any) => void>();
  let ids = 0;
  await new Promise<void>((resolve) => child.once('message', () => resolve()));
  child.on('message', (answer: { id: number }) => waiting.get(answer.id)?.(answer));
  return {
    ask: (message) =>
      new Promise((resolve) => {
        const id = ++ids;
        waiting.set(id, resolve);
        child.send({ id, ...message });
      }),
    close: () => child.disconnect(),
  };
}

/** The relay and the pipe in front of a fresh upstream port of `kind`; `done` drops all three. */
async function front(upstream: BenchServer, host: Host, kind: string): Promise<{ urls: Record<Name, string>; done(): Promise<void> }> {
  const baseURL = await upstream.baseURL(kind);
  const ports = await host.ask<{ relay: number; pipe: number; layer: number; baseline?: number }>({ serve: baseURL, baseline: BASELINE });
  const url = (port: number) => `http://127.0.0.1:${port}/v1/chat/completions`;
  return {
    urls: {
      relay: url(ports.relay),
      'bare byte pipe': url(ports.pipe),
      'pipe with one stream layer': url(ports.layer),
      'relay (baseline)': url(ports.baseline ?? 0),
    },
    async done() {
      await host.ask({ close: [ports.relay, ports.pipe, ports.layer, ports.baseline ?? 0] });
      await upstream.release(baseURL);
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    },
  };
}

function post(url: string): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: REQUEST });
}

/** One answer read to its end, as bytes; the number of bytes. */
async function readAnswer(url: string): Promise<number> {
  const response = await post(url);
  if (response.status !== 200) throw new Error(`${url}: status ${response.status}: ${await response.text()}`);
  const reader = response.body!.getReader();
  let bytes = 0;
  for (let r = await reader.read(); !r.done; r = await reader.read()) bytes += r.value.byteLength;
  return bytes;
}

/** The host's CPU per chunk (µs) for `streams` answers of `chunks` chunks, `atOnce` at a time; every answer must be whole. */
async function cpuPerChunk(host: Host, url: string, streams: number, atOnce: number, chunks: number, expectBytes: { value?: number }): Promise<number> {
  const before = await host.ask<{ micros: number }>({ cpu: true });
  for (let started = 0; started < streams; started += atOnce) {
    const sizes = await Promise.all(Array.from({ length: Math.min(atOnce, streams - started) }, () => readAnswer(url)));
    for (const size of sizes) {
      expectBytes.value ??= size;
      if (size !== expectBytes.value) throw new Error(`${url}: ${size} bytes, where another answer had ${expectBytes.value}`);
    }
  }
  const after = await host.ask<{ micros: number }>({ cpu: true });
  return (after.micros - before.micros) / (streams * chunks);
}

async function cpu(upstream: BenchServer, host: Host): Promise<{ rows: string[][]; longRatio: number }> {
  const cases = [
    { label: '20,000 chunks an answer, 2 at a time', kind: 'long', streams: 6, atOnce: 2, chunks: 20_000, rounds: 5 },
    { label: '20 chunks an answer, 200 at once', kind: 'many', streams: 600, atOnce: 200, chunks: 20, rounds: 5 },
  ];
  const rows: string[][] = [];
  let longRatio = 0;
  for (const { label, kind, streams, atOnce, chunks, rounds } of cases) {
    const { urls, done } = await front(upstream, host, kind);
    // The relay passes the bytes as sent: both give the same bytes.
    const bytes: { value?: number } = {};
    const figures = await rotate(NAMES, (name) => cpuPerChunk(host, urls[name], streams, atOnce, chunks, bytes), rounds, 1);
    await done();
    const over = (name: Name, base: Name) => median(figures[name].map((value, i) => value / figures[base][i]!));
    const ratio = over('relay', 'bare byte pipe');
    if (kind === 'long') longRatio = ratio;
    for (const name of NAMES) {
      const budget = name === 'relay' && kind === 'long' ? `<= ${CPU_BUDGET}x ${verdict(ratio <= CPU_BUDGET)}` : '';
      const layer = name.startsWith('relay') ? `${over(name, 'pipe with one stream layer').toFixed(2)}x` : '';
      rows.push([name, label, `${median(figures[name]).toFixed(2)} µs`, `${over(name, 'bare byte pipe').toFixed(2)}x`, layer, budget]);
    }
  }
  return { rows, longRatio };
}

/** Heap per open stream in the host: `count` answers open at once, each with its first bytes read. */
async function heapPerStream(host: Host, url: string, count: number): Promise<number> {
  const before = await host.ask<{ bytes: number }>({ heap: true });
  const open: ReadableStreamDefaultReader<Uint8Array>[] = [];
  for (let i = 0; i < count; i++) {
    const reader = (await post(url)).body!.getReader();
    await reader.read();
    open.push(reader);
  }
  const after = await host.ask<{ bytes: number }>({ heap: true });
  await Promise.all(open.map((reader) => reader.cancel()));
  return (after.bytes - before.bytes) / count;
}

async function heap(upstream: BenchServer, host: Host): Promise<{ rows: string[][]; over: number; relay: number }> {
  const COUNT = 1_000;
  const ROUNDS = 3;
  const figures = await rotate(
    NAMES,
    async (name) => {
      // Fresh ports each time: no connection of another run is open or closing meanwhile.
      const { urls, done } = await front(upstream, host, 'hold');
      const held = await heapPerStream(host, urls[name], COUNT);
      await done();
      return held;
    },
    ROUNDS,
    1,
  );
  const overPipe = (name: Name) => median(figures[name].map((value, i) => value - figures['bare byte pipe'][i]!));
  const over = overPipe('relay');
  const relay = median(figures.relay);
  const rows = NAMES.map((name) => [
    name,
    bytesText(median(figures[name])),
    name === 'bare byte pipe' ? '' : `+${bytesText(overPipe(name))}`,
    name === 'relay' ? `<= +${bytesText(HEAP_BUDGET)} ${verdict(over <= HEAP_BUDGET)}` : '',
  ]);
  return { rows, over, relay };
}

console.log(
  `relay benchmark: Node ${process.version}, ${os.platform()} ${os.arch()}, ${os.cpus().length} cores (${os.cpus()[0]?.model.trim()})${gc ? '' : ', NO gc: run with --expose-gc'}`,
);
const upstream = await startServer();
const host = await startHost();
try {
  const cpuFigures = await cpu(upstream, host);
  table(
    '(r) CPU of the relay host per chunk relayed, over HTTP on 127.0.0.1, beside a bare byte pipe and one with a stream layer, behind the same Node adapter; medians of 5 rounds, ratios = medians of the per-round ratios',
    ['in front of the upstream', 'answers', 'CPU per chunk', 'x pipe', 'x layered pipe', 'budget'],
    cpuFigures.rows,
  );
  const heapFigures = await heap(upstream, host);
  table(
    '(r) Heap of the relay host per open stream: 1,000 open at once, first chunk read, after gc; medians of 3 rounds; (+ over the pipe)',
    ['in front of the upstream', 'heap per open stream', 'over the pipe', 'budget'],
    heapFigures.rows,
  );
  console.log('\nBudgets:');
  console.log(
    `- relay CPU per chunk ${cpuFigures.longRatio.toFixed(2)}x a bare byte pipe's (budget <= ${CPU_BUDGET}x): ${verdict(cpuFigures.longRatio <= CPU_BUDGET)}`,
  );
  console.log(
    `- relay heap per open stream ${bytesText(heapFigures.relay)}, +${bytesText(heapFigures.over)} over a bare byte pipe's (budget <= +${bytesText(HEAP_BUDGET)}): ${verdict(heapFigures.over <= HEAP_BUDGET)}`,
  );
} finally {
  host.close();
  upstream.close();
}
