// A/B of builds of the relay in one process, in-process (no HTTP), interleaved round by round with
// a bare pipe (the upstream's body returned as it came): CPU per 16 KB read of a long answer.
//   node --expose-gc --import tsx test/bench/relay-ab.ts [--rounds=N] [--key=N] [--layer] name=path/to/dist/relay.js ...
// `--layer` adds the pipe with one stream layer, the least any relay that observes a stream pays.
// `--key=N` gives the relay a key of N characters (real project keys are about 164).
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { pieces, transcript } from './data.js';
import { gc, machine, median, oneLayer, rotate } from './measure.js';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const ROUNDS = Number(arg('rounds') ?? 20);
const KEY = `sk-${'k'.repeat(Math.max(0, Number(arg('key') ?? 25) - 3))}`;
const parts = pieces(transcript(20_000), 16 * 1024);
const bytes = parts.reduce((sum, part) => sum + part.length, 0);
const body = () =>
  new ReadableStream<Uint8Array>({
    index: 0,
    pull(controller) {
      const part = parts[this.index++];
      if (part) controller.enqueue(part);
      else controller.close();
    },
  } as UnderlyingDefaultSource<Uint8Array> & { index: number });
const upstream = async () => new Response(body(), { headers: { 'content-type': 'text/event-stream' } });
const REQUEST = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Tell me a long story.' }], stream: true });
const request = () => new Request('http://relay.test/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: REQUEST });

type Handler = (request: Request) => Promise<Response>;
const handlers = new Map<string, Handler>();
handlers.set('pipe', async (page) => {
  await page.text();
  const answer = await upstream();
  return new Response(answer.body, { headers: { 'content-type': 'text/event-stream' } });
});
if (process.argv.includes('--layer')) {
  handlers.set('layer', async (page) => {
    await page.text();
    const layer = oneLayer((await upstream()).body!);
    return new Response(layer, { headers: { 'content-type': 'text/event-stream' } });
  });
}
for (const spec of process.argv.slice(2).filter((a) => !a.startsWith('--'))) {
  const [name, path] = spec.split('=');
  const { createRelay } = await import(pathToFileURL(resolve(path!)).href);
  handlers.set(name!, createRelay({ public: true, models: ['gpt-4o-mini'], apiKey: KEY, baseURL: 'http://upstream.test/v1', upstream: { fetch: upstream } }));
}

async function once(name: string): Promise<number> {
  gc?.();
  const start = process.cpuUsage();
  for (let i = 0; i < 3; i++) {
    const response = await handlers.get(name)!(request());
    const reader = response.body!.getReader();
    let seen = 0;
    for (let r = await reader.read(); !r.done; r = await reader.read()) seen += r.value.length;
    // The relay passes the bytes as sent: every contender gives them all.
    if (seen !== bytes) throw new Error(`${name}: ${seen} of ${bytes} bytes`);
  }
  const { user, system } = process.cpuUsage(start);
  return (user + system) / (3 * parts.length);
}

const names = [...handlers.keys()];
const times = await rotate(names, once, ROUNDS, 3);
console.log(`CPU per 16 KB read (${parts.length} reads an answer, key ${KEY.length} chars), medians of ${ROUNDS} rounds:`);
for (const name of names) {
  const ratios = times[name].map((t, i) => t / times.pipe[i]!);
  console.log(
    `  ${name.padEnd(10)} ${median(times[name]).toFixed(1).padStart(7)} µs   ${median(ratios).toFixed(2)}x pipe   +${(median(times[name]) - median(times.pipe)).toFixed(1)} µs`,
  );
}
console.log(machine());
