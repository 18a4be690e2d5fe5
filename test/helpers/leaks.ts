import { toServerSentEvents } from '../../src/index.js';
import type { ChatCompletionChunk, RequestOptions } from '../../src/index.js';
import { everyFormOf } from './hostile.js';
import { readAll } from './streams.js';

// What the secret-masking tests share: real key shapes, the ways a caller gives a key, and a
// search for any piece of a key in everything a user, a log or a page can see.

/** Keys of every real shape, made up. */
export const KEYS = {
  openai: 'sk-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7dEf0hIj3kLm6n',
  project: `sk-proj-${'Qw3rTy_Ui0pAs-Df9gHj2kLz'.repeat(6)}`,
  azure: '8f14e45fceea167a5a36dedd4bea2543',
  jwt: 'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyLTQyIiwiZXhwIjoxOTAwMDAwMDAwfQ.c2lnbmF0dXJlLWJ5dGVz',
} as const;

/** How a caller gives its key: all four are secrets alike. */
export type KeyMode = 'apiKey' | 'function' | 'authorization' | 'api-key';
export const KEY_MODES: KeyMode[] = ['apiKey', 'function', 'authorization', 'api-key'];

/** The options that send `key` the way `mode` says. */
export function keyOptions(key: string, mode: KeyMode): RequestOptions {
  if (mode === 'apiKey') return { apiKey: key };
  if (mode === 'function') return { apiKey: async () => key };
  if (mode === 'authorization') return { headers: { Authorization: `Bearer ${key}` } };
  return { headers: { 'api-key': key } };
}

/** The length of the shortest piece of a key that must never be seen. */
export const RUN = 16;

/** `text` with the escapes JSON allows for a key's characters read (`\u0073` as `s`, `\/` as `/`). */
function unescaped(text: string): string {
  return text.replace(/\\u00([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))).replace(/\\\//g, '/');
}

/** The first piece of RUN characters of `key` found in `text` (or its JSON-unescaped form), if any. */
export function leakOf(text: string, key: string): string | undefined {
  const forms = [text, unescaped(text)];
  for (let start = 0; start + RUN <= key.length; start++) {
    const piece = key.slice(start, start + RUN);
    if (forms.some((form) => form.includes(piece))) return piece;
  }
  return undefined;
}

/** `text` with some of its characters written as JSON `\u00XX` escapes, chosen by `mask`'s bits. */
export function jsonSpelled(text: string, mask: number): string {
  return Array.from(text, (char, index) => ((mask >> (index % 31)) & 1 ? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}` : char)).join('');
}

/** Everything a page receives when a relayed stream fails with `error`. */
export async function relayedText(error: unknown): Promise<string> {
  const failing = new ReadableStream<ChatCompletionChunk>({
    pull(controller) {
      controller.error(error);
    },
  });
  const { values } = await readAll(toServerSentEvents(failing));
  return new TextDecoder().decode(Buffer.concat(values));
}

/** Every form of `error` and what a page would receive of it, as one text to search. */
export async function everythingShownOf(error: unknown): Promise<string> {
  return `${await everyFormOf(error)}\n${await relayedText(error)}`;
}
