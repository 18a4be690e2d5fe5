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
const RUN = 16;
/**
 * Every RUN-character piece of a key holds one of its ANCHOR-character pieces that start at a
 * multiple of STRIDE (STRIDE + ANCHOR = RUN + 1): the few substrings a search looks for first.
 */
const ANCHOR = 9;
const STRIDE = 8;
/** A key this long is a secret whatever it is made of: real keys have 32 characters or more. */
const SECRET_LENGTH = 20;
/** A shorter key is one when it has a digit and at least this many characters. */
const SHORT_SECRET_LENGTH = 8;
/** A header value `<scheme> <credential>`: the credential is the secret. */
const SCHEME = /^\S+\s+(\S[^]*)$/;

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
  /** Secrets shorter than RUN: masked where they appear whole. */
  readonly whole: readonly string[];
  /** Every RUN-character piece of the longer secrets. */
  readonly runs: ReadonlySet<string>;
  /** The anchors of the longer secrets (see ANCHOR). */
  readonly anchors: readonly string[];
  /** What a text holds if it may hold a secret: the short ones, the anchors, and escapes (`\u00`) that could spell one. */
  readonly marks: readonly string[];
  /** What of `marks` means that JSON escapes must be read first. */
  readonly escapes: readonly string[];
  /** The longest spelling of a secret: each character as `\u0073`. */
  readonly room: number;
  /** One less than the longest mark: how much of a text's end may hold the start of one. */
  readonly reach: number;
}

/** A few key sets at once (a client for OpenAI and one for Azure): made once each, not per call. */
const made = new Map<string, Secrets | undefined>();
const MADE_LIMIT = 16;

/**
 * The secrets among what a request sends: its key (from `apiKey`, a string or what its function
 * gave), and the credentials in `Authorization` (after its scheme) and `api-key` headers.
 * `undefined` when none is a secret: then nothing is masked and nothing is searched.
 */
export function secretsFor(apiKey: string | undefined, authorization?: string | null, apiKeyHeader?: string | null): Secrets | undefined {
  const id = `${apiKey ?? ''}\n${authorization ?? ''}\n${apiKeyHeader ?? ''}`;
  if (made.has(id)) return made.get(id);
  if (made.size >= MADE_LIMIT) made.clear();
  const credential = authorization ? (SCHEME.exec(authorization.trim())?.[1] ?? authorization) : undefined;
  const secrets = build([apiKey, credential, apiKeyHeader ?? undefined]);
  made.set(id, secrets);
  return secrets;
}

function build(keys: (string | undefined)[]): Secrets | undefined {
  const found = new Set<string>();
  for (const key of keys) {
    if (!key || !isSecret(key)) continue;
    found.add(key);
    // Error excerpts show whitespace collapsed: a key with spaces inside is also found so.
    found.add(key.replace(/\s+/g, ' '));
  }
  if (!found.size) return undefined;
  const whole = [...found].filter((key) => key.length < RUN);
  const runs = new Set<string>();
  const anchors = new Set<string>();
  for (const key of found) {
    if (key.length < RUN) continue;
    for (let start = 0; start + RUN <= key.length; start++) runs.add(key.slice(start, start + RUN));
    for (let start = 0; start + ANCHOR <= key.length; start += STRIDE) anchors.add(key.slice(start, start + ANCHOR));
  }
  const escapes = ['\\u00', ...['/', '"', '\\'].filter((char) => [...found].some((key) => key.includes(char))).map((char) => '\\' + char)];
  const marks = [...whole, ...anchors, ...escapes];
  const longest = Math.max(...[...found].map((key) => key.length));
  return { whole, runs, anchors: [...anchors], marks, escapes, room: longest * 6, reach: Math.max(...marks.map((mark) => mark.length)) - 1 };
}

/**
 * Whether `text` may hold a secret or a piece of one: it holds an anchor, a short secret, or an
 * escape that could spell either. A few `includes`, the test a stream makes per read.
 */
export function mayHold(text: string, secrets: Secrets): boolean {
  for (const mark of secrets.marks) if (text.includes(mark)) return true;
  return false;
}

/** What a Screen says of the events to come: those of the read being parsed, the next one, or none may hold a secret. */
const SUSPECT_READ = 2;
const SUSPECT_NEXT = 1;

/**
 * Screens the reads of an event stream for secrets, so that only the events of a read that may
 * hold one are searched: a few `includes` a read, not a search per event.
 */
export class Screen {
  /** SUSPECT_READ, SUSPECT_NEXT, or 0: whether the next events must be searched. */
  suspect = 0;
  /** The end of what was read, where the start of a piece may wait for the next read. */
  #tail = '';
  constructor(readonly secrets: Secrets) {}

  /** A read arrived: may it hold a secret or a piece of one, in itself or across its start (the end of the last read and its own start)? */
  read(text: string): void {
    const { reach } = this.secrets;
    const across = this.#tail + text.slice(0, reach);
    this.#tail = (text.length >= reach ? text : across).slice(-reach);
    if (mayHold(text, this.secrets) || mayHold(across, this.secrets)) this.suspect = SUSPECT_READ;
  }

  /** The read is parsed: an event still open may have begun in it, and is the next one dispatched. */
  parsed(): void {
    if (this.suspect === SUSPECT_READ) this.suspect = SUSPECT_NEXT;
  }

  /** An event's parsed value, masked if its text holds a secret. */
  masked<T>(value: T, data: string): T {
    if (this.suspect === SUSPECT_NEXT) this.suspect = 0;
    return mayHold(data, this.secrets) ? maskValue(value, this.secrets) : value;
  }
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
  let out = '';
  let from = 0;
  for (const [start, end] of merged(found)) {
    out += text.slice(from, start) + MASK;
    from = end;
  }
  return out + text.slice(from);
}

/** What a backslash and one character mean in JSON. */
const ESCAPED: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
const HEX4 = /^[0-9a-fA-F]{4}$/;

/** `text` as JSON reads its escapes, and where each character of that starts in `text` (one more at the end). */
function unescape(text: string): { plain: string; at: number[] } {
  const chars: string[] = [];
  const at: number[] = [];
  for (let i = 0; i < text.length;) {
    at.push(i);
    const next = text[i] === '\\' ? text[i + 1] : undefined;
    const hex = next === 'u' ? text.slice(i + 2, i + 6) : '';
    if (HEX4.test(hex)) {
      chars.push(String.fromCharCode(parseInt(hex, 16)));
      i += 6;
    } else if (next !== undefined && Object.hasOwn(ESCAPED, next)) {
      chars.push(ESCAPED[next]!);
      i += 2;
    } else {
      chars.push(text[i]!);
      i += 1;
    }
  }
  at.push(text.length);
  return { plain: chars.join(''), at };
}

/** Where secrets and their pieces are in `plain`, as `[start, end)` spans. */
function spans(plain: string, secrets: Secrets): [number, number][] {
  const found: [number, number][] = [];
  for (const key of secrets.whole) for (let at = plain.indexOf(key); at >= 0; at = plain.indexOf(key, at + 1)) found.push([at, at + key.length]);
  for (const anchor of secrets.anchors) {
    for (let at = plain.indexOf(anchor); at >= 0; at = plain.indexOf(anchor, at + 1)) {
      // The runs that hold this anchor start at most RUN - ANCHOR characters before it.
      for (let start = Math.max(0, at - (RUN - ANCHOR)); start <= at; start++)
        if (secrets.runs.has(plain.slice(start, start + RUN))) found.push([start, start + RUN]);
    }
  }
  return found;
}

/** The spans sorted, those that overlap or touch made one. */
function merged(found: [number, number][]): [number, number][] {
  found.sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const span of found) {
    const last = out.at(-1);
    if (last && span[0] <= last[1]) last[1] = Math.max(last[1], span[1]);
    else out.push([span[0], span[1]]);
  }
  return out;
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

/** Response headers with secrets masked in their values; names stay as the runtime gave them. */
export function maskHeaders(headers: Headers, secrets: Secrets | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    // `__proto__` is a valid header name a server may send: defined, not assigned, it stays data.
    defineOwn(out, name, maskText(value, secrets));
  });
  return out;
}
