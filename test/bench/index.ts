// `npm run bench`: openai-chat-fetch beside its peers that do the same job (the latest official
// `openai`, the AI SDK on its `.chat` model, xsAI), eventsource-parser and the floors, on the
// same bytes, contenders interleaved round by round, medians printed with
// the project's budgets (the README's Performance section) and each package's version and the machine under every table: (a)-(d) and (m)
// through an in-process fetch (test/bench/in-process.ts), (e)-(i) over real HTTP on 127.0.0.1
// against a server in a child process (test/bench/http.ts), (n) the tool loop per step
// (test/bench/tool-loop.ts), (o) cold start (test/bench/cold-start.ts), (p) structured streaming
// beside the peers (test/bench/structured.ts). Times are never
// asserted in tests (shared machines are noisy): read the verdicts here. `--quick` skips the
// official SDK's one 4 MB event; `--only=a,c` runs only those sections. To see where the time
// goes: test/bench/profile.ts runs one contender under `node --cpu-prof`, and
// test/bench/top.ts summarises the profile.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { coldStart } from './cold-start.js';
import { concurrentStreams, connections, firstChunk, openStreams, socketStreaming, startServer } from './http.js';
import type { BenchServer } from './http.js';
import { largeEventSection, memory, nonStreaming, oneRead, streaming } from './in-process.js';
import { machine, verdicts } from './measure.js';
import { structuredStreaming } from './structured.js';
import { toolLoop } from './tool-loop.js';

const QUICK = process.argv.includes('--quick');
/**
 * `--only=a,c`: run only these sections: in-process, (a) streaming, (b) large event,
 * (c) non-streaming, (d) memory; over HTTP, (e) time to first chunk, (f) heap per open stream,
 * (g) 5,000 concurrent streams, (h) streaming over a socket, (i) connections per 20 streams;
 * above the wire, (j) stream events on structured answers, (k) partial JSON, (l) the fold;
 * (m) a whole body in one read; (n) the tool loop per step; (o) cold start; (p) structured
 * streaming beside the peers; (r) the relay beside a bare byte pipe.
 */
const ONLY = process.argv
  .find((arg) => arg.startsWith('--only='))
  ?.slice(7)
  .split(',');

console.log(`openai-chat-fetch benchmark: ${machine()}`);
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
  ['b', () => largeEventSection(QUICK)],
  ['c', nonStreaming],
  ['d', memory],
  ['e', overHTTP(firstChunk)],
  ['f', overHTTP(openStreams)],
  ['g', overHTTP(concurrentStreams)],
  ['h', overHTTP(socketStreaming)],
  ['i', overHTTP(connections)],
  // Under --quick the official stream helper stops at 16 KB.
  ['j', script('events.ts', QUICK ? '--official=16384' : '--official=65536')],
  ['k', script('partial-json.ts')],
  ['l', script('fold.ts')],
  ['m', oneRead],
  ['n', toolLoop],
  ['o', coldStart],
  ['p', structuredStreaming],
  ['r', script('relay.ts')],
];
for (const [key, section] of sections) if (!ONLY || ONLY.includes(key)) await section();
server?.close();
console.log("\nBudgets (as the README's Performance section lists them):");
for (const line of verdicts) console.log(`- ${line}`);
