// Character codes the partial JSON parser compares against (RFC 8259's structural characters,
// its four whitespace characters, and what strings, escapes and literals need).

export const TAB = 9;
export const LF = 10;
export const CR = 13;
export const SPACE = 32;
export const QUOTE = 34;
export const COMMA = 44;
export const COLON = 58;
export const OPEN_BRACKET = 91;
export const BACKSLASH = 92;
export const CLOSE_BRACKET = 93;
export const OPEN_BRACE = 123;
export const CLOSE_BRACE = 125;
export const LOWER_F = 102;
export const LOWER_N = 110;
export const LOWER_T = 116;
export const LOWER_U = 117;
/** Characters below this one (U+0000–U+001F) must be escaped inside a string. */
export const FIRST_UNESCAPED = 32;
export const HIGH_SURROGATE_FIRST = 0xd800;
export const HIGH_SURROGATE_LAST = 0xdbff;

/** The letters after `\` that stand for one character, and the characters they stand for. */
export const ESCAPE_LETTERS = '"\\/bfnrt';
export const ESCAPED_CHARACTERS = '"\\/\b\f\n\r\t';

/** The value of a hexadecimal digit, or -1 if `code` is not one. */
export function hexDigit(code: number): number {
  if (code >= 48 && code <= 57) return code - 48; // 0-9
  const lower = code | 0x20; // A-F folded onto a-f
  return lower >= 97 && lower <= 102 ? lower - 87 : -1;
}
