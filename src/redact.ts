import { defineOwn } from './own.js';

/**
 * Keeps the API key out of everything an error holds, when a server echoes it back ("upstream
 * rejected Bearer sk-…"). Only the secret's own characters change: names, numbers, `null` and
 * the structure around them stay as they were, whatever the key looks like.
 */

const MASK = '[REDACTED]';

/** Every occurrence of `secret` in a string that holds real characters (a parsed value). */
export function redactString(value: string, secret: string | undefined): string {
  return secret && value.includes(secret) ? value.split(secret).join(MASK) : value;
}

/**
 * Every occurrence of `secret` in raw text that may be JSON, in any spelling JSON allows for its
 * characters (`\u0073k-…`, `\/`), so an excerpt of a body cannot quote it either.
 */
export function redactText(text: string, secret: string | undefined): string {
  return secret ? text.replace(spellings(secret), MASK) : text;
}

/**
 * Whether raw text holds `secret` in any spelling: a plain search first, the pattern only for
 * text with escapes (what a stream pays per event: one `includes`, or two).
 */
export function mentions(text: string, secret: string | undefined): boolean {
  if (!secret) return false;
  if (text.includes(secret)) return true;
  const pattern = spellings(secret);
  return text.includes(lastEscape) && pattern.test(text);
}

/** Characters JSON may write with a backslash before them. */
const ESCAPABLE = /["\\/]/;

/** Cache of the one pattern most processes need: the key does not change between calls. */
let lastSecret: string | undefined;
let lastPattern: RegExp;
/**
 * What any escaped spelling of the last key contains, so that an event without it skips the
 * pattern: `\u` (`\u0073k-…`), or a bare backslash for a key with `/`, `"` or `\` (`\/`).
 */
let lastEscape: string;

function spellings(secret: string): RegExp {
  if (secret !== lastSecret) {
    const units = Array.from(secret, (char) => {
      // A JSON string may spell any character as `\u` and four hex digits (`\u0073`), in either case...
      const hex = char
        .charCodeAt(0)
        .toString(16)
        .padStart(4, '0')
        .replace(/[a-f]/g, (digit) => `[${digit}${digit.toUpperCase()}]`);
      // ...and these three with a backslash before them.
      const escaped = char === '/' || char === '"' || char === '\\' ? `|\\\\\\${char}` : '';
      return `(?:${char.replace(REGEXP_SYNTAX, '\\$&')}|\\\\u${hex}${escaped})`;
    });
    lastPattern = new RegExp(units.join(''), 'g');
    lastEscape = ESCAPABLE.test(secret) ? '\\' : '\\u';
    lastSecret = secret;
  }
  lastPattern.lastIndex = 0;
  return lastPattern;
}

const REGEXP_SYNTAX = /[\\^$.*+?()[\]{}|/]/g;

/**
 * A copy of parsed JSON with `secret` masked in every string, object keys included. Iterative,
 * so a body nested a million levels deep is still redacted; keys are defined as own properties,
 * so a `__proto__` key stays data.
 */
export function redactValue<T>(value: T, secret: string | undefined): T {
  if (!secret || !value || typeof value !== 'object') return typeof value === 'string' ? (redactString(value, secret) as T) : value;
  const root = copyShell(value);
  const stack: [source: any, target: any][] = [[value, root]];
  for (let pair = stack.pop(); pair; pair = stack.pop()) {
    const [source, target] = pair;
    for (const key of Object.keys(source)) {
      let item = source[key];
      if (typeof item === 'string') item = redactString(item, secret);
      else if (item && typeof item === 'object') {
        const copy = copyShell(item);
        stack.push([item, copy]);
        item = copy;
      }
      defineOwn(target, Array.isArray(target) ? key : redactString(key, secret), item);
    }
  }
  return root;
}

function copyShell(value: object): any {
  return Array.isArray(value) ? [] : {};
}

/** Response headers with the key masked in their values; names stay as the runtime gave them. */
export function redactHeaders(headers: Headers, secret: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    // `__proto__` is a valid header name a server may send: defined, not assigned, it stays data.
    defineOwn(out, name, redactString(value, secret));
  });
  return out;
}
