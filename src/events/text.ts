import { createPartialJSONParser } from '../partial-json/parser.js';
import type { PartialJSONParser, PartialJSONSnapshot } from '../partial-json/parser.js';

/** A text being streamed (content, refusal, a call's arguments), parsed as it grows when it is JSON for a schema. */
export interface Text {
  value: string;
  /** Whether a piece arrived (an empty content is no content). */
  started: boolean;
  /** Present while the text is parsed: from its first piece that is not JSON on, absent. */
  parser: PartialJSONParser | undefined;
}

export const createText = (parsed: boolean): Text => ({ value: '', started: false, parser: parsed ? createPartialJSONParser() : undefined });

/**
 * Adds a piece; returns the lazy snapshot of the value parsed so far, if the text is parsed.
 * `value` grows by `+=` (a rope in every engine: O(1) a piece, joined when read).
 */
export function grow(text: Text, piece: string): PartialJSONSnapshot | undefined {
  text.value += piece;
  text.started = true;
  return push(text, piece);
}

/** Starts parsing a text from what it holds so far (a call's name may come after its first arguments). */
export function parseFromNow(text: Text): void {
  text.parser = createPartialJSONParser();
  push(text, text.value);
}

function push(text: Text, piece: string): PartialJSONSnapshot | undefined {
  if (!text.parser) return undefined;
  try {
    return text.parser.pushLazy(piece);
  } catch {
    // Not JSON: the partial values stop here, and the done event's validation says what is wrong.
    text.parser = undefined;
    return undefined;
  }
}
