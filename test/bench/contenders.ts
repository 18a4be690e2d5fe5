// The ways to read a chat stream that the benchmark compares, each starting from the same
// `fetch` (in-process, or the runtime's over a socket) and ending in the same consumer loop:
// the floors, this package, and the peers that do the same job (the latest official `openai`,
// the AI SDK's `streamText` on its `.chat` model, xsAI's `streamText`).
import { createOpenAI } from '@ai-sdk/openai';
import { streamText as xsaiStreamText } from '@xsai/stream-text';
import { streamText } from 'ai';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createParser } from 'eventsource-parser';
import OpenAI from 'openai7';
import { createChatCompletion } from 'openai-chat-fetch';
import { random } from './data.js';
import { packageVersion } from './measure.js';

export type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
/** How a consumer reads chunks: a ReadableStream reader's `read`, or an async iterator's `next`; and leaves. */
export interface Reading {
  next(): Promise<{ done?: boolean; value?: unknown }>;
  cancel(): Promise<unknown>;
}

export interface Contender {
  name: string;
  /** Sends one streaming request through `fetch` (to `baseURL`) and returns how to read its chunks. */
  open(fetch: Fetch, baseURL?: string): Promise<Reading>;
  /**
   * What a read gives when it is not one chunk: the peers' own parts (a text delta, the finish),
   * which skip the chunks that carry no text, so that a stream of `n` chunks gives fewer.
   */
  parts?: true;
}

export const BASE_URL = 'https://bench.invalid/v1';
/** A key of `length` characters in a project key's alphabet (`sk-proj-…`), the same on every run. */
export function projectKey(length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
  const next = random(164);
  return 'sk-proj-' + Array.from({ length: length - 8 }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
}
/**
 * The bench's key has a project key's length, as users' keys have: the SDK screens every read of
 * a stream for the key it sent, and that screen's work is counted as a user's key makes it.
 */
export const API_KEY = projectKey(164);
export const streamRequest = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'Tell me a long story.' }], stream: true as const };

const reading = (stream: ReadableStream<unknown>): Reading => {
  const reader = stream.getReader();
  return { next: () => reader.read(), cancel: () => reader.cancel() };
};

/** `fetch` as a user would call it for a stream, by hand; with `signal`, abortable as every SDK request must be. */
async function post(fetch: Fetch, baseURL = BASE_URL, signal?: AbortSignal): Promise<ReadableStream<Uint8Array>> {
  const response = await fetch(`${baseURL}/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify(streamRequest),
    signal,
  });
  return response.body!;
}

/**
 * The stream floor: the least any ReadableStream-of-chunks API can cost. One pull-based stream
 * that reads the body, decodes with one TextDecoder, splits at blank lines, JSON.parses each
 * `data:` and enqueues; no CR, comments, multi-line data, errors, cut streams or abort.
 */
export function floor(body: ReadableStream<Uint8Array>): ReadableStream<unknown> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  return new ReadableStream(
    {
      async pull(controller) {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return controller.close();
          buffer += decoder.decode(value, { stream: true });
          let start = 0;
          let produced = false;
          for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n', start)) {
            const event = start;
            start = end + 2;
            if (!buffer.startsWith('data: ', event)) continue;
            const data = buffer.slice(event + 6, end);
            if (data === '[DONE]') continue;
            controller.enqueue(JSON.parse(data));
            produced = true;
          }
          buffer = buffer.slice(start);
          if (produced) return;
        }
      },
    },
    { highWaterMark: 0 },
  );
}

/** eventsource-parser's `createParser` and JSON.parse, in the same pull-based shell as the floor. */
export function eventsourceParser(body: ReadableStream<Uint8Array>): ReadableStream<unknown> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let controller!: ReadableStreamDefaultController<unknown>;
  let produced = false;
  const parser = createParser({
    onEvent({ data }) {
      if (data === '[DONE]') return;
      controller.enqueue(JSON.parse(data));
      produced = true;
    },
  });
  return new ReadableStream(
    {
      start(c) {
        controller = c;
      },
      async pull() {
        for (produced = false; !produced;) {
          const { done, value } = await reader.read();
          if (done) return controller.close();
          parser.feed(decoder.decode(value, { stream: true }));
        }
      },
    },
    { highWaterMark: 0 },
  );
}

/** The bare loop: `fetch` and the body's reader, no chunks (`next` gives a piece of the body); what every contender builds on. */
export const BARE: Contender = { name: 'bare fetch + reader', open: async (fetch, baseURL) => reading(await post(fetch, baseURL)) };

export const FLOOR: Contender = { name: 'stream floor', open: async (fetch, baseURL) => reading(floor(await post(fetch, baseURL))) };

/**
 * The stream floor with an AbortSignal given to `fetch`, kept to abort the request when the
 * consumer leaves: the least a client that can time out or be aborted pays (an SDK cannot do
 * without one). Shown beside the others, to say what of a figure is the signal's.
 */
export const FLOOR_WITH_SIGNAL: Contender = {
  name: 'stream floor + AbortSignal',
  open: async (fetch, baseURL) => {
    const controller = new AbortController();
    const reader = floor(await post(fetch, baseURL, controller.signal)).getReader();
    return {
      next: () => reader.read(),
      cancel: async () => {
        await reader.cancel();
        controller.abort();
      },
    };
  },
};

/** This package's `createChatCompletion`, from a build of it. */
type Create = typeof createChatCompletion;

/** This package as a contender: a build's `createChatCompletion`, called with the bench's key or `apiKey`. */
export const ours = (name: string, create: Create, apiKey = API_KEY): Contender => ({
  name,
  open: async (fetch, baseURL = BASE_URL) => reading(await create(streamRequest, { apiKey, baseURL, fetch })),
});

export const OURS: Contender = ours('openai-chat-fetch', createChatCompletion);

/**
 * `--baseline=<dir>/dist/index.js`: another build of this package (the one before a change),
 * run beside this one in the same process, so that an A/B comparison sees the same machine.
 */
const baselinePath = process.argv.find((arg) => arg.startsWith('--baseline='))?.slice('--baseline='.length);
/** The baseline build's `createChatCompletion`, if one was given. */
export const baselineCreate: Create | undefined = baselinePath && (await import(pathToFileURL(resolve(baselinePath)).href)).createChatCompletion;
/** `--no-peers`: only this package, its baseline and the floors (a quicker A/B run). */
export const WITH_PEERS = !process.argv.includes('--no-peers');

/** The baseline build as a contender: none, or one to list beside OURS. */
export const BASELINE: Contender[] = baselineCreate ? [ours('openai-chat-fetch (baseline)', baselineCreate)] : [];

export const ESP: Contender = {
  name: 'eventsource-parser + JSON.parse',
  open: async (fetch, baseURL) => reading(eventsourceParser(await post(fetch, baseURL))),
};

/** One client per fetch and base URL, made once, as an application makes it. */
function cached<T>(make: (fetch: Fetch, baseURL: string) => T): (fetch: Fetch, baseURL: string) => T {
  const made = new Map<Fetch, Map<string, T>>();
  return (fetch, baseURL) => {
    let byURL = made.get(fetch);
    if (!byURL) {
      byURL = new Map();
      made.set(fetch, byURL);
    }
    let client = byURL.get(baseURL);
    if (client === undefined) {
      client = make(fetch, baseURL);
      byURL.set(baseURL, client);
    }
    return client;
  };
}

export const officialClient = cached((fetch, baseURL) => new OpenAI({ apiKey: API_KEY, baseURL, fetch }));

export const OFFICIAL: Contender = {
  name: `openai ${packageVersion('openai7')} (official)`,
  open: async (fetch, baseURL = BASE_URL) => {
    const stream = await officialClient(fetch, baseURL).chat.completions.create(streamRequest);
    const iterator = stream[Symbol.asyncIterator]();
    return { next: () => iterator.next(), cancel: async () => iterator.return?.() };
  },
};

/** The AI SDK's chat-completions model (`.chat`, not its default Responses API model), made once per fetch. */
export const aiSDKModel = cached((fetch, baseURL) => createOpenAI({ apiKey: API_KEY, baseURL, fetch }).chat(streamRequest.model));

/** Parts of the AI SDK's `fullStream` that carry nothing of the response: its step and text brackets. */
const BRACKETS = new Set(['start', 'start-step', 'text-start', 'text-end', 'finish-step']);

/**
 * Reads `stream`, skipping its bracketing parts: the first read then gives what the first chunk
 * with text brought (the AI SDK emits its first part, `start`, before it sends the request).
 */
function readParts(stream: ReadableStream<{ type: string }>, controller: AbortController): Reading {
  const reader = stream.getReader();
  return {
    next: async () => {
      for (;;) {
        const result = await reader.read();
        if (result.done || !BRACKETS.has(result.value.type)) return result;
      }
    },
    cancel: async () => {
      controller.abort();
      await reader.cancel();
    },
  };
}

/** The AI SDK's `streamText` and its `fullStream`, left by aborting its `abortSignal` as its docs say. */
export const AI_SDK: Contender = {
  name: `ai ${packageVersion('ai')} + @ai-sdk/openai ${packageVersion('@ai-sdk/openai')} (.chat)`,
  parts: true,
  open: async (fetch, baseURL = BASE_URL) => {
    const controller = new AbortController();
    const result = streamText({ model: aiSDKModel(fetch, baseURL), messages: streamRequest.messages, abortSignal: controller.signal, onError: () => {} });
    return readParts(result.fullStream, controller);
  },
};

/** xsAI's `streamText` and its `fullStream`, left by aborting its `abortSignal` (cancelling its stream does not stop the request). */
export const XSAI: Contender = {
  name: `xsai ${packageVersion('@xsai/stream-text')} (@xsai/stream-text)`,
  parts: true,
  open: async (fetch, baseURL = BASE_URL) => {
    const controller = new AbortController();
    const result = xsaiStreamText({
      apiKey: API_KEY,
      baseURL,
      fetch,
      model: streamRequest.model,
      messages: streamRequest.messages,
      abortSignal: controller.signal,
    });
    // Its other results reject when the request is aborted; nobody here awaits them.
    for (const promise of [result.steps, result.messages, result.usage, result.totalUsage]) promise.catch(() => {});
    return readParts(result.fullStream as ReadableStream<{ type: string }>, controller);
  },
};

/** Reads to the end; returns the number of chunks. */
export async function drain(reading: Reading): Promise<number> {
  let count = 0;
  while (!(await reading.next()).done) count++;
  return count;
}

/**
 * Throws unless `contender` read all of a stream of `chunks` chunks: exactly that many, or for
 * a peer's parts about as many (a text delta per chunk with text, a finish part or two).
 */
export function checkCount(contender: Contender, count: number, chunks: number): void {
  const enough = contender.parts ? count >= chunks - 2 && count <= chunks + 1 : count === chunks;
  if (!enough) throw new Error(`${contender.name} read ${count} ${contender.parts ? 'parts' : 'chunks'} of a stream of ${chunks} chunks`);
}
