// A/B of builds of this package on the streaming case (a), in one process, interleaved round by
// round with the stream floor, so that a change is judged on the same machine state as its base:
//   node --expose-gc --import tsx test/bench/ab.ts [--rounds=N] [--live] [--key-length=N] name=path/to/dist/index.js ...
// Prints, per build, the median CPU time and the median of the per-round ratios to the floor.
// `--key-length=25`: a key of that length instead of the bench's, which has a project key's length.
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { API_KEY, FLOOR, drain, ours, projectKey } from './contenders.js';
import type { Contender, Fetch } from './contenders.js';
import { recordedStreamFetch } from './data.js';
import { gc, machine, median, ms, ratio, rotate } from './measure.js';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const ROUNDS = Number(arg('rounds') ?? 30);
const CHUNKS = 20_000;
/** A key of `--key-length` characters in a project key's alphabet; by default the bench's own. */
const apiKey = projectKey(Number(arg('key-length') ?? API_KEY.length));
const builds = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const contenders: Contender[] = [FLOOR];
for (const spec of builds) {
  const [name, path] = spec.split('=');
  contenders.push(ours(name!, (await import(pathToFileURL(resolve(path!)).href)).createChatCompletion, apiKey));
}
const fetch: Fetch = recordedStreamFetch(CHUNKS, process.argv.includes('--live'));
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
console.log(
  `${process.argv.includes('--live') ? 'one event a piece' : '1-16 KB pieces'}, a key of ${apiKey.length} characters, ${ROUNDS} rounds; ${machine()}`,
);
for (const c of contenders)
  console.log(`${c.name.padEnd(14)} ${ms(median(times[c.name]!)).padStart(8)}  ${ratio(times[c.name]!, times[FLOOR.name]!).toFixed(3)}x floor`);
