import { OpenAIError } from '../errors.js';
import { defineOwn } from '../own.js';

export type HeaderRecord = Record<string, string | null | undefined>;

/**
 * Merges header records left to right with names compared case-insensitively (HTTP header
 * names are), so `authorization` given by a user replaces the default `Authorization`.
 * A `null` removes what came before; `undefined` leaves it. Only own properties count: a
 * polluted `Object.prototype` cannot add a header.
 */
export function mergeHeaders(...layers: (HeaderRecord | undefined)[]): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const layer of layers) {
    if (!layer) continue;
    for (const name of Object.keys(layer)) {
      const value = layer[name];
      if (value !== undefined) defineOwn(out, name.toLowerCase(), value);
    }
  }
  return out;
}

/** An HTTP token (RFC 9110 §5.6.2): what a header name may be. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** What fetch refuses in a value: NUL, CR, LF, and anything past Latin-1 (not a ByteString). */
const FORBIDDEN_IN_VALUE = /[\0\r\n\u0100-\uffff]/;

/**
 * The headers a request is sent with: the merged record less the removed names, each checked as
 * fetch would check it. A bad one is a usage error naming the header, never quoting its value
 * (it may be the key), raised before anything is sent: fetch's own TypeError would quote it,
 * and would be taken for a connection failure and retried.
 */
export function finalHeaders(merged: Record<string, string | null>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of Object.keys(merged)) {
    const value = merged[name];
    if (value === null || value === undefined) continue;
    if (!TOKEN.test(name)) throw new OpenAIError(`The header name ${JSON.stringify(name.slice(0, 40))} is not a valid HTTP header name.`);
    if (typeof value !== 'string') throw new OpenAIError(`The header ${name} must be a string, got ${typeof value}.`);
    const bad = value.search(FORBIDDEN_IN_VALUE);
    if (bad >= 0)
      throw new OpenAIError(
        `${describeValue(name, value)} holds a character fetch cannot send (code ${value.charCodeAt(bad)}): a newline, a NUL, or one past Latin-1 such as a pasted "…".`,
      );
    defineOwn(out, name, value);
  }
  return out;
}

function describeValue(name: string, value: string): string {
  return name === 'authorization' && value.startsWith('Bearer ') ? 'The API key' : `The value of the header ${name}`;
}
