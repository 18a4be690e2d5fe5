// Instructions per streamed chunk, counted by valgrind, for the floor and builds of this package:
// a figure that does not move with the machine's load, where CPU time moves by several percent.
//   node --import tsx test/bench/instructions.ts [--live] [--key-length=N] floor <dir>/dist/index.js ...
// Needs valgrind (`apt-get install -y valgrind`). Each contender runs in two processes under
// `cachegrind`, one reading the stream ROUNDS_LOW times and one ROUNDS_HIGH times: the difference
// leaves start-up out. V8 optimizes on its main thread (`--no-concurrent-recompilation`), so that
// the count does not depend on when a background compile lands. Instructions are not time (cache
// misses and the garbage collector's threads are not in them): read them beside the bench's times.
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { API_KEY, FLOOR, drain, ours, projectKey } from './contenders.js';
import { recordedStreamFetch } from './data.js';

const CHUNKS = 20_000;
const ROUNDS_LOW = 2;
const ROUNDS_HIGH = 6;
const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const live = process.argv.includes('--live');
const keyLength = Number(arg('key-length') ?? API_KEY.length);
const which = arg('run');
const rounds = Number(arg('rounds'));

if (which) {
  // A child: read the stream `rounds` times with one contender.
  const fetch = recordedStreamFetch(CHUNKS, live);
  const contender = which === 'floor' ? FLOOR : ours(which, (await import(pathToFileURL(resolve(which)).href)).createChatCompletion, projectKey(keyLength));
  for (let i = 0; i < rounds; i++) if ((await drain(await contender.open(fetch))) !== CHUNKS) throw new Error(`${which} read a short stream`);
} else {
  const self = fileURLToPath(import.meta.url);
  const count = (target: string, n: number): number => {
    const args = [
      '--tool=cachegrind',
      '--cache-sim=no',
      '--cachegrind-out-file=/dev/null',
      process.execPath,
      '--no-concurrent-recompilation',
      '--import',
      'tsx',
      self,
      `--run=${target}`,
      `--rounds=${n}`,
      `--key-length=${keyLength}`,
      ...(live ? ['--live'] : []),
    ];
    const { stderr, status } = spawnSync('valgrind', args, { encoding: 'utf8' });
    const refs = /I\s+refs:\s+([\d,]+)/.exec(stderr ?? '');
    if (status !== 0 || !refs) throw new Error(`valgrind failed for ${target}: ${stderr?.slice(-500)}`);
    return Number(refs[1]!.replaceAll(',', ''));
  };
  console.log(
    `instructions per chunk, ${CHUNKS.toLocaleString('en')} chunks ${live ? 'one event a piece' : 'in 1-16 KB pieces'}, a key of ${keyLength} characters`,
  );
  for (const target of process.argv.slice(2).filter((a) => !a.startsWith('--'))) {
    const perChunk = (count(target, ROUNDS_HIGH) - count(target, ROUNDS_LOW)) / (ROUNDS_HIGH - ROUNDS_LOW) / CHUNKS;
    console.log(`${target.padEnd(40)} ${Math.round(perChunk).toLocaleString('en').padStart(8)}`);
  }
}
