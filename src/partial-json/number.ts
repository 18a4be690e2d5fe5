/**
 * The JSON number grammar, `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`, as a
 * transition function over character codes, so that a number split across pushes is checked
 * one character at a time without keeping more than its state.
 * @see https://www.rfc-editor.org/rfc/rfc8259#section-6
 */

/** Before the first character. */
export const NUMBER_START = 0;
/** After `-`: a digit must follow. */
const MINUS_SIGN = 1;
/** After a leading `0`: only `.`, `e` or the end may follow (no `01`). */
const LEADING_ZERO = 2;
/** In the integer digits. */
const INTEGER = 3;
/** After `.`: a digit must follow. */
const POINT = 4;
/** In the fraction digits. */
const FRACTION = 5;
/** After `e` or `E`: a sign or a digit must follow. */
const EXPONENT_MARK = 6;
/** After the exponent's sign: a digit must follow. */
const EXPONENT_SIGN = 7;
/** In the exponent digits. */
const EXPONENT = 8;
/** The character does not continue the number. */
export const NUMBER_OUTSIDE = -1;

const PLUS = 43;
const MINUS = 45;
const DOT = 46;
const DIGIT_ZERO = 48;
const DIGIT_NINE = 57;
const UPPER_E = 69;
const LOWER_E = 101;

/** The state after `code`, or NUMBER_OUTSIDE when `code` is not part of the number. */
export function nextNumberState(state: number, code: number): number {
  const digit = code >= DIGIT_ZERO && code <= DIGIT_NINE;
  switch (state) {
    case NUMBER_START:
      if (code === MINUS) return MINUS_SIGN;
      return code === DIGIT_ZERO ? LEADING_ZERO : INTEGER;
    case MINUS_SIGN:
      if (code === DIGIT_ZERO) return LEADING_ZERO;
      return digit ? INTEGER : NUMBER_OUTSIDE;
    case LEADING_ZERO:
    case INTEGER:
      if (digit && state === INTEGER) return INTEGER;
      if (code === DOT) return POINT;
      return code === LOWER_E || code === UPPER_E ? EXPONENT_MARK : NUMBER_OUTSIDE;
    case POINT:
    case FRACTION:
      if (digit) return FRACTION;
      return state === FRACTION && (code === LOWER_E || code === UPPER_E) ? EXPONENT_MARK : NUMBER_OUTSIDE;
    case EXPONENT_MARK:
      if (code === PLUS || code === MINUS) return EXPONENT_SIGN;
      return digit ? EXPONENT : NUMBER_OUTSIDE;
    default:
      return digit ? EXPONENT : NUMBER_OUTSIDE;
  }
}

/** Whether a number may end in `state` (`-`, `1.` and `1e+` may not). */
export function isCompleteNumber(state: number): boolean {
  return state === LEADING_ZERO || state === INTEGER || state === FRACTION || state === EXPONENT;
}

/** Whether `code` opens a number: `-` or a digit. */
export function isNumberStart(code: number): boolean {
  return code === MINUS || (code >= DIGIT_ZERO && code <= DIGIT_NINE);
}
