import { OpenAIError } from '../errors.js';
import { define, openFrame } from './frame.js';
import type { Frame } from './frame.js';
import { NUMBER_START } from './number.js';

// What the parser reads next (the mode); the first seven read tokens and whitespace.
/** A value: at the start, after `:`, after `,` in an array. */
export const VALUE = 0;
/** After `[`: a value or `]`. */
export const ARRAY_FIRST = 1;
/** After `{`: a key or `}`. */
export const OBJECT_FIRST = 2;
/** After `,` in an object: a key. */
export const KEY = 3;
/** After a key: `:`. */
export const COLON = 4;
/** After a member: `,` or the end of its container. */
export const AFTER_MEMBER = 5;
/** After the top-level value: only whitespace. */
export const END = 6;
/** Inside a string (a value or a key). */
export const STRING = 7;
/** After `\` in a string. */
export const ESCAPE = 8;
/** Inside the four hexadecimal digits of a `\u` escape (`\u00e9`). */
export const UNICODE = 9;
/** Inside a number. */
export const NUMBER = 10;
/** Inside `true`, `false` or `null`. */
export const LITERAL = 11;

/** Characters before an error quoted in its message. */
const EXCERPT_LENGTH = 24;

/** Everything the parser knows between two pieces of text: one object the reading functions share. */
export interface State {
  readonly maxDepth: number;
  /** The innermost open container (the others are its ancestors), and how many are open. */
  top: Frame | undefined;
  depth: number;
  mode: number;
  failure: OpenAIError | undefined;
  /** Characters before the current piece, and the last pieces, for the excerpt in an error. */
  offset: number;
  /** A ring of as many pieces as the excerpt has characters: no string built per push. */
  recent: string[];
  recentNext: number;
  /** The top-level value once complete. */
  root: unknown;
  /** The value moved since the last snapshot. */
  changed: boolean;
  /** Whether the string being read is a key. */
  isKey: boolean;
  /**
   * The string being read. Its text grows by `+=`, which engines implement as ropes (V8,
   * JavaScriptCore and SpiderMonkey keep the pieces and join them once, when the string is
   * read): a 1 MB string in 4-character pieces costs 250k O(1) appends, not 250k copies.
   */
  chars: string;
  /** A high surrogate ending the text so far, held back until its low half arrives, so that no snapshot ends in half a character. */
  held: string;
  hexLeft: number;
  hex: number;
  /** The number or literal being read. */
  numberState: number;
  digits: string;
  literal: string;
  literalIndex: number;
  literalValue: unknown;
}

export function createState(maxDepth: number): State {
  return {
    maxDepth,
    top: undefined,
    depth: 0,
    mode: VALUE,
    failure: undefined,
    offset: 0,
    recent: [],
    recentNext: 0,
    root: undefined,
    changed: false,
    isKey: false,
    chars: '',
    held: '',
    hexLeft: 0,
    hex: 0,
    numberState: NUMBER_START,
    digits: '',
    literal: '',
    literalIndex: 0,
    literalValue: undefined,
  };
}

/** The error at `text[i]`, kept: every later push throws it again. */
export function fail(s: State, text: string, i: number, reason: string): OpenAIError {
  const earlier = s.recent.slice(s.recentNext).join('') + s.recent.slice(0, s.recentNext).join('');
  const before = (earlier + text.slice(Math.max(0, i - EXCERPT_LENGTH), i)).slice(-EXCERPT_LENGTH);
  s.failure = new OpenAIError(`Invalid JSON at position ${s.offset + i}: ${reason} after ${JSON.stringify(before)}`);
  return s.failure;
}

export function unexpected(s: State, text: string, i: number): OpenAIError {
  return fail(s, text, i, `unexpected ${JSON.stringify(text[i])}`);
}

/** A piece was read: it joins the ring the excerpt of a later error is cut from. */
export function remember(s: State, text: string): void {
  s.recent[s.recentNext] = text;
  s.recentNext = (s.recentNext + 1) % EXCERPT_LENGTH;
  s.offset += text.length;
}

/** A value is complete: it becomes the root, or the next member of the open container. */
export function complete(s: State, value: unknown): void {
  s.changed = true;
  s.mode = AFTER_MEMBER;
  const top = s.top;
  if (!top) {
    s.root = value;
    s.mode = END;
    return;
  }
  top.items.push(value);
  if (top.isArray) return;
  top.keys.push(top.key);
  define(top.object, top.key, value);
}

export function open(s: State, text: string, i: number, isArray: boolean): number {
  if (s.depth >= s.maxDepth) throw fail(s, text, i, `nesting deeper than maxDepth (${s.maxDepth})`);
  s.top = openFrame(isArray, s.top);
  s.depth++;
  s.mode = isArray ? ARRAY_FIRST : OBJECT_FIRST;
  s.changed = true;
  return i + 1;
}

export function close(s: State, i: number): number {
  // The container's own members become its value: every snapshot holds a copy instead.
  const frame = s.top as Frame;
  s.top = frame.parent;
  s.depth--;
  complete(s, frame.isArray ? frame.items : frame.object);
  return i + 1;
}
