import { defineOwn } from './own.js';

/**
 * Keeps keys out of everything an error holds and a stream passes on, when a server echoes one
 * back ("upstream rejected Bearer sk-…"). One rule, `isSecret`, says which keys are secrets, for
 * errors and streams alike. A secret is masked whole and in part (any run of RUN of its
 * characters), in any spelling JSON allows (`\u0073k-…`, `\/`); nothing else changes: names,
 * numbers, `null`, request ids and the structure around them stay as they were.
 */

const MASK = '[REDACTED]';
/** The shortest piece of a key masked on its own, wherever a text was cut or a key echoed in part. */
export const RUN = 16;
/**
 * Every RUN-character piece of a key holds one of its ANCHOR-character pieces that start at
 * RUN - ANCHOR, then every STRIDE characters (STRIDE + ANCHOR = RUN + 1): the fewest substrings
 * a search must look for first (two for a key of 25 characters, five for 51).
 */
const ANCHOR = 9;
const STRIDE = 8;
/** A key this long is a secret whatever it is made of: real keys have 32 characters or more. */
const SECRET_LENGTH = 20;
/** A shorter key is one when it has a digit and at least this many characters. */
const SHORT_SECRET_LENGTH = 8;
/** The scheme before the credential of an `Authorization` value (`Bearer `): no secret. */
const SCHEME = /^\S+\s+(?=\S)/;

/**
 * Whether a key is a secret worth masking: 20 characters or more, or 8 or more with a digit.
 * Every real key shape is one (`sk-…`, `sk-proj-…`, Azure's 32 hex characters, a JWT); the
 * placeholders of local servers are not (`null`, `EMPTY`, `ollama`, `lm-studio`,
 * `sk-no-key-required`), and masking them would change words and request ids that happen to
 * contain them, for no secret kept.
 */
export function isSecret(key: string): boolean {
  return key.length >= SECRET_LENGTH || (key.length >= SHORT_SECRET_LENGTH && /\d/.test(key));
}

/** The secrets of one request, and what finds them; made by `secretsFor`. */
export interface Secrets {
  /** Every RUN-character piece of each secret; a shorter secret is its own piece. */
  readonly pieces: ReadonlySet<string>;
  /** What a text must hold to hold a piece: the anchors of each secret (a shorter one is its own). */
  readonly anchors: readonly string[];
  /** The anchors as one pattern: one search of a text, faster than one per anchor. */
  readonly anchored: RegExp;
  /** Escapes that could spell a secret (`\u00`): a text that holds one is read as JSON reads it too. */
  readonly escapes: readonly string[];
  /** The longest spelling of a secret: each character as `\u0073`. */
  readonly room: number;
}

/**
 * A few key sets at once (a client for OpenAI and one for Azure): made once each, not per call.
 * A speed trick, kept for the per-call cost that bench (c), a non-streaming create per call, counts.
 */
const made = new Map<string, Secrets | undefined>();
/** The same for a key sent alone, as nearly every call sends it: found by the key itself, no string built to look it up. */
const madeForKey = new Map<string | undefined, Secrets | undefined>();
const MADE_LIMIT = 16;

/**
 * The secrets among what a request sends: its key (from `apiKey`, a string or what its function
 * gave), and the credentials in `Authorization` (after its scheme) and `api-key` headers.
 * `undefined` when none is a secret: then nothing is masked and nothing is searched.
 */
export function secretsFor(apiKey: string | undefined, authorization?: string | null, apiKeyHeader?: string | null): Secrets | undefined {
  const alone = !authorization && !apiKeyHeader;
  const cache: Map<string | undefined, Secrets | undefined> = alone ? madeForKey : made;
  const id = alone ? apiKey : `${apiKey}\n${authorization}\n${apiKeyHeader}`;
  if (!cache.has(id)) {
    if (cache.size >= MADE_LIMIT) cache.clear();
    cache.set(id, build([apiKey, authorization?.replace(SCHEME, ''), apiKeyHeader]));
  }
  return cache.get(id);
}

function build(given: (string | null | undefined)[]): Secrets | undefined {
  const keys = given.filter((key): key is string => !!key && isSecret(key));
  if (!keys.length) return undefined;
  const pieces = new Set<string>();
  const anchors = new Set<string>();
  for (const key of keys) {
    if (key.length < RUN) {
      pieces.add(key);
      anchors.add(key);
      continue;
    }
    for (let start = 0; start + RUN <= key.length; start++) pieces.add(key.slice(start, start + RUN));
    // Each anchor holds the pieces that start up to RUN - ANCHOR before it: the next one starts STRIDE on, until the last piece is held.
    for (let start = RUN - ANCHOR; ; start += STRIDE) {
      anchors.add(key.slice(start, start + ANCHOR));
      if (start >= key.length - RUN) break;
    }
  }
  const escapes = ['\\u00'];
  for (const char of '/"\\') if (keys.some((key) => key.includes(char))) escapes.push('\\' + char);
  return {
    pieces,
    anchors: [...anchors],
    anchored: new RegExp([...anchors].map((anchor) => anchor.replace(REGEXP_SYNTAX, '\\$&')).join('|')),
    escapes,
    room: Math.max(...keys.map((key) => key.length)) * 6,
  };
}

const REGEXP_SYNTAX = /[\\^$.*+?()[\]{}|/-]/g;

/**
 * Whether `text` may hold a secret or a piece of one: it holds an anchor, a short secret, or an
 * escape that could spell either. One search, and an `includes` an escape.
 */
export function mayHold(text: string, secrets: Secrets): boolean {
  return secrets.anchored.test(text) || holdsEscape(text, secrets);
}

/** Whether `text` holds an escape that could spell a secret. */
export function holdsEscape(text: string, { escapes }: Secrets): boolean {
  for (const escape of escapes) if (text.includes(escape)) return true;
  return false;
}

/**
 * `text` with every secret, and every RUN-character piece of one, replaced by `[REDACTED]`, in
 * any spelling JSON allows for its characters; the text itself when it holds none.
 */
export function maskText(text: string, secrets: Secrets | undefined): string {
  if (!secrets || !mayHold(text, secrets)) return text;
  const found = spans(text, secrets);
  // Escapes are read as JSON reads them, and what is found there is masked in the raw text too
  // (the raw search still finds a key that has a backslash of its own).
  if (secrets.escapes.some((mark) => text.includes(mark))) {
    const { plain, at } = unescape(text);
    for (const [start, end] of spans(plain, secrets)) found.push([at[start]!, at[end]!]);
  }
  if (!found.length) return text;
  found.sort((a, b) => a[0] - b[0]);
  let out = '';
  let end = -1;
  for (const span of found) {
    // Spans that overlap or touch are masked as one.
    if (span[0] > end) out += text.slice(Math.max(end, 0), span[0]) + MASK;
    end = Math.max(end, span[1]);
  }
  return out + text.slice(end);
}

/** A JSON escape of a character a key may hold (`\u0073`, `\"`, `\\`, `\/`), or any one character. */
const UNIT = /\\u([0-9a-fA-F]{4})|\\(["\\/])|[^]/g;

/** `text` as JSON reads those escapes, and where each character of that starts in `text` (one more at the end). */
function unescape(text: string): { plain: string; at: number[] } {
  const at: number[] = [];
  let plain = '';
  for (const unit of text.matchAll(UNIT)) {
    at.push(unit.index);
    plain += unit[1] ? String.fromCharCode(parseInt(unit[1], 16)) : (unit[2] ?? unit[0]);
  }
  at.push(text.length);
  return { plain, at };
}

/** Where secrets and their pieces are in `plain`, as `[start, end)` spans. */
function spans(plain: string, { pieces, anchors }: Secrets): [number, number][] {
  const found: [number, number][] = [];
  for (const anchor of anchors) {
    for (let at = plain.indexOf(anchor); at >= 0; at = plain.indexOf(anchor, at + 1)) {
      // A short secret is its own anchor; the pieces that hold an anchor start at most RUN - ANCHOR before it.
      if (pieces.has(anchor)) found.push([at, at + anchor.length]);
      for (let start = Math.max(0, at - (RUN - ANCHOR)); start <= at; start++)
        if (pieces.has(plain.slice(start, start + RUN))) found.push([start, start + RUN]);
    }
  }
  return found;
}

/**
 * A copy of parsed JSON with secrets masked in every string, object keys included (`value`
 * itself when there are none). Iterative, so a body nested a million levels deep is still
 * masked; keys are defined as own properties, so a `__proto__` key stays data.
 */
export function maskValue<T>(value: T, secrets: Secrets | undefined): T {
  if (!secrets || !value || typeof value !== 'object') return typeof value === 'string' ? (maskText(value, secrets) as T) : value;
  const root = copyShell(value);
  let changed = false;
  const stack: [source: any, target: any][] = [[value, root]];
  for (let pair = stack.pop(); pair; pair = stack.pop()) {
    const [source, target] = pair;
    for (const key of Object.keys(source)) {
      let item = source[key];
      if (typeof item === 'string') {
        const masked = maskText(item, secrets);
        changed ||= masked !== item;
        item = masked;
      } else if (item && typeof item === 'object') {
        const copy = copyShell(item);
        stack.push([item, copy]);
        item = copy;
      }
      const name = Array.isArray(target) ? key : maskText(key, secrets);
      changed ||= name !== key;
      defineOwn(target, name, item);
    }
  }
  return changed ? root : value;
}

function copyShell(value: object): any {
  return Array.isArray(value) ? [] : {};
}

/** Response headers as `maskHeaders` reads them: the runtime's `Headers`, or a copy that gives the same `forEach`. */
export interface HeaderList {
  forEach(callback: (value: string, name: string) => void): void;
}

/** Response headers with secrets masked in their values; names stay as the runtime gave them. */
export function maskHeaders(headers: HeaderList, secrets: Secrets | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    // `__proto__` is a valid header name a server may send: defined, not assigned, it stays data.
    defineOwn(out, name, maskText(value, secrets));
  });
  return out;
}
