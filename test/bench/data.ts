// The bytes the benchmark feeds every contender: recorded-shape chat streams and a
// non-streaming answer, served by an in-process `fetch` (no sockets, so only parsing counts).

import { z } from 'zod';

const encoder = new TextEncoder();

/** Deterministic pseudo-random numbers (mulberry32), so every run sees the same pieces. */
export function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = [
  'Hello',
  '!',
  ' How',
  ' can',
  ' I',
  ' help',
  ' you',
  ' today',
  '?',
  ' The',
  ' answer',
  ' is',
  ' café',
  ' 42',
  '.',
  '\n\n',
  ' 👋',
  ' streaming',
  ' tokens',
  ',',
];

/** One chunk shaped as test/fixtures/streams/plain-text.txt records them (fields in the API's order). */
export function chunkEvent(delta: object, finish: string | null = null): string {
  const chunk = {
    id: 'chatcmpl-C3bN8Kx9gqJrU2a1vVd0yFhTzQwE7',
    object: 'chat.completion.chunk',
    created: 1764057600,
    model: 'gpt-4o-mini-2024-07-18',
    service_tier: 'default',
    system_fingerprint: 'fp_560af6e559',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  };
  return `data: ${JSON.stringify(chunk)}\n\n`;
}

/**
 * The first chunk of the HTTP cases: the role with the first text, so that every contender has
 * something to give at once (the AI SDK gives no part for the API's usual empty first chunk).
 */
export const FIRST_CHUNK = chunkEvent({ role: 'assistant', content: 'Hello' });

/** A whole recorded-shape stream of `count` chunks, ending with `data: [DONE]`. */
export function transcript(count: number): string {
  const events = [chunkEvent({ role: 'assistant', content: '', refusal: null })];
  for (let i = 1; i < count - 1; i++) events.push(chunkEvent({ content: WORDS[i % WORDS.length] }));
  events.push(chunkEvent({}, 'stop'), 'data: [DONE]\n\n');
  return events.join('');
}

/** One event whose content is `size` characters, then the finishing chunk and [DONE]. */
export function largeEvent(size: number): string {
  return chunkEvent({ role: 'assistant', content: 'x'.repeat(size) }) + chunkEvent({}, 'stop') + 'data: [DONE]\n\n';
}

/** `text` as bytes cut into pieces of `min`..`max` bytes (network reads: TLS records, socket buffers). */
export function pieces(text: string, min: number, max = min, seed = 1): Uint8Array[] {
  const all = encoder.encode(text);
  const next = random(seed);
  const out: Uint8Array[] = [];
  for (let start = 0; start < all.length;) {
    const size = min + Math.floor(next() * (max - min + 1));
    out.push(all.subarray(start, start + size));
    start += size;
  }
  return out;
}

/** A body handing out one piece per pull, nothing ahead (highWaterMark 0), counting the bytes it gave. */
export class Body {
  pulled = 0;
  readonly stream: ReadableStream<Uint8Array>;

  constructor(source: Iterator<Uint8Array>) {
    this.stream = new ReadableStream<Uint8Array>(
      {
        pull: (controller) => {
          const { done, value } = source.next();
          if (done) return controller.close();
          this.pulled += value.byteLength;
          controller.enqueue(value);
        },
      },
      { highWaterMark: 0 },
    );
  }
}

/** `count` bytes or more of whole events, repeating `block`, then `tail`. */
export function* repeat(block: Uint8Array, count: number, tail: Uint8Array): Iterator<Uint8Array> {
  for (let sent = 0; sent < count; sent += block.byteLength) yield block;
  yield tail;
}

const HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'x-request-id': 'req_8f1c2e5d0b7a4c3e9d6f1a2b3c4d5e6f',
  'openai-organization': 'user-abc123',
  'openai-processing-ms': '142',
  'openai-project': 'proj_abc123',
  'openai-version': '2020-10-01',
  'x-ratelimit-limit-requests': '10000',
  'x-ratelimit-limit-tokens': '10000000',
  'x-ratelimit-remaining-requests': '9999',
  'x-ratelimit-remaining-tokens': '9999985',
  'x-ratelimit-reset-requests': '6ms',
  'x-ratelimit-reset-tokens': '0s',
  'cf-cache-status': 'DYNAMIC',
  'strict-transport-security': 'max-age=31536000; includeSubDomains; preload',
};

/**
 * The recorded stream of `count` chunks as network reads: cut into 1–16 KB pieces, or one event a
 * read (`onePerEvent`, a live stream, where the model sets the pace). The input of (a).
 */
export function recordedReads(count: number, onePerEvent: boolean): Uint8Array[] {
  const text = transcript(count);
  return onePerEvent ? text.split(/(?<=\n\n)/).map((event) => encoder.encode(event)) : pieces(text, 1024, 16 * 1024);
}

/** A `fetch` whose every call answers with `recordedReads(count, onePerEvent)`: (a) and its A/B scripts. */
export function recordedStreamFetch(count: number, onePerEvent: boolean): () => Promise<Response> {
  const parts = recordedReads(count, onePerEvent);
  return async () => new Response(new Body(parts[Symbol.iterator]()).stream, { headers: headers('text/event-stream; charset=utf-8') });
}

/** The headers of an API response (what `responseInfo` copies), with the given content type. */
export function headers(contentType: string): Record<string, string> {
  return { ...HEADERS, 'content-type': contentType };
}

/** A non-streaming answer of about `size` characters of content, as the API returns it. */
export function completion(size: number): string {
  const content = Array.from({ length: size }, (_, i) => WORDS[i % WORDS.length])
    .join('')
    .slice(0, size);
  return JSON.stringify(
    {
      id: 'chatcmpl-C3bN8Kx9gqJrU2a1vVd0yFhTzQwE7',
      object: 'chat.completion',
      created: 1764057600,
      model: 'gpt-4o-mini-2024-07-18',
      choices: [{ index: 0, message: { role: 'assistant', content, refusal: null, annotations: [] }, logprobs: null, finish_reason: 'stop' }],
      usage: {
        prompt_tokens: 19,
        completion_tokens: 412,
        total_tokens: 431,
        prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
      },
      service_tier: 'default',
      system_fingerprint: 'fp_560af6e559',
    },
    null,
    2,
  );
}

/** Words for the structured answers: multi-byte text, quotes, a backslash and a newline, which JSON escapes. */
const ANSWER_WORDS = [
  'the',
  ' model',
  ' writes',
  ' a',
  ' structured',
  ' answer',
  ',',
  ' café',
  ' naïve',
  ' 👋',
  ' "quoted"',
  '\n',
  ' 42',
  ' tokens',
  '.',
  ' über',
  ' and',
  ' \\ back',
];

function sentence(next: () => number, length: number): string {
  let text = '';
  while (text.length < length) text += ANSWER_WORDS[Math.floor(next() * ANSWER_WORDS.length)];
  return text;
}

/** The zod schema `structuredAnswer`'s text fits. */
export const StructuredAnswer = z.object({
  title: z.string(),
  language: z.string(),
  status: z.string(),
  author: z.string(),
  summary: z.string(),
  body: z.string(),
  items: z.array(z.object({ id: z.number(), title: z.string(), done: z.boolean(), score: z.number(), tags: z.array(z.string()), note: z.string() })),
});

/**
 * A structured-output answer of about `size` characters (of JSON text): five short string
 * fields, a long `body` text field (a quarter of the size), then `items`, an array of ~180-byte
 * objects (id, title, done, score, tags, note) that grows with the size: 64 items at 16 KB,
 * about 4,300 at 1 MB.
 */
export function structuredAnswer(size: number): string {
  const next = random(size);
  const answer = {
    title: sentence(next, 40),
    language: 'en',
    status: 'draft',
    author: 'gpt-4o-mini',
    summary: sentence(next, 200),
    body: sentence(next, size / 4),
    items: [] as object[],
  };
  let length = JSON.stringify(answer).length;
  for (let id = 1; length < size; id++) {
    const item = { id, title: sentence(next, 30), done: next() < 0.5, score: Math.round(next() * 1e4) / 1e4, tags: ['a', 'bc'], note: sentence(next, 60) };
    answer.items.push(item);
    length += JSON.stringify(item).length + 1;
  }
  return JSON.stringify(answer);
}

/**
 * One array that grows to about `size` characters, `{"items":[0,1,...]}`: numbers of one to
 * three digits, so about one item completes every 4-character delta. The shape where a snapshot
 * that copies its open array is quadratic.
 */
export function growingArray(size: number): string {
  const items: number[] = [];
  let length = '{"items":[]}'.length;
  for (let i = 0; length < size; i++) {
    const item = i % 1000;
    items.push(item);
    length += String(item).length + 1;
  }
  return JSON.stringify({ items });
}

/** One string field of about `size` characters, `{"text":"xx..."}`. */
export const longString = (size: number): string => JSON.stringify({ text: 'x'.repeat(size - 12) });
