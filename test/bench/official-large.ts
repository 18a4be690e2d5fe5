// Run by test/bench/index.ts in a child process, so that a hard time limit can stop it and its
// garbage cannot slow the sections after it: the official SDK reading one 4 MB event in
// 256-byte pieces, once. Prints the milliseconds it took.
import { OFFICIAL, drain } from './contenders.js';
import { Body, headers, largeEvent, pieces } from './data.js';

const parts = pieces(largeEvent(4 << 20), 256);
const fetch = async () => new Response(new Body(parts[Symbol.iterator]()).stream, { headers: headers('text/event-stream; charset=utf-8') });
const started = performance.now();
const count = await drain(await OFFICIAL.open(fetch));
if (count !== 2) throw new Error(`read ${count} chunks, not 2`);
console.log(JSON.stringify({ ms: performance.now() - started }));
