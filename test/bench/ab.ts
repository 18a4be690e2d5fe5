// A/B of builds of this package on the streaming case (a), in one process, interleaved round by
// round with the stream floor, so that a change is judged on the same machine state as its base:
//   node --expose-gc --import tsx test/bench/ab.ts [--rounds=N] [--live] [--key-length=N] name=path/to/dist/index.js ...
// Prints, per build, the median CPU time and the median of the per-round ratios to the floor.
// `--key-length=25`: a key of that length instead of the bench's, which has a project key's length.
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { API_KEY, BASE_URL, FLOOR, drain, projectKey, streamRequest } from './contenders.js';
import type { Contender, Fetch } from './contenders.js';
import { Body, headers, pieces, transcript } from './data.js';
import { gc, machine, median, ms, ratio, rotate } from './measure.js';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const ROUNDS = Number(arg('rounds') ?? 30);
const CHUNKS = 20_000;
const KEY_LENGTH = Number(arg('key-length') ?? API_KEY.length);
/** The bench's key, or one of KEY_LENGTH characters in a project key's alphabet, the same on every run. */
const apiKey = KEY_LENGTH === API_KEY.length ? API_KEY : projectKey(KEY_LENGTH);
const builds = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const contenders: Contender[] = [FLOOR];
for (const spec of builds) {
  const [name, path] = spec.split('=');
  const { createChatCompletion } = await import(pathToFileURL(resolve(path!)).href);
  contenders.push({
    name: name!,
    open: async (fetch) => {
      const stream = await createChatCompletion(streamRequest, { apiKey, baseURL: BASE_URL, fetch });
      const reader = stream.getReader();
      return { next: () => reader.read(), cancel: () => reader.cancel() };
    },
  });
}
const text = transcript(CHUNKS);
const encoder = new TextEncoder();
const parts = process.argv.includes('--live') ? text.split(/(?<=\n\n)/).map((event) => encoder.encode(event)) : pieces(text, 1024, 16 * 1024);
const fetch: Fetch = async () => new Response(new Body(parts[Symbol.iterator]()).stream, { headers: headers('text/event-stream; charset=utf-8') });
const byName = new Map(contenders.map((c) => [c.name, c]));
/**
 * CPU time (user + system) of one read of the stream, not wall time: the machine is shared, and
 * another process's turn on the CPU lands on whoever runs then; what this process spends does not.
 */
const times = await rotate(
  contenders.map((c) => c.name),
  async (name) => {
    gc?.();
    const started = process.cpuUsage();
    const count = await drain(await byName.get(name)!.open(fetch));
    const { user, system } = process.cpuUsage(started);
    if (count !== CHUNKS) throw new Error(`${name} read ${count} chunks`);
    return (user + system) / 1000;
  },
  ROUNDS,
  3,
);
console.log(`${parts.length} pieces, a key of ${apiKey.length} characters, ${ROUNDS} rounds; ${machine()}`);
for (const c of contenders)
  console.log(`${c.name.padEnd(14)} ${ms(median(times[c.name]!)).padStart(8)}  ${ratio(times[c.name]!, times[FLOOR.name]!).toFixed(3)}x floor`);
