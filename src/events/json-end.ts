const QUOTE = 34; // "
const BACKSLASH = 92; // \
const OPEN_BRACE = 123; // {
const CLOSE_BRACE = 125; // }
const OPEN_BRACKET = 91; // [
const CLOSE_BRACKET = 93; // ]
const SPACE = 32;
const TAB = 9;
const LF = 10;
const CR = 13;

const isWhitespace = (code: number): boolean => code === SPACE || code === LF || code === CR || code === TAB;

/**
 * Whether a growing text is one whole JSON object or array so far: the test for a tool call's
 * arguments being complete when the stream moves on to another call (its pieces may come back
 * when indices interleave). Reads each piece once as it arrives, and never builds a value.
 */
export interface JSONEnd {
  /** Reads the next piece of the text. */
  push(piece: string): void;
  /** Whether the text so far ends a whole object or array. */
  readonly whole: boolean;
}

export function createJSONEnd(): JSONEnd {
  let depth = 0;
  let inString = false;
  let escaped = false;
  let whole = false;

  function readCharacter(code: number): void {
    if (inString) {
      if (escaped) escaped = false;
      else if (code === BACKSLASH) escaped = true;
      else if (code === QUOTE) inString = false;
    } else if (code === QUOTE) {
      inString = true;
      if (depth === 0) whole = false;
    } else if (code === OPEN_BRACE || code === OPEN_BRACKET) {
      depth++;
      whole = false;
    } else if (depth > 0 && (code === CLOSE_BRACE || code === CLOSE_BRACKET)) {
      depth--;
      whole = depth === 0;
    } else if (depth === 0 && !isWhitespace(code)) whole = false;
  }

  return {
    push(piece) {
      for (let i = 0; i < piece.length; i++) readCharacter(piece.charCodeAt(i));
    },
    get whole() {
      return whole && !inString;
    },
  };
}
