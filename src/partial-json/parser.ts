import { OpenAIError } from '../errors.js';
import { isCompleteNumber } from './number.js';
import { Moment } from './snapshot.js';
import type { PartialJSONSnapshot } from './snapshot.js';
import { END, ESCAPE, LITERAL, NUMBER, STRING, UNICODE, createState, fail, remember } from './state.js';
import type { State } from './state.js';
import { readEscape, readHex, readString } from './strings.js';
import { finishNumber, readLiteral, readNumber, readToken } from './values.js';

export type { PartialJSONSnapshot } from './snapshot.js';

/**
 * An incremental JSON parser for text that arrives in pieces (a structured answer, a tool
 * call's arguments): each `push` reads only its own text and returns the value so far.
 * Snapshots already returned never change afterwards. Completed values inside them are shared
 * from one snapshot to the next and with the final value; they are not frozen (the final value
 * is what `JSON.parse` returns, editable), so treat snapshots as read-only: edit a copy. An open
 * array of 256 members or more is shown as a view of the parser's list (a `Proxy` of an array:
 * it reads, iterates, spreads and serialises as one, and becomes a plain array of its own when
 * written to), because copying it on every piece would make a growing list quadratic;
 * `structuredClone` and `postMessage` refuse proxies, so send `[...list]` or
 * `JSON.parse(JSON.stringify(value))` instead. The final value holds no views.
 */
export interface PartialJSONParser {
  /**
   * Parses the next piece of text and returns the value so far: `undefined` before anything is
   * known; strings as their text so far; numbers, `true`, `false`, `null` and keys only once
   * complete; arrays and objects with what they hold so far. The same object as the last call
   * when the piece changed nothing visible (whitespace, a key, a number's digits). Costs the
   * piece's length plus a shallow copy of each object and short array open at the position
   * (a long one is a view, O(1)).
   * @throws OpenAIError at the character where the text stops being JSON (its position, counted
   *   from the document's first character, and an excerpt are in the message).
   */
  push(text: string): unknown;
  /**
   * Like `push`, but the snapshot is built only when read: its `value` is built on first access
   * as it stood after this piece (however far the parser has moved on since), and is the same
   * object on every later access. For event streams whose consumers may read only some
   * snapshots: a piece then costs its own length, whatever the size of the value.
   */
  pushLazy(text: string): PartialJSONSnapshot;
  /**
   * The document ended: returns the final value, equal to `JSON.parse` of the whole text.
   * @throws OpenAIError if the value is incomplete (or the text was invalid).
   */
  end(): unknown;
}

/** Options of `createPartialJSONParser`. */
export interface PartialJSONOptions {
  /**
   * How many arrays and objects may be open at once (default 512); deeper text is an
   * `OpenAIError`. The parser itself never recurses, but code that walks its values
   * (`structuredClone`, `JSON.stringify`, a renderer) usually does.
   */
  maxDepth?: number;
}

/** Nesting allowed by default: far more than strict structured outputs allow (10 levels). */
export const DEFAULT_MAX_DEPTH = 512;

/**
 * Creates a parser for one JSON document that arrives in pieces (see `PartialJSONParser`).
 *
 * Cost: every character is read once, and a piece's bookkeeping is O(1), so `pushLazy` costs
 * O(piece length), whatever the size of the document. A snapshot, when built (always by `push`,
 * on first read by `pushLazy`), costs one shallow copy of each object and array of fewer than
 * 256 members open at that moment, from the root down to the position, and O(1) for each
 * longer array, which it shows as a view (completed members are shared, never copied). So
 * reading every snapshot stays linear in the text whatever its shape, a list of thousands of
 * items included; only an object with thousands of keys open at once costs its size per
 * snapshot. `push` builds none when the piece changed nothing visible. A string value grows by
 * concatenation, O(1) a piece (engines keep it as a rope until it is read).
 *
 * @example
 * const parser = createPartialJSONParser();
 * parser.push('{"name": "Ad'); // { name: 'Ad' }
 * parser.push('a", "age": 3'); // { name: 'Ada' } (3 might become 36)
 * parser.push('6}');           // { name: 'Ada', age: 36 }
 * parser.end();                // { name: 'Ada', age: 36 }
 */
export function createPartialJSONParser(options: PartialJSONOptions = {}): PartialJSONParser {
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  const validDepth = typeof maxDepth === 'number' && maxDepth >= 1;
  if (!validDepth) throw new OpenAIError(`maxDepth must be a number of at least 1, got ${String(maxDepth)}`);
  const s = createState(maxDepth);
  // The last snapshot: the same one again while the value has not moved.
  let latest = new Moment(undefined, 0, '', undefined);

  /** The value as it stands, captured in O(1); built when its `value` is first read. */
  function capture(): Moment {
    if (!s.changed) return latest;
    s.changed = false;
    const inString = s.mode === STRING || s.mode === ESCAPE || s.mode === UNICODE;
    const partial = s.mode === END ? s.root : inString && !s.isKey ? s.chars : undefined;
    const top = s.top;
    latest = new Moment(top, top ? top.items.length : 0, top ? top.key : '', partial);
    return latest;
  }

  function write(text: string): void {
    if (s.failure) throw s.failure;
    if (typeof text !== 'string') throw new OpenAIError(`push() takes a string, got ${typeof text}`);
    let i = 0;
    while (i < text.length) i = step(s, text, i);
    remember(s, text);
  }

  return {
    push(text) {
      write(text);
      return capture().value;
    },
    pushLazy(text) {
      write(text);
      return capture();
    },
    end() {
      if (s.failure) throw s.failure;
      if (s.mode === NUMBER && !s.top && isCompleteNumber(s.numberState)) finishNumber(s);
      if (s.mode !== END) throw fail(s, '', 0, 'the text ended before the value was complete');
      return s.root;
    },
  };
}

/** Reads from `text[i]` in the current mode; returns where the next read starts. */
function step(s: State, text: string, i: number): number {
  switch (s.mode) {
    case STRING:
      return readString(s, text, i);
    case ESCAPE:
      return readEscape(s, text, i);
    case UNICODE:
      return readHex(s, text, i);
    case NUMBER:
      return readNumber(s, text, i);
    case LITERAL:
      return readLiteral(s, text, i);
  }
  return readToken(s, text, i);
}
