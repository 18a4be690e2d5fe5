import { OpenAIError } from '../errors.js';
import * as C from './characters.js';
import { NUMBER_OUTSIDE, NUMBER_START, isCompleteNumber, isNumberStart, nextNumberState } from './number.js';

/**
 * An incremental JSON parser for text that arrives in pieces (a structured answer, a tool
 * call's arguments): each `push` reads only its own text and returns the value so far.
 * Snapshots already returned never change afterwards. Completed values inside them are shared
 * from one snapshot to the next and with the final value; they are not frozen (the final value
 * is what `JSON.parse` returns, editable), so treat snapshots as read-only: edit a copy.
 */
export interface PartialJSONParser {
  /**
   * Parses the next piece of text and returns the value so far: `undefined` before anything is
   * known; strings as their text so far; numbers, `true`, `false`, `null` and keys only once
   * complete; arrays and objects with what they hold so far. The same object as the last call
   * when the piece changed nothing visible (whitespace, a key, a number's digits). Costs the
   * piece's length plus a shallow copy of each array and object open at the position.
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

/** The value after one piece of text, built when `value` is first read (see `pushLazy`). */
export interface PartialJSONSnapshot {
  /** The value so far, as `push` would have returned it; the same object on every read. */
  readonly value: unknown;
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
/** Characters before an error quoted in its message. */
const EXCERPT_LENGTH = 24;

// What the parser reads next (the mode); the first seven read tokens and whitespace.
/** A value: at the start, after `:`, after `,` in an array. */
const VALUE = 0;
/** After `[`: a value or `]`. */
const ARRAY_FIRST = 1;
/** After `{`: a key or `}`. */
const OBJECT_FIRST = 2;
/** After `,` in an object: a key. */
const KEY = 3;
/** After a key: `:`. */
const COLON = 4;
/** After a member: `,` or the end of its container. */
const AFTER_MEMBER = 5;
/** After the top-level value: only whitespace. */
const END = 6;
/** Inside a string (a value or a key). */
const STRING = 7;
/** After `\` in a string. */
const ESCAPE = 8;
/** Inside the four hexadecimal digits of a `\u` escape (`\u00e9`). */
const UNICODE = 9;
/** Inside a number. */
const NUMBER = 10;
/** Inside `true`, `false` or `null`. */
const LITERAL = 11;

/**
 * An open array or object. Its members only grow while it is open, and where it sits in its
 * parent is fixed, so a snapshot of any moment is (frame, member count, pending key, partial
 * child): captured in O(1) per push, built from these append-only lists when asked for.
 */
interface Frame {
  isArray: boolean;
  /** An array's members (the array itself, handed out once closed), or an object's values in order. */
  items: unknown[];
  /** An object's keys in order, beside `items`; repeated keys appear twice, as in the text. */
  keys: string[];
  /** The object being built (members defined as JSON.parse would), handed out once closed. */
  object: Record<string, unknown>;
  /** In an object, the key whose value is being read. */
  key: string;
  parent: Frame | undefined;
  /** The parent's member count and pending key when this container opened: its place there. */
  parentLength: number;
  parentKey: string;
}

/**
 * Creates a parser for one JSON document that arrives in pieces (see `PartialJSONParser`).
 *
 * Cost: every character is read once, and a piece's bookkeeping is O(1), so `pushLazy` costs
 * O(piece length), whatever the size of the document. A snapshot, when built (always by `push`,
 * on first read by `pushLazy`), costs one shallow copy of each array and object open at that
 * moment, from the root down to the position (completed members are shared, never copied):
 * O(depth + their member counts). `push` builds none when the piece changed nothing visible.
 * So a large open array costs its length per snapshot: 4,000 items in 4-character pieces
 * make `push` quadratic in the array's length, where `pushLazy` stays linear. A string value
 * grows by concatenation, O(1) a piece (engines keep it as a rope until it is read).
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

  // The innermost open container (the others are its ancestors), and how many are open.
  let top: Frame | undefined;
  let depth = 0;
  let mode = VALUE;
  let failure: OpenAIError | undefined;
  // Characters before the current piece, and the last pieces, for the excerpt in an error
  // (a ring of as many pieces as the excerpt has characters: no string built per push).
  let offset = 0;
  const recent: string[] = [];
  let recentNext = 0;
  // The top-level value once complete; the last snapshot, and whether the value moved since.
  let root: unknown;
  let latest = new Moment(undefined, 0, '', undefined);
  let changed = false;
  // The string being read. Its text grows by `+=`, which engines implement as ropes (V8,
  // JavaScriptCore and SpiderMonkey keep the pieces and join them once, when the string is
  // read): a 1 MB string in 4-character pieces costs 250k O(1) appends, not 250k copies.
  let isKey = false;
  let chars = '';
  // A high surrogate ending the text so far is held back until its low half arrives, so that
  // no snapshot ends in half a character.
  let held = '';
  let hexLeft = 0;
  let hex = 0;
  // The number or literal being read.
  let numberState = NUMBER_START;
  let digits = '';
  let literal = '';
  let literalIndex = 0;
  let literalValue: unknown;

  function fail(text: string, i: number, reason: string): OpenAIError {
    const earlier = recent.slice(recentNext).join('') + recent.slice(0, recentNext).join('');
    const before = (earlier + text.slice(Math.max(0, i - EXCERPT_LENGTH), i)).slice(-EXCERPT_LENGTH);
    failure = new OpenAIError(`Invalid JSON at position ${offset + i}: ${reason} after ${JSON.stringify(before)}`);
    return failure;
  }

  function unexpected(text: string, i: number): OpenAIError {
    return fail(text, i, `unexpected ${JSON.stringify(text[i])}`);
  }

  /** A value is complete: it becomes the root, or the next member of the open container. */
  function complete(value: unknown): void {
    changed = true;
    mode = AFTER_MEMBER;
    if (!top) {
      root = value;
      mode = END;
      return;
    }
    top.items.push(value);
    if (top.isArray) return;
    top.keys.push(top.key);
    define(top.object, top.key, value);
  }

  function open(text: string, i: number, isArray: boolean): number {
    if (depth >= maxDepth) throw fail(text, i, `nesting deeper than maxDepth (${maxDepth})`);
    const parentLength = top ? top.items.length : 0;
    top = { isArray, items: [], keys: [], object: {}, key: '', parent: top, parentLength, parentKey: top ? top.key : '' };
    depth++;
    mode = isArray ? ARRAY_FIRST : OBJECT_FIRST;
    changed = true;
    return i + 1;
  }

  function close(i: number): number {
    // The container's own members become its value: every snapshot holds a copy instead.
    const frame = top as Frame;
    top = frame.parent;
    depth--;
    complete(frame.isArray ? frame.items : frame.object);
    return i + 1;
  }

  function startString(key: boolean, i: number): number {
    mode = STRING;
    isKey = key;
    chars = '';
    held = '';
    // An empty string value is shown at once: the field exists, its text is on the way.
    if (!key) changed = true;
    return i + 1;
  }

  function startLiteral(word: string, value: unknown, i: number): number {
    mode = LITERAL;
    literal = word;
    literalIndex = 1;
    literalValue = value;
    return i + 1;
  }

  function startValue(text: string, i: number, code: number): number {
    switch (code) {
      case C.QUOTE:
        return startString(false, i);
      case C.OPEN_BRACKET:
        return open(text, i, true);
      case C.OPEN_BRACE:
        return open(text, i, false);
      case C.LOWER_T:
        return startLiteral('true', true, i);
      case C.LOWER_F:
        return startLiteral('false', false, i);
      case C.LOWER_N:
        return startLiteral('null', null, i);
    }
    if (!isNumberStart(code)) throw unexpected(text, i);
    mode = NUMBER;
    numberState = NUMBER_START;
    digits = '';
    return i; // readNumber checks the first character too
  }

  function afterMember(text: string, i: number, code: number): number {
    const frame = top as Frame; // members only follow one another inside a container
    if (code === C.COMMA) {
      mode = frame.isArray ? VALUE : KEY;
      return i + 1;
    }
    if (code === (frame.isArray ? C.CLOSE_BRACKET : C.CLOSE_BRACE)) return close(i);
    throw unexpected(text, i);
  }

  /** One structural character or whitespace, outside strings, numbers and literals. */
  function readToken(text: string, i: number): number {
    const code = text.charCodeAt(i);
    if (code === C.SPACE || code === C.LF || code === C.CR || code === C.TAB) return i + 1;
    switch (mode) {
      case VALUE:
        return startValue(text, i, code);
      case ARRAY_FIRST:
        return code === C.CLOSE_BRACKET ? close(i) : startValue(text, i, code);
      case OBJECT_FIRST:
        if (code === C.CLOSE_BRACE) return close(i);
        if (code === C.QUOTE) return startString(true, i);
        break;
      case KEY:
        if (code === C.QUOTE) return startString(true, i);
        break;
      case COLON:
        if (code !== C.COLON) break;
        mode = VALUE;
        return i + 1;
      case AFTER_MEMBER:
        return afterMember(text, i, code);
      case END:
        throw fail(text, i, `unexpected ${JSON.stringify(text[i])} after the end of the value`);
    }
    throw unexpected(text, i);
  }

  /** Adds decoded text to the string being read. */
  function append(piece: string): void {
    const last = piece.charCodeAt(piece.length - 1);
    const split = !isKey && last >= C.HIGH_SURROGATE_FIRST && last <= C.HIGH_SURROGATE_LAST;
    chars += held + (split ? piece.slice(0, -1) : piece);
    held = split ? piece.slice(-1) : '';
    if (!isKey) changed = true;
  }

  function finishString(): void {
    const text = chars + held;
    chars = '';
    held = '';
    if (isKey) {
      (top as Frame).key = text;
      mode = COLON;
    } else complete(text);
  }

  function readString(text: string, i: number): number {
    const start = i;
    let code = 0;
    for (; i < text.length; i++) {
      code = text.charCodeAt(i);
      if (code === C.QUOTE || code === C.BACKSLASH) break;
      if (code < C.FIRST_UNESCAPED) throw fail(text, i, 'a control character in a string (it must be escaped)');
    }
    if (i > start) append(text.slice(start, i));
    if (i === text.length) return i;
    if (code === C.BACKSLASH) mode = ESCAPE;
    else finishString();
    return i + 1;
  }

  function readEscape(text: string, i: number): number {
    if (text.charCodeAt(i) === C.LOWER_U) {
      mode = UNICODE;
      hexLeft = 4;
      hex = 0;
      return i + 1;
    }
    const letter = text.charAt(i);
    const index = C.ESCAPE_LETTERS.indexOf(letter);
    if (index < 0) throw fail(text, i, `an unknown escape "\\${letter}"`);
    mode = STRING;
    append(C.ESCAPED_CHARACTERS.charAt(index));
    return i + 1;
  }

  function readHex(text: string, i: number): number {
    const digit = C.hexDigit(text.charCodeAt(i));
    if (digit < 0) throw fail(text, i, `a \\u escape with the non-hexadecimal ${JSON.stringify(text[i])}`);
    hex = hex * 16 + digit;
    hexLeft--;
    if (hexLeft > 0) return i + 1;
    // One UTF-16 code unit: the two halves of a surrogate pair arrive as two escapes.
    mode = STRING;
    append(String.fromCharCode(hex));
    return i + 1;
  }

  function finishNumber(): void {
    const value = Number(digits);
    digits = '';
    complete(value);
  }

  function readNumber(text: string, i: number): number {
    const start = i;
    let state = numberState;
    for (; i < text.length; i++) {
      const next = nextNumberState(state, text.charCodeAt(i));
      if (next === NUMBER_OUTSIDE) break;
      state = next;
    }
    numberState = state;
    digits += text.slice(start, i);
    if (i === text.length) return i;
    if (!isCompleteNumber(state)) throw unexpected(text, i);
    finishNumber();
    return i; // the character after the number is read as a token
  }

  function readLiteral(text: string, i: number): number {
    while (i < text.length) {
      if (text.charCodeAt(i) !== literal.charCodeAt(literalIndex)) throw unexpected(text, i);
      i++;
      literalIndex++;
      if (literalIndex === literal.length) {
        complete(literalValue);
        return i;
      }
    }
    return i;
  }

  function step(text: string, i: number): number {
    switch (mode) {
      case STRING:
        return readString(text, i);
      case ESCAPE:
        return readEscape(text, i);
      case UNICODE:
        return readHex(text, i);
      case NUMBER:
        return readNumber(text, i);
      case LITERAL:
        return readLiteral(text, i);
    }
    return readToken(text, i);
  }

  /** The value as it stands, captured in O(1); built when its `value` is first read. */
  function capture(): Moment {
    if (!changed) return latest;
    changed = false;
    const inString = mode === STRING || mode === ESCAPE || mode === UNICODE;
    const partial = mode === END ? root : inString && !isKey ? chars : undefined;
    latest = new Moment(top, top ? top.items.length : 0, top ? top.key : '', partial);
    return latest;
  }

  function write(text: string): void {
    if (failure) throw failure;
    if (typeof text !== 'string') throw new OpenAIError(`push() takes a string, got ${typeof text}`);
    let i = 0;
    while (i < text.length) i = step(text, i);
    recent[recentNext] = text;
    recentNext = (recentNext + 1) % EXCERPT_LENGTH;
    offset += text.length;
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
      if (failure) throw failure;
      if (mode === NUMBER && !top && isCompleteNumber(numberState)) finishNumber();
      if (mode !== END) throw fail('', 0, 'the text ended before the value was complete');
      return root;
    },
  };
}

/** One captured moment (see `build`); a class, so that capturing one allocates no closure. */
class Moment implements PartialJSONSnapshot {
  #frame: Frame | undefined;
  #length: number;
  #key: string;
  #partial: unknown;
  #built = false;
  #value: unknown;

  constructor(frame: Frame | undefined, length: number, key: string, partial: unknown) {
    this.#frame = frame;
    this.#length = length;
    this.#key = key;
    this.#partial = partial;
  }

  get value(): unknown {
    if (this.#built) return this.#value;
    this.#value = build(this.#frame, this.#length, this.#key, this.#partial);
    this.#built = true;
    // What it was built from may now be collected.
    this.#frame = undefined;
    this.#partial = undefined;
    return this.#value;
  }
}

/**
 * The value at a captured moment: `frame` held `length` members and read `key` (for an
 * object), `partial` was the value being read in it. Each open container from there to the
 * root is copied shallowly (completed members are shared), the copy of each holding the one
 * above it. No recursion: the loop climbs the parent links.
 */
function build(frame: Frame | undefined, length: number, key: string, partial: unknown): unknown {
  let value = partial;
  for (let at = frame; at; at = at.parent) {
    value = copy(at, length, key, value);
    length = at.parentLength;
    key = at.parentKey;
  }
  return value;
}

/** A container's first `length` members, and `child` (if shown) at `key` or at the end. */
function copy(frame: Frame, length: number, key: string, child: unknown): unknown {
  if (frame.isArray) {
    const items = frame.items.slice(0, length);
    if (child !== undefined) items.push(child);
    return items;
  }
  const members = length === frame.items.length ? { ...frame.object } : rebuild(frame, length);
  if (child !== undefined) define(members, key, child);
  return members;
}

/**
 * An object as it was with its first `length` members, for a snapshot built after more arrived.
 * (Spreading the object, the usual path, defines own data properties as JSON.parse does: an
 * own `__proto__` stays one.)
 */
function rebuild(frame: Frame, length: number): Record<string, unknown> {
  const members: Record<string, unknown> = {};
  for (let i = 0; i < length; i++) define(members, frame.keys[i]!, frame.items[i]);
  return members;
}

/** Sets a member the way JSON.parse does: `__proto__` becomes an own property, never the prototype. */
function define(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  else target[key] = value;
}
