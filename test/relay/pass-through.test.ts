import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRelay } from '../../src/relay/index.js';
import type { RelayErrorReport, UsageReport } from '../../src/relay/index.js';
import { bodyOf, fixture, fixtureNames, piecesOf, split } from '../helpers/streams.js';

// A relayed stream is the upstream's bytes as they came, whole events at a time: only the
// usage-only chunk the page did not ask for, and an echoed key, are ever taken out. In process,
// with the upstream's body in given pieces, over every recorded stream of test/fixtures/streams/.
const KEY = 'sk-pass-through-key-0123456789abcdef';
const RECORDED = new URL('../fixtures/streams/recorded/', import.meta.url);
const streams: [string, Uint8Array][] = [
  ...fixtureNames.map((name): [string, Uint8Array] => [name, fixture(name)]),
  ...readdirSync(RECORDED)
    .filter((name) => name.endsWith('.txt'))
    .map((name): [string, Uint8Array] => [`recorded/${name}`, new Uint8Array(readFileSync(new URL(name, RECORDED)))]),
];
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** The relay in front of an upstream whose stream arrives in `pieces`; what the page read, piece by piece. */
async function relayed(pieces: Uint8Array[], pageWantsUsage: boolean, apiKey = KEY) {
  const usage: UsageReport[] = [];
  const errors: RelayErrorReport[] = [];
  const relay = createRelay({
    public: true,
    apiKey,
    models: () => true,
    upstream: { fetch: async () => new Response(bodyOf(pieces), { headers: { 'content-type': 'text/event-stream' } }) },
    onUsage: (report) => void usage.push(report),
    onError: (report) => void errors.push(report),
  });
  const body = {
    model: 'm',
    messages: [{ role: 'user', content: 'hi' }],
    stream: true,
    ...(pageWantsUsage ? { stream_options: { include_usage: true } } : {}),
  };
  const response = await relay(
    new Request('http://relay.test/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  );
  expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
  const read: Uint8Array[] = [];
  for await (const piece of response.body!) read.push(piece);
  return { read, all: join(read), usage, errors };
}

function join(pieces: Uint8Array[]): Uint8Array {
  const all = new Uint8Array(pieces.reduce((sum, piece) => sum + piece.length, 0));
  let offset = 0;
  for (const piece of pieces) {
    all.set(piece, offset);
    offset += piece.length;
  }
  return all;
}

/** The events of a whole stream with their blank lines: a plain reading of the SSE spec, independent of the relay's. */
const EVENTS = /[^]*?(?:\r\n|\r(?!\n)|\n)(?:\r\n|\r(?!\n)|\n)|[^]+$/g;

function usageOnly(event: string): Record<string, unknown> | undefined {
  const data = event
    .split(/\r\n|\r|\n/)
    .filter((line) => line.startsWith('data:'))
    .map((line) => line.slice(5).trimStart())
    .join('\n');
  try {
    const chunk = JSON.parse(data);
    return Array.isArray(chunk.choices) && chunk.choices.length === 0 && chunk.usage ? chunk.usage : undefined;
  } catch {
    return undefined;
  }
}

/** What a page that did not ask for usage should read: the stream less its usage-only events. */
function withoutUsage(bytes: Uint8Array): string {
  return (decoder.decode(bytes).match(EVENTS) ?? []).filter((event) => !usageOnly(event)).join('');
}

const endsAnEvent = (piece: Uint8Array) => /(\r\n|\r|\n)(\r\n|\r|\n)$/.test(decoder.decode(piece.subarray(-4)));

describe('a relayed stream', () => {
  it.each(streams)('%s: byte for byte, whole events a read, when the page asked for usage', async (_, bytes) => {
    const { read, all, usage } = await relayed(piecesOf(bytes, 7), true);
    expect(Buffer.from(all).equals(Buffer.from(bytes))).toBe(true);
    expect(read.slice(0, -1).every(endsAnEvent)).toBe(true);
    expect(usage).toHaveLength(1);
  });

  it.each(streams)('%s: less only the usage-only chunk when the page did not ask, its usage reported', async (_, bytes) => {
    const { all, usage } = await relayed(piecesOf(bytes, 64), false);
    expect(decoder.decode(all)).toBe(withoutUsage(bytes));
    const reported = (decoder.decode(bytes).match(EVENTS) ?? []).map(usageOnly).filter(Boolean).at(-1);
    if (reported) expect(usage[0]!.usage).toEqual(reported);
  });

  it('holds through any split: every byte once, in order, whatever the pieces', async () => {
    const bytes = fixture('usage.txt');
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 40 }), async (cuts) => {
        const { all, usage } = await relayed(split(bytes, cuts), true);
        expect(Buffer.from(all).equals(Buffer.from(bytes))).toBe(true);
        expect(usage[0]!.usage).not.toBeNull();
      }),
      { numRuns: 150 },
    );
  });

  it('reads blank lines of CR, LF and CRLF, and one split between reads, as the SSE spec writes them', async () => {
    const chunk = (content: string) => `data: {"choices":[{"index":0,"delta":{"content":"${content}"},"finish_reason":null}]}`;
    const text = `${chunk('a')}\r\r${chunk('b')}\r\n\r\n${chunk('c')}\n\n: comment\n${chunk('d')}\n\r\ndata: {"choices":[],"usage":{"total_tokens":3}}\r\rdata: [DONE]\n\n`;
    const bytes = encoder.encode(text);
    const cuts = [...text.matchAll(/\r|\n/g)].map((match) => match.index + 1);
    const { read, all, usage } = await relayed(split(bytes, cuts), false);
    expect(decoder.decode(all)).toBe(text.replace('data: {"choices":[],"usage":{"total_tokens":3}}\r\r', ''));
    expect(read.every(endsAnEvent)).toBe(true);
    expect(usage[0]!.usage).toEqual({ total_tokens: 3 });
  });

  it('masks the key where the upstream echoes it, in any JSON spelling', async () => {
    const escaped = [...KEY].map((char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
    const text = `data: {"choices":[{"index":0,"delta":{"content":"${KEY} and ${escaped}"},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n`;
    const { all } = await relayed(piecesOf(encoder.encode(text), 5), true);
    expect(decoder.decode(all)).toBe(
      'data: {"choices":[{"index":0,"delta":{"content":"[REDACTED] and [REDACTED]"},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n',
    );
  });

  it.each([
    ['in one read', (bytes: Uint8Array) => [bytes]],
    ['in reads of 7 bytes', (bytes: Uint8Array) => piecesOf(bytes, 7)],
    [
      'an event a read',
      // Cut just past each blank line (LF LF).
      (bytes: Uint8Array) =>
        split(
          bytes,
          [...bytes.keys()].filter((at) => bytes[at - 1] === 10 && bytes[at - 2] === 10),
        ),
    ],
  ])('finds the key, usage and an error event among characters that are not ASCII, %s', async (_, cut) => {
    const chunk = (content: string) => `data: {"choices":[{"index":0,"delta":{"content":"${content}"},"finish_reason":null}]}\n\n`;
    // An event far longer than the tail the relay reads is read whole when it ends there: the key at its start is masked too.
    const contents = ['café 👋 ✓', 'naïve', `${KEY}${'ü'.repeat(40_000)}`];
    const usage = 'data: {"choices":[],"usage":{"total_tokens":3},"note":"é"}\n\n';
    const failure = `event: error\ndata: {"error":{"message":"Überlastet 👋 (Bearer ${KEY})","type":"server_error","param":null,"code":"overloaded"}}\n\n`;
    const text = contents.map(chunk).join('') + usage + failure;
    const result = await relayed(cut(encoder.encode(text)), true);
    expect(decoder.decode(result.all)).toBe(text.replaceAll(KEY, '[REDACTED]'));
    expect(result.usage[0]!.usage).toEqual({ total_tokens: 3 });
    expect(result.errors).toHaveLength(1);
    expect(String(result.errors[0]!.error)).toContain('(Bearer [REDACTED])');
  });

  it('finds usage, an error event and the key at the end of a read far longer than the tail it decodes', async () => {
    const chunk = (content: string) => `data: {"choices":[{"index":0,"delta":{"content":"${content}"},"finish_reason":null}]}\n\n`;
    const body = Array.from({ length: 400 }, (_, i) => chunk(`word ${i} `)).join('');
    const end = `data: {"choices":[],"usage":{"total_tokens":800}}\n\ndata: {"error":{"message":"Bearer ${KEY} expired","type":"server_error"}}\n\n`;
    const result = await relayed([encoder.encode(body + end)], false);
    expect(decoder.decode(result.all)).toBe(body + 'data: {"error":{"message":"Bearer [REDACTED] expired","type":"server_error"}}\n\n');
    expect(result.usage[0]!.usage).toEqual({ total_tokens: 800 });
    expect(String(result.errors[0]!.error)).toBe('APIError: 200 Bearer [REDACTED] expired');
  });

  it('masks a key with a character that is not ASCII (Latin-1, as headers allow) where the upstream echoes it', async () => {
    // Its first 16 characters hold one anchor of the search, and it holds the é.
    const key = 'sk-0123456é789abcdefghijk';
    const text = `data: {"choices":[{"index":0,"delta":{"content":"café ${key.slice(0, 16)}"},"finish_reason":"stop"}]}\n\n`;
    const { all } = await relayed([encoder.encode(text)], true, key);
    expect(decoder.decode(all)).toBe(text.replace(key.slice(0, 16), '[REDACTED]'));
  });

  it.each([
    ['an error event', 'event: error\ndata: {"error":{"message":"The model is overloaded.","type":"server_error","param":null,"code":"overloaded"}}\n\n'],
    ['an error object in a data line', 'data: {"error":{"message":"The model is overloaded.","type":"server_error","param":null,"code":"overloaded"}}\n\n'],
  ])("passes the upstream's own %s to the page as sent, and reports it to onError", async (_, failure) => {
    const text = `data: {"choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}]}\n\n${failure}`;
    const { all, errors, usage } = await relayed(piecesOf(encoder.encode(text), 9), true);
    expect(decoder.decode(all)).toBe(text);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ status: 200, error: { name: 'APIError', message: '200 The model is overloaded.', code: 'overloaded' } });
    expect(usage).toEqual([{ user: undefined, model: 'm', usage: null, requestId: undefined }]);
  });

  it('reports nothing for a chunk whose text only mentions an error', async () => {
    const text = 'data: {"choices":[{"index":0,"delta":{"content":"\\"error\\": event: error"},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n';
    const { all, errors } = await relayed(piecesOf(encoder.encode(text), 5), true);
    expect(decoder.decode(all)).toBe(text);
    expect(errors).toEqual([]);
  });

  it('fails the stream with an error event when an upstream event never ends, holding no more than its cap', async () => {
    const start = encoder.encode('data: {"choices":[{"index":0,"delta":{"content":"ok"},"finish_reason":null}]}\n\ndata: "');
    const megabyte = new Uint8Array(1024 * 1024).fill(120);
    const { all, errors, usage } = await relayed([start, ...Array.from({ length: 17 }, () => megabyte)], true);
    const text = decoder.decode(all);
    expect(text.startsWith('data: {"choices":[{"index":0,"delta":{"content":"ok"}')).toBe(true);
    expect(text).toMatch(
      /\n\ndata: \{"error":\{"message":"The upstream stream failed before the answer finished; try again\.".*"code":"upstream_stream_failed"\}\}\n\n$/,
    );
    expect(all.length).toBeLessThan(1000);
    expect(String(errors[0]!.error)).toMatch(/grew past 16777216 bytes/);
    expect(usage).toEqual([{ user: undefined, model: 'm', usage: null, requestId: undefined }]);
  });
});
