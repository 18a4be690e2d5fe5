import * as C from './characters.js';
import { COLON, ESCAPE, STRING, UNICODE, complete, fail } from './state.js';
import type { State } from './state.js';
import type { Frame } from './frame.js';

// Strings, keys and values alike: their text so far, escapes and `\u` escapes split across pieces.

export function startString(s: State, key: boolean, i: number): number {
  s.mode = STRING;
  s.isKey = key;
  s.chars = '';
  s.held = '';
  // An empty string value is shown at once: the field exists, its text is on the way.
  if (!key) s.changed = true;
  return i + 1;
}

/** Reads the string's text up to its end, an escape or the end of the piece. */
export function readString(s: State, text: string, i: number): number {
  const start = i;
  let code = 0;
  for (; i < text.length; i++) {
    code = text.charCodeAt(i);
    if (code === C.QUOTE || code === C.BACKSLASH) break;
    if (code < C.FIRST_UNESCAPED) throw fail(s, text, i, 'a control character in a string (it must be escaped)');
  }
  if (i > start) append(s, text.slice(start, i));
  if (i === text.length) return i;
  if (code === C.BACKSLASH) s.mode = ESCAPE;
  else finishString(s);
  return i + 1;
}

/** The character after `\`. */
export function readEscape(s: State, text: string, i: number): number {
  if (text.charCodeAt(i) === C.LOWER_U) {
    s.mode = UNICODE;
    s.hexLeft = 4;
    s.hex = 0;
    return i + 1;
  }
  const letter = text.charAt(i);
  const index = C.ESCAPE_LETTERS.indexOf(letter);
  if (index < 0) throw fail(s, text, i, `an unknown escape "\\${letter}"`);
  s.mode = STRING;
  append(s, C.ESCAPED_CHARACTERS.charAt(index));
  return i + 1;
}

/** One of the four digits of a `\u` escape. */
export function readHex(s: State, text: string, i: number): number {
  const digit = C.hexDigit(text.charCodeAt(i));
  if (digit < 0) throw fail(s, text, i, `a \\u escape with the non-hexadecimal ${JSON.stringify(text[i])}`);
  s.hex = s.hex * 16 + digit;
  s.hexLeft--;
  if (s.hexLeft > 0) return i + 1;
  // One UTF-16 code unit: the two halves of a surrogate pair arrive as two escapes.
  s.mode = STRING;
  append(s, String.fromCharCode(s.hex));
  return i + 1;
}

/** Adds decoded text to the string being read. */
function append(s: State, piece: string): void {
  const last = piece.charCodeAt(piece.length - 1);
  const split = !s.isKey && last >= C.HIGH_SURROGATE_FIRST && last <= C.HIGH_SURROGATE_LAST;
  s.chars += s.held + (split ? piece.slice(0, -1) : piece);
  s.held = split ? piece.slice(-1) : '';
  if (!s.isKey) s.changed = true;
}

function finishString(s: State): void {
  const text = s.chars + s.held;
  s.chars = '';
  s.held = '';
  if (s.isKey) {
    (s.top as Frame).key = text;
    s.mode = COLON;
  } else complete(s, text);
}
