// Measuring and printing, shared by every section of `npm run bench`.
import { readFileSync } from 'node:fs';
import os from 'node:os';

export const MB = 1 << 20;
export const gc = (globalThis as { gc?: () => void }).gc;

export const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/**
 * Milliseconds `run` takes; with `collect`, after a full collection, so that no contender pays
 * for another's garbage. Not for runs of microseconds: a forced collection shrinks the young
 * generation, and the scavenges that follow until it grows back land on whoever runs next.
 */
export async function time(run: () => Promise<unknown>, collect: boolean): Promise<number> {
  if (collect) gc?.();
  const started = performance.now();
  await run();
  return performance.now() - started;
}

/**
 * Runs every contender once a round, in an order rotated each round (so none always runs first
 * or right after the same one), `warmup` rounds unrecorded; returns each contender's results:
 * by default the time `run` took, or what `run` returns with `measured`.
 */
export async function interleave<T extends string>(
  names: readonly T[],
  run: (name: T) => Promise<unknown>,
  rounds: number,
  warmup: number,
  collect = true,
): Promise<Record<T, number[]>> {
  return rotate(names, (name) => time(() => run(name), collect), rounds, warmup);
}

/** `interleave` for runs that measure themselves: each round's figure is what `run` resolves to. */
export async function rotate<T extends string>(
  names: readonly T[],
  run: (name: T) => Promise<number>,
  rounds: number,
  warmup: number,
): Promise<Record<T, number[]>> {
  const results = Object.fromEntries(names.map((name) => [name, []])) as unknown as Record<T, number[]>;
  for (let round = 0; round < warmup + rounds; round++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(round + i) % names.length];
      const figure = await run(name);
      if (round >= warmup) results[name].push(figure);
    }
  }
  return results;
}

/** The median of the per-round ratios `times[i] / base[i]`: steadier than a ratio of medians when the machine drifts. */
export const ratio = (times: number[], base: number[]) => median(times.map((t, i) => t / base[i]));

export const ms = (value: number) => (value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : value >= 100 ? `${value.toFixed(0)} ms` : `${value.toFixed(1)} ms`);
export const us = (value: number) => `${value.toFixed(value >= 100 ? 0 : 1)} µs`;
export const bytesText = (value: number) =>
  Math.abs(value) >= MB ? `${(value / MB).toFixed(1)} MB` : Math.abs(value) >= 1024 ? `${(value / 1024).toFixed(1)} KB` : `${Math.round(value)} B`;
export const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');

/** The version of an installed package (or of this one, `openai-chat-fetch`), as its package.json says. */
export function packageVersion(name: string): string {
  const file = name === 'openai-chat-fetch' ? '../../package.json' : `../../node_modules/${name}/package.json`;
  return (JSON.parse(readFileSync(new URL(file, import.meta.url), 'utf8')) as { version: string }).version;
}

/** The machine a figure was measured on, printed under every table. */
export function machine(): string {
  const cpus = os.cpus();
  return `Node ${process.version}, ${os.platform()} ${os.arch()}, ${cpus.length} cpus (${cpus[0]?.model.trim()}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, openai-chat-fetch ${packageVersion('openai-chat-fetch')} (dist/), ${new Date().toISOString().slice(0, 10)}`;
}

/** One line per budget, printed at the end of the run. */
export const verdicts: string[] = [];

export function table(title: string, header: string[], rows: string[][]): void {
  const all = [header, ...rows];
  const widths = header.map((_, column) => Math.max(...all.map((row) => (row[column] ?? '').length)));
  const line = (row: string[]) =>
    '| ' + row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : (cell ?? '').padStart(widths[column]))).join(' | ') + ' |';
  console.log(`\n${title}\n`);
  console.log(line(header));
  console.log('|' + widths.map((width, column) => (column === 0 ? '-'.repeat(width + 1) + '-' : '-'.repeat(width + 1) + ':')).join('|') + '|');
  for (const row of rows) console.log(line(row));
  console.log(`\n${machine()}`);
}

/** The budget: time grows with size, ±30% of doubling when the size doubles. */
export const DOUBLING = [1.4, 2.6];

/** `time / previous` with its verdict against the doubling budget. */
export function doubling(time: number, previous: number | undefined): string {
  if (previous === undefined) return '';
  const ratio = time / previous;
  return `${ratio.toFixed(2)} (${verdict(ratio >= DOUBLING[0] && ratio <= DOUBLING[1])})`;
}

/**
 * `body` behind one pull-based stream layer that passes each read on as it came, examining
 * nothing: the least any relay that observes a stream pays (bench r's layered pipe).
 */
export function oneLayer(body: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const result = await reader.read();
        if (result.done) controller.close();
        else controller.enqueue(result.value);
      },
      cancel: (reason) => reader.cancel(reason),
    },
    { highWaterMark: 0 },
  );
}
