import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OpenAIError } from '../../src/errors.js';
import { createPartialJSONParser } from '../../src/partial-json/parser.js';
import type { PartialJSONOptions } from '../../src/partial-json/parser.js';

// ---------------------------------------------------------------------------------------------
// Helpers: feeding pieces, the "partial of" relation, an independent validator, a JSON writer
// with random whitespace, escapes and number spellings.

interface Run {
  snapshots: unknown[];
  /** structuredClone of each snapshot, taken when it was returned. */
  clones: unknown[];
  final: unknown;
}

function feed(pieces: string[], options?: PartialJSONOptions): Run {
  const parser = createPartialJSONParser(options);
  const snapshots: unknown[] = [];
  const clones: unknown[] = [];
  for (const piece of pieces) {
    const snapshot = parser.push(piece);
    snapshots.push(snapshot);
    clones.push(structuredClone(snapshot));
  }
  return { snapshots, clones, final: parser.end() };
}

/** `text` cut at `cuts` (any numbers: taken modulo its length + 1, sorted, repeats dropped). */
function split(text: string, cuts: number[]): string[] {
  const at = [...new Set(cuts.map((cut) => cut % (text.length + 1)))].sort((a, b) => a - b);
  const pieces: string[] = [];
  let start = 0;
  for (const cut of [...at, text.length]) {
    pieces.push(text.slice(start, cut));
    start = cut;
  }
  return pieces;
}

const characters = (text: string) => text.split('');
const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;

/**
 * Whether `partial` is something a parser may show of `final` before the text ends:
 * - `undefined`: nothing known yet;
 * - a string: a prefix of `final` (a string);
 * - a number, boolean or null: equal to `final` (they appear only complete);
 * - an array: `final` (an array) starts with its elements, except that its last element may
 *   itself be a partial of the element of `final` at that index;
 * - an object (with Object.prototype): every key is an own key of `final` (an object), every
 *   value equals final's, except at most one, which may be a partial of final's.
 */
function isPartialOf(partial: unknown, final: unknown): boolean {
  if (partial === undefined) return true;
  if (typeof partial === 'string') return typeof final === 'string' && final.startsWith(partial);
  if (Array.isArray(partial)) {
    if (!Array.isArray(final) || partial.length > final.length) return false;
    const last = partial.length - 1;
    return partial.every((item, i) => (i === last ? isPartialOf(item, final[i]) : isDeepStrictEqual(item, final[i])));
  }
  if (isPlainObject(partial)) {
    if (!isPlainObject(final)) return false;
    const keys = Object.keys(partial);
    if (!keys.every((key) => Object.hasOwn(final, key) && isPartialOf(partial[key], final[key]))) return false;
    return keys.filter((key) => !isDeepStrictEqual(partial[key], final[key])).length <= 1;
  }
  return Object.is(partial, final);
}

/**
 * Where `text` stops being JSON: the index of the first character no JSON text can continue
 * with (its length if it ends too early), or -1 if it is JSON. A recursive-descent reading of
 * RFC 8259 written separately from the parser under test, as its oracle.
 */
function firstError(text: string): number {
  let i = 0;
  const bad = Symbol('bad');
  const fail = (): never => {
    throw bad;
  };
  const isDigit = (at: number) => at < text.length && text[at] >= '0' && text[at] <= '9';
  const expect = (char: string) => {
    if (text[i] !== char) fail();
    i++;
  };
  const space = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const digits = () => {
    if (!isDigit(i)) fail();
    while (isDigit(i)) i++;
  };
  function string(): void {
    expect('"');
    for (;;) {
      if (i >= text.length) fail();
      const code = text.charCodeAt(i);
      i++;
      if (code === 34) return;
      if (code < 32) {
        i--;
        fail();
      }
      if (code !== 92) continue;
      if (i >= text.length) fail();
      if ('"\\/bfnrt'.includes(text[i])) i++;
      else if (text[i] === 'u') {
        i++;
        for (let n = 0; n < 4; n++) {
          if (i >= text.length || !/[0-9a-fA-F]/.test(text[i])) fail();
          i++;
        }
      } else fail();
    }
  }
  function number(): void {
    if (text[i] === '-') i++;
    if (text[i] === '0') i++;
    else digits();
    if (text[i] === '.') {
      i++;
      digits();
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      digits();
    }
  }
  function members(close: string, member: () => void): void {
    i++;
    space();
    if (text[i] === close) {
      i++;
      return;
    }
    for (;;) {
      member();
      space();
      if (text[i] === ',') i++;
      else return expect(close);
    }
  }
  function value(): void {
    space();
    const char = text[i];
    if (char === '"') string();
    else if (char === '[') members(']', value);
    else if (char === '{') members('}', member);
    else if (char === '-' || isDigit(i)) number();
    else if (char === 't') word('true');
    else if (char === 'f') word('false');
    else if (char === 'n') word('null');
    else fail();
  }
  function member(): void {
    space();
    string();
    space();
    expect(':');
    value();
  }
  function word(literal: string): void {
    for (const char of literal) expect(char);
  }
  try {
    value();
    space();
    if (i < text.length) fail();
    return -1;
  } catch (thrown) {
    if (thrown === bad) return i;
    throw thrown;
  }
}

/** A JSON text for `value` with random whitespace between tokens, escapes and number spellings. */
function write(value: unknown, next: () => number): string {
  const pick = <T>(options: readonly T[]) => options[Math.floor(next() * options.length)];
  const space = () => pick(['', '', '', ' ', '\n', '\t', '\r\n  ']);
  const string = (text: string) => {
    let out = '"';
    for (const unit of characters(text)) {
      const code = unit.charCodeAt(0);
      const escaped = JSON.stringify(unit).slice(1, -1);
      const forced = escaped !== unit; // quotes, backslashes, control characters, lone surrogates
      const way = pick(['raw', 'raw', 'raw', 'short', 'unicode', 'UNICODE']);
      if (way === 'unicode' || way === 'UNICODE') {
        const hex = code.toString(16).padStart(4, '0');
        out += `\\u${way === 'unicode' ? hex : hex.toUpperCase()}`;
      } else if (way === 'short' && unit === '/') out += '\\/';
      else out += forced || way === 'short' ? escaped : unit;
    }
    return `${out}"`;
  };
  const number = (n: number) => {
    const text = JSON.stringify(n);
    if (text.includes('e')) return pick([text, text.toUpperCase()]);
    return pick([text, `${text}e0`, `${text}E+00`, `${text}e-0`, Number.isInteger(n) ? `${text}.000` : text]);
  };
  if (typeof value === 'string') return string(value);
  if (typeof value === 'number') return number(value);
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  if (Array.isArray(value)) return `[${space()}${value.map((item) => write(item, next) + space()).join(`,${space()}`)}]`;
  const members = Object.entries(value).map(([key, item]) => `${string(key)}${space()}:${space()}${write(item, next)}${space()}`);
  return `{${space()}${members.join(`,${space()}`)}}`;
}

/** Deterministic numbers in [0, 1) (mulberry32). */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Deep equality with prototypes and -0 (node:util). Not vitest's toStrictEqual, which compares
 * `constructor` properties, and so fails on JSON with a "constructor" key.
 */
function expectSame(actual: unknown, expected: unknown): void {
  expect(actual).toEqual(expected);
  expect(isDeepStrictEqual(actual, expected)).toBe(true);
}

/** What `run` throws, or undefined. */
function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

/** The position an OpenAIError thrown by `run` names, or -1 if `run` does not throw. */
function errorPosition(run: () => unknown): number {
  const error = thrown(run);
  if (error === undefined) return -1;
  expect(error).toBeInstanceOf(OpenAIError);
  const position = /at position (\d+)/.exec((error as Error).message);
  expect(position, (error as Error).message).not.toBeNull();
  return Number(position![1]);
}

/** Where parsing `pieces` fails (in push or end), or -1. */
function parserError(pieces: string[]): number {
  const parser = createPartialJSONParser();
  return errorPosition(() => {
    for (const piece of pieces) parser.push(piece);
    parser.end();
  });
}

/** Strings that exercise escapes and UTF-16: pairs, lone halves, controls, quotes. */
const nastyString = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.string({
    unit: fc.constantFrom('"', '\\', '/', '\b', '\f', '\n', '\r', '\t', '\u0000', '\u001f', 'é', '€', '😀', '\ud83d', '\ude00', 'a', ' ', '\u2028'),
  }),
);
const nastyValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    nastyString,
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer(),
    fc.constantFrom(true, false, null, 0, -0, 1e21, 5e-324, 1.7976931348623157e308),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(fc.oneof(nastyString, fc.constantFrom('__proto__', 'constructor', 'prototype', '0', '10')), tie('value'), { maxKeys: 5 }),
  ),
})).value;

/** A document (with random whitespace and spellings) and where to cut it. */
const documents = fc.record({
  value: fc.oneof(fc.jsonValue(), nastyValue),
  seed: fc.integer(),
  cuts: fc.array(fc.nat(), { maxLength: 40 }),
});

// ---------------------------------------------------------------------------------------------

describe('createPartialJSONParser', () => {
  it('returns undefined until something is known, then the value so far', () => {
    const parser = createPartialJSONParser();
    expect(parser.push('')).toBeUndefined();
    expect(parser.push('  \n')).toBeUndefined();
    expect(parser.push('{')).toEqual({});
    expect(parser.push('"name": "Ad')).toEqual({ name: 'Ad' });
    expect(parser.push('a", "tags": [')).toEqual({ name: 'Ada', tags: [] });
    expect(parser.push('"x", {"deep": [tr')).toEqual({ name: 'Ada', tags: ['x', { deep: [] }] });
    expect(parser.push('ue]}]}')).toEqual({ name: 'Ada', tags: ['x', { deep: [true] }] });
    expect(parser.end()).toEqual({ name: 'Ada', tags: ['x', { deep: [true] }] });
  });

  it('shows an unfinished string value as its text so far, an empty one as ""', () => {
    const parser = createPartialJSONParser();
    expect(parser.push('["')).toEqual(['']);
    expect(parser.push('hel')).toEqual(['hel']);
    expect(parser.push('lo')).toEqual(['hello']);
    expect(createPartialJSONParser().push('"top')).toBe('top');
  });

  it('leaves out an unfinished number, key or literal until it is complete', () => {
    const parser = createPartialJSONParser();
    expect(parser.push('{"count": 12')).toEqual({});
    expect(parser.push('3, "na')).toEqual({ count: 123 });
    expect(parser.push('me"')).toEqual({ count: 123 });
    expect(parser.push(': nu')).toEqual({ count: 123 });
    expect(parser.push('ll, "ok": tru')).toEqual({ count: 123, name: null });
    expect(parser.push('e')).toEqual({ count: 123, name: null, ok: true });
    expect(parser.push(', "n": -0.5e')).toEqual({ count: 123, name: null, ok: true });
    expect(parser.push('+2}')).toEqual({ count: 123, name: null, ok: true, n: -50 });
    expect(createPartialJSONParser().push('12')).toBeUndefined();
  });

  it('ends a top-level number at end()', () => {
    const parser = createPartialJSONParser();
    parser.push('-12.5E');
    parser.push('1');
    expect(parser.end()).toBe(-125);
  });

  it('reads every number JSON.parse reads, with its exact value', () => {
    for (const text of [
      '0',
      '-0',
      '1',
      '-1',
      '10',
      '0.5',
      '-0.0',
      '1e3',
      '1E-3',
      '1e+3',
      '2.5e-3',
      '123456789012345678901234567890',
      '1e400',
      '-1e400',
      '5e-324',
      '4.9e-325',
      '0.1',
      '9007199254740993',
    ]) {
      const parser = createPartialJSONParser();
      for (const char of text) parser.push(char);
      expect(Object.is(parser.end(), JSON.parse(text)), text).toBe(true);
    }
  });

  it('returns the same snapshot object when a piece changes nothing visible', () => {
    const parser = createPartialJSONParser();
    const first = parser.push('{"a": "x", ');
    expect(parser.push('  ')).toBe(first);
    expect(parser.push('"key')).toBe(first);
    expect(parser.push('": 12')).toBe(first);
    expect(parser.push('3')).toBe(first);
    expect(parser.push(',')).not.toBe(first);
  });

  it('decodes every escape, and \\u escapes and surrogate pairs split at any point', () => {
    const value = 'q"b\\s/b\bf\fn\nr\rt\t u\u00e9\u20ac pair😀 lone\ud83d! \ude00 \u2028';
    const text = '"q\\"b\\\\s\\/b\\bf\\fn\\nr\\rt\\t u\\u00e9\\u20AC pair\\ud83d\\ude00 lone\\uD83D! \\uDE00 \\u2028"';
    expect(JSON.parse(text)).toBe(value);
    for (let cut = 0; cut <= text.length; cut++) {
      const { snapshots, final } = feed([text.slice(0, cut), text.slice(cut)]);
      expect(final).toBe(value);
      expect(isPartialOf(snapshots[0], value)).toBe(true);
    }
    const { final } = feed(characters(text));
    expect(final).toBe(value);
  });

  it('never ends a snapshot in the first half of a surrogate pair', () => {
    const raw = JSON.stringify({ text: '😀é😀😀a😀' });
    const escaped = '{"text": "\\ud83d\\ude00\\uD83D\\uDE00"}';
    for (const text of [raw, escaped]) {
      for (const piece of [1, 2, 3, 5]) {
        const pieces = text.match(new RegExp(`[^]{1,${piece}}`, 'g'))!;
        for (const snapshot of feed(pieces).snapshots) {
          const shown = (snapshot as { text?: string } | undefined)?.text ?? '';
          expect(/\p{Surrogate}/u.test(shown), JSON.stringify(shown)).toBe(false);
        }
      }
    }
  });

  it('equals JSON.parse for every document and split, and every snapshot is a partial of the final value and of the next', () => {
    fc.assert(
      fc.property(documents, ({ value, seed, cuts }) => {
        const text = write(value, random(seed));
        const expected = JSON.parse(text);
        for (const pieces of [split(text, cuts), characters(text)]) {
          const { snapshots, final } = feed(pieces);
          expectSame(final, expected);
          snapshots.forEach((snapshot, i) => {
            expect(isPartialOf(snapshot, expected), `snapshot ${i}: ${JSON.stringify(snapshot)} of ${text}`).toBe(true);
            if (i > 0) expect(isPartialOf(snapshots[i - 1], snapshot), `snapshot ${i - 1} of ${i}`).toBe(true);
          });
        }
      }),
      { numRuns: 300 },
    );
  });

  it("equals JSON.parse on fast-check's own JSON texts", () => {
    fc.assert(
      fc.property(fc.json(), fc.array(fc.nat(), { maxLength: 20 }), (text, cuts) => {
        expectSame(feed(split(text, cuts)).final, JSON.parse(text));
      }),
    );
  });

  it('never changes a snapshot it has handed out', () => {
    fc.assert(
      fc.property(documents, ({ value, seed, cuts }) => {
        const text = write(value, random(seed));
        for (const pieces of [split(text, cuts), characters(text)]) {
          const { snapshots, clones } = feed(pieces);
          snapshots.forEach((snapshot, i) => expect(isDeepStrictEqual(snapshot, clones[i]), `snapshot ${i}`).toBe(true));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('pushLazy builds, when first read, the value push would have returned then, and the same object on every read', () => {
    fc.assert(
      fc.property(documents, fc.integer(), ({ value, seed, cuts }, order) => {
        const text = write(value, random(seed));
        const pieces = split(text, cuts);
        const eager = feed(pieces).snapshots;
        const parser = createPartialJSONParser();
        const lazy = pieces.map((piece) => parser.pushLazy(piece));
        expectSame(parser.end(), JSON.parse(text));
        // Read in a scrambled order, long after the parser moved on.
        const next = random(order);
        const indexes = pieces.map((_, i) => i).sort(() => next() - 0.5);
        for (const i of indexes) {
          expect(isDeepStrictEqual(lazy[i].value, eager[i]), `snapshot ${i}`).toBe(true);
          expect(lazy[i].value).toBe(lazy[i].value);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('fails at the first character no JSON text can continue with, for random one-character corruptions', () => {
    const replacements = fc.constantFrom(...'{}[]:,"\\/ \n\t\u0000\u001fabefntrlsuxE+-.0159\ud83d😀'.split(''), '😀');
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer(), fc.nat(), replacements, fc.array(fc.nat(), { maxLength: 10 }), (value, seed, where, replacement, cuts) => {
        const valid = write(value, random(seed));
        const at = where % valid.length;
        const text = valid.slice(0, at) + replacement + valid.slice(at + 1);
        const expected = firstError(text);
        // The oracle agrees with JSON.parse on whether the text is JSON at all.
        expect(expected === -1, text).toBe(isJSON(text));
        if (expected >= 0) expect(expected).toBeGreaterThanOrEqual(at);
        expect(parserError(split(text, cuts)), text).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('names the position and an excerpt in its error, an OpenAIError, and keeps failing after one', () => {
    const parser = createPartialJSONParser();
    parser.push('{"answer": ');
    parser.push('tr');
    const error = thrown(() => parser.push('ux}'));
    expect(error).toBeInstanceOf(OpenAIError);
    expect((error as Error).message).toBe('Invalid JSON at position 14: unexpected "x" after "{\\"answer\\": tru"');
    expect(thrown(() => parser.push('e}'))).toBe(error);
    expect(thrown(() => parser.end())).toBe(error);
  });

  it('rejects raw control characters in strings, unknown escapes and bad \\u digits', () => {
    expect(errorPosition(() => createPartialJSONParser().push('["a\nb"]'))).toBe(3);
    expect(errorPosition(() => createPartialJSONParser().push('"\\x"'))).toBe(2);
    expect(errorPosition(() => createPartialJSONParser().push('"\\u12g4"'))).toBe(5);
    expect(() => createPartialJSONParser().push('"\\u12g4"')).toThrow(/non-hexadecimal "g"/);
  });

  it('allows whitespace anywhere between tokens and only whitespace after the value', () => {
    const parser = createPartialJSONParser();
    parser.push(' \t\r\n{ \n"a" \t: \r\n[ 1 , 2 ] \n, "b":{ } } \n ');
    expect(parser.end()).toEqual({ a: [1, 2], b: {} });
    expect(errorPosition(() => createPartialJSONParser().push('{} x'))).toBe(3);
    expect(() => createPartialJSONParser().push('1 2')).toThrow(/after the end of the value/);
    expect(errorPosition(() => createPartialJSONParser().push('"a""'))).toBe(3);
  });

  it('throws from end() when the text is incomplete or empty, at the position where it ended', () => {
    for (const text of ['', '  ', '{', '{"a"', '{"a":', '[1,', '"abc', '"\\u12', 'tru', '-', '1.', '1e+', '[1']) {
      const parser = createPartialJSONParser();
      parser.push(text);
      expect(
        errorPosition(() => parser.end()),
        JSON.stringify(text),
      ).toBe(text.length);
      expect(() => parser.end()).toThrow(/ended before the value was complete/);
    }
  });

  it('makes __proto__, constructor and prototype own data properties, as JSON.parse does, and never touches a prototype', () => {
    const text = '{"__proto__": {"polluted": true, "__proto__": [1]}, "constructor": {"prototype": {"polluted": true}}, "prototype": "p", "toString": 1}';
    const { snapshots, final } = feed(characters(text));
    expectSame(final, JSON.parse(text));
    for (const value of [...snapshots, final]) {
      if (value === undefined) continue;
      expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
      const proto = Object.getOwnPropertyDescriptor(value, '__proto__');
      if (proto) expect(Object.getPrototypeOf(proto.value)).toBe(Object.prototype);
    }
    const result = final as Record<string, Record<string, unknown>>;
    expect(Object.keys(result)).toEqual(['__proto__', 'constructor', 'prototype', 'toString']);
    expect(Object.getOwnPropertyDescriptor(result, '__proto__')?.value).toEqual(JSON.parse(text).__proto__);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain('polluted');
  });

  it('bounds nesting by maxDepth (512 by default) with a clear error at the opening bracket', () => {
    const deep = '['.repeat(512) + ']'.repeat(512);
    expect(feed([deep]).final).toEqual(JSON.parse(deep));
    expect(errorPosition(() => createPartialJSONParser().push('['.repeat(513)))).toBe(512);
    expect(() => createPartialJSONParser().push('['.repeat(513))).toThrow('nesting deeper than maxDepth (512)');
    expect(errorPosition(() => createPartialJSONParser({ maxDepth: 2 }).push('{"a": [{"b": 1}]}'))).toBe(7);
    expect(createPartialJSONParser({ maxDepth: 2 }).push('{"a": [1]')).toEqual({ a: [1] });
  });

  it('reads 100,000 levels of nesting without recursion when maxDepth allows it', () => {
    const levels = 100_000;
    const parser = createPartialJSONParser({ maxDepth: Infinity });
    parser.push('{"a":['.repeat(levels));
    let value = parser.push('"leaf"');
    for (let level = 0; level < levels; level++) value = (value as { a: unknown[] }).a[0];
    expect(value).toBe('leaf');
    parser.push(']}'.repeat(levels));
    expect(parser.end()).toBeTypeOf('object');
  });

  it('rejects a maxDepth that is not a number of at least 1', () => {
    for (const maxDepth of [0, -1, Number.NaN, '3' as unknown as number]) {
      expect(() => createPartialJSONParser({ maxDepth })).toThrow(OpenAIError);
    }
  });

  it('keeps a 1 MB string in 4-character pieces whole', () => {
    const body = 'ab😀\\"'.repeat(1 << 18);
    const text = JSON.stringify({ body });
    const parser = createPartialJSONParser();
    let last: unknown;
    for (let start = 0; start < text.length; start += 4) last = parser.push(text.slice(start, start + 4));
    expect((last as { body: string }).body).toBe(body);
    expect(parser.end()).toEqual({ body });
  });
});

function isJSON(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
