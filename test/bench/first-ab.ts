// A/B of builds of this package on the time to its first chunk and the heap of an open stream,
// in-process (no sockets: only the client's work), interleaved with the floor with a signal:
//   node --expose-gc --import tsx test/bench/first-ab.ts [--rounds=N] name=path/to/dist/index.js ...
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { API_KEY, BASE_URL, FLOOR_WITH_SIGNAL, streamRequest } from './contenders.js';
import type { Contender, Reading } from './contenders.js';
import { holdingFetch } from './http.js';
import { bytesText, gc, machine, median, rotate, us } from './measure.js';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const ROUNDS = Number(arg('rounds') ?? 20);
const REQUESTS = 500;
const OPEN = 1_000;
const contenders: Contender[] = [FLOOR_WITH_SIGNAL];
for (const spec of process.argv.slice(2).filter((a) => !a.startsWith('--'))) {
  // `name=path` or `name=path@{"timeout":null}`: options of its own for this build.
  const [name, where] = spec.split('=');
  const [path, extra] = where!.split('@');
  const options = JSON.parse(extra ?? '{}', (_, value) => (value === null ? Infinity : value));
  const { createChatCompletion } = await import(pathToFileURL(resolve(path!)).href);
  contenders.push({
    name: name!,
    open: async (fetch) => {
      const reader = (await createChatCompletion(streamRequest, { apiKey: API_KEY, baseURL: BASE_URL, fetch, ...options })).getReader();
      return { next: () => reader.read(), cancel: () => reader.cancel() };
    },
  });
}
const byName = new Map(contenders.map((c) => [c.name, c]));
const names = contenders.map((c) => c.name);
/** Mean µs to the first chunk over REQUESTS requests (each stream then cancelled, untimed). */
const firstChunk = await rotate(
  names,
  async (name) => {
    let total = 0;
    for (let i = 0; i < REQUESTS; i++) {
      const started = performance.now();
      const reading = await byName.get(name)!.open(holdingFetch);
      await reading.next();
      total += performance.now() - started;
      await reading.cancel();
    }
    return (total * 1000) / REQUESTS;
  },
  ROUNDS,
  2,
);
/** Heap per open stream: OPEN streams open at once, first chunk read, after gc. */
const heap = await rotate(
  names,
  async (name) => {
    gc?.();
    const before = process.memoryUsage().heapUsed;
    const open: Reading[] = [];
    for (let i = 0; i < OPEN; i++) {
      const reading = await byName.get(name)!.open(holdingFetch);
      await reading.next();
      open.push(reading);
    }
    gc?.();
    const bytes = (process.memoryUsage().heapUsed - before) / OPEN;
    await Promise.all(open.map((reading) => reading.cancel()));
    return bytes;
  },
  Math.max(3, ROUNDS >> 2),
  1,
);
console.log(`in-process, ${ROUNDS} rounds; ${machine()}`);
const base = FLOOR_WITH_SIGNAL.name;
for (const name of names) {
  const over = median(firstChunk[name]!.map((t, i) => t - firstChunk[base]![i]!));
  const heapOver = median(heap[name]!.map((b, i) => b - heap[base]![i]!));
  console.log(
    `${name.padEnd(28)} first chunk ${us(median(firstChunk[name]!)).padStart(8)} (+${us(over)})  heap ${bytesText(median(heap[name]!)).padStart(7)} (+${bytesText(heapOver)})`,
  );
}
