import * as C from './characters.js';
import { NUMBER_OUTSIDE, NUMBER_START, isCompleteNumber, isNumberStart, nextNumberState } from './number.js';
import { AFTER_MEMBER, ARRAY_FIRST, COLON, END, KEY, LITERAL, NUMBER, OBJECT_FIRST, VALUE, close, complete, fail, open, unexpected } from './state.js';
import type { State } from './state.js';
import type { Frame } from './frame.js';
import { startString } from './strings.js';

// Everything outside strings: structure and whitespace, numbers, `true`, `false` and `null`.

/** One structural character or whitespace, outside strings, numbers and literals. */
export function readToken(s: State, text: string, i: number): number {
  const code = text.charCodeAt(i);
  if (code === C.SPACE || code === C.LF || code === C.CR || code === C.TAB) return i + 1;
  switch (s.mode) {
    case VALUE:
      return startValue(s, text, i, code);
    case ARRAY_FIRST:
      return code === C.CLOSE_BRACKET ? close(s, i) : startValue(s, text, i, code);
    case OBJECT_FIRST:
      if (code === C.CLOSE_BRACE) return close(s, i);
      if (code === C.QUOTE) return startString(s, true, i);
      break;
    case KEY:
      if (code === C.QUOTE) return startString(s, true, i);
      break;
    case COLON:
      if (code !== C.COLON) break;
      s.mode = VALUE;
      return i + 1;
    case AFTER_MEMBER:
      return afterMember(s, text, i, code);
    case END:
      throw fail(s, text, i, `unexpected ${JSON.stringify(text[i])} after the end of the value`);
  }
  throw unexpected(s, text, i);
}

function startValue(s: State, text: string, i: number, code: number): number {
  switch (code) {
    case C.QUOTE:
      return startString(s, false, i);
    case C.OPEN_BRACKET:
      return open(s, text, i, true);
    case C.OPEN_BRACE:
      return open(s, text, i, false);
    case C.LOWER_T:
      return startLiteral(s, 'true', true, i);
    case C.LOWER_F:
      return startLiteral(s, 'false', false, i);
    case C.LOWER_N:
      return startLiteral(s, 'null', null, i);
  }
  if (!isNumberStart(code)) throw unexpected(s, text, i);
  s.mode = NUMBER;
  s.numberState = NUMBER_START;
  s.digits = '';
  return i; // readNumber checks the first character too
}

function afterMember(s: State, text: string, i: number, code: number): number {
  const frame = s.top as Frame; // members only follow one another inside a container
  if (code === C.COMMA) {
    s.mode = frame.isArray ? VALUE : KEY;
    return i + 1;
  }
  if (code === (frame.isArray ? C.CLOSE_BRACKET : C.CLOSE_BRACE)) return close(s, i);
  throw unexpected(s, text, i);
}

function startLiteral(s: State, word: string, value: unknown, i: number): number {
  s.mode = LITERAL;
  s.literal = word;
  s.literalIndex = 1;
  s.literalValue = value;
  return i + 1;
}

export function readLiteral(s: State, text: string, i: number): number {
  while (i < text.length) {
    if (text.charCodeAt(i) !== s.literal.charCodeAt(s.literalIndex)) throw unexpected(s, text, i);
    i++;
    s.literalIndex++;
    if (s.literalIndex === s.literal.length) {
      complete(s, s.literalValue);
      return i;
    }
  }
  return i;
}

export function readNumber(s: State, text: string, i: number): number {
  const start = i;
  let state = s.numberState;
  for (; i < text.length; i++) {
    const next = nextNumberState(state, text.charCodeAt(i));
    if (next === NUMBER_OUTSIDE) break;
    state = next;
  }
  s.numberState = state;
  s.digits += text.slice(start, i);
  if (i === text.length) return i;
  if (!isCompleteNumber(state)) throw unexpected(s, text, i);
  finishNumber(s);
  return i; // the character after the number is read as a token
}

export function finishNumber(s: State): void {
  const value = Number(s.digits);
  s.digits = '';
  complete(s, value);
}
