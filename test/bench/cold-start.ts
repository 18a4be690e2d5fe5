// (o) Cold start: a fresh process per run (test/bench/cold-start-child.mjs), which imports one
// contender's package and makes one streamed call through an in-process fetch. The import, and
// the first call (its code compiled on first use), are what a serverless function or a CLI pays
// on every start. Runs interleaved, contender by contender, medians printed.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { median, ms, packageVersion, rotate, table } from './measure.js';

const RUNS = 15;
const CHILD = fileURLToPath(new URL('./cold-start-child.mjs', import.meta.url));
/** The child's contender key, and its name with the version of what it imports. */
const CONTENDERS: [string, string][] = [
  ['bare fetch + reader', 'bare fetch + reader (no import)'],
  ['openai-chat-fetch', `openai-chat-fetch ${packageVersion('openai-chat-fetch')} (dist/)`],
  ['openai', `openai ${packageVersion('openai7')} (official)`],
  ['ai', `ai ${packageVersion('ai')} + @ai-sdk/openai ${packageVersion('@ai-sdk/openai')} (.chat)`],
  ['xsai', `xsai ${packageVersion('@xsai/stream-text')} (@xsai/stream-text)`],
];

interface Run {
  import: number;
  first: number;
  end: number;
}

/** (o) */
export async function coldStart(): Promise<void> {
  const runs: Record<string, Run[]> = Object.fromEntries(CONTENDERS.map(([key]) => [key, []]));
  await rotate(
    CONTENDERS.map(([key]) => key),
    async (key) => {
      runs[key]!.push(JSON.parse(execFileSync(process.execPath, [CHILD, key], { encoding: 'utf8' })) as Run);
      return 0;
    },
    RUNS,
    0,
  );
  const of = (key: string, pick: (run: Run) => number) => ms(median(runs[key]!.map(pick)));
  table(
    `(o) Cold start: a fresh node process per run imports the package and makes one streamed call (3 chunks) through an in-process fetch; medians of ${RUNS} runs each, interleaved`,
    ['contender', 'import', 'call to first chunk', 'call to end', 'import + first chunk'],
    CONTENDERS.map(([key, name]) => [
      name,
      of(key, (run) => run.import),
      of(key, (run) => run.first),
      of(key, (run) => run.end),
      of(key, (run) => run.import + run.first),
    ]),
  );
}
