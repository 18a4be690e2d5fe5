import { readFileSync, readdirSync } from 'node:fs';

// The one room for what many test files need: reading streams to their end or error, bodies
// made of given pieces, the recorded fixtures, and rejections as values.

const encoder = new TextEncoder();

/** UTF-8 bytes of `text`. */
export const bytes = (text: string): Uint8Array => encoder.encode(text);

/** Reads a stream to its end, or to its error: every value before it, and the error. */
export async function readAll<T>(stream: ReadableStream<T>): Promise<{ values: T[]; error: Error | undefined }> {
  const values: T[] = [];
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { values, error: undefined };
      values.push(value);
    }
  } catch (error) {
    return { values, error: error as Error };
  }
}

/** The values of a stream that must end cleanly (a test fails on its error). */
export async function valuesOf<T>(stream: ReadableStream<T>): Promise<T[]> {
  const { values, error } = await readAll(stream);
  if (error) throw error;
  return values;
}

/** The error a promise rejects with; a resolved promise fails the test. */
export async function caught<E = Error>(promise: Promise<unknown>): Promise<E> {
  try {
    await promise;
  } catch (error) {
    return error as E;
  }
  throw new Error('expected a rejection, got a result');
}

/** Cuts `all` at the given offsets (any order; duplicates and out-of-range ones ignored). */
export function split(all: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts)].filter((cut) => cut > 0 && cut < all.length).sort((a, b) => a - b);
  const pieces: Uint8Array[] = [];
  let start = 0;
  for (const point of [...points, all.length]) {
    pieces.push(all.subarray(start, point));
    start = point;
  }
  return pieces;
}

/** `all` in pieces of `size` bytes. */
export function piecesOf(all: Uint8Array, size: number): Uint8Array[] {
  const pieces: Uint8Array[] = [];
  for (let start = 0; start < all.length; start += size) pieces.push(all.subarray(start, start + size));
  return pieces;
}

/** A body that hands out one piece a pull, nothing read ahead, then closes. */
export function bodyOf(pieces: Uint8Array[] | Uint8Array): ReadableStream<Uint8Array> {
  const queue = pieces instanceof Uint8Array ? [pieces] : [...pieces];
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        const piece = queue.shift();
        if (piece) controller.enqueue(piece);
        else controller.close();
      },
    },
    { highWaterMark: 0 },
  );
}

const STREAMS = new URL('../fixtures/streams/', import.meta.url);

/** The recorded transcripts directly under test/fixtures/streams/ (see its README for origins). */
export const fixtureNames: string[] = readdirSync(STREAMS).filter((name) => name.endsWith('.txt'));

/** One recorded transcript's bytes. */
export const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(name, STREAMS)));

/** One recorded transcript's text. */
export const fixtureText = (name: string): string => new TextDecoder().decode(fixture(name));
