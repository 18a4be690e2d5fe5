// Run by (a) in fresh processes, one after another: the stream floor and this package (and the
// `--baseline` build) read the recorded stream of (a), interleaved round by round, in wall time;
// prints each one's median per-round ratio to the floor as JSON, for 1-16 KB pieces and for one
// event a piece. One process's ratio moves with how V8 optimized the contenders in it: from
// process to process, one build's moves by more than the budget's margin. (a) reports the median
// over processes, and their range.
import { BASELINE, FLOOR, OURS, checkCount, drain } from './contenders.js';
import { recordedStreamFetch } from './data.js';
import { interleave, ratio } from './measure.js';

const CHUNKS = 20_000;
const ROUNDS = 10;
const WARMUP = 3;
const contenders = [FLOOR, OURS, ...BASELINE];
const byName = new Map(contenders.map((c) => [c.name, c]));

/** Contender name → its ratio to the floor, for each way of cutting the stream. */
const ratios: Record<string, Record<string, number>> = {};
for (const [profile, onePerEvent] of [
  ['pieces', false],
  ['one event each', true],
] as const) {
  const fetch = recordedStreamFetch(CHUNKS, onePerEvent);
  const read = async (name: string) => {
    const contender = byName.get(name)!;
    checkCount(contender, await drain(await contender.open(fetch)), CHUNKS);
  };
  const times = await interleave([...byName.keys()], read, ROUNDS, WARMUP);
  ratios[profile] = Object.fromEntries(contenders.slice(1).map((c) => [c.name, ratio(times[c.name]!, times[FLOOR.name]!)]));
}
console.log(JSON.stringify(ratios));
