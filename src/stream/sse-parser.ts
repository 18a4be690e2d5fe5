/**
 * The text → events half of the SSE stage: a push-based parser, `feed(text)` then `end()`,
 * that follows WHATWG "parsing an event stream" and knows nothing of streams or JSON. The
 * byte order mark is the decoder's to drop (`TextDecoder` drops one, as the spec says).
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html#parsing-an-event-stream
 */

export interface SSEParser {
  /** Parses the next piece of decoded text; any slicing of the stream gives the same events. */
  feed(text: string): void;
  /**
   * The stream ended. Unlike the spec, which discards them, the unfinished last line and the
   * event it belongs to are dispatched: a server that closes without the final blank line
   * still sent a whole event (the official SDK drops it). A truncated one fails in `JSON.parse`.
   */
  end(): void;
}

/** Line feed, carriage return and space: the characters the grammar turns on. */
const LF = 10;
const SPACE = 32;
/** 64 Mi characters: far past any real event, short of what a server that never ends a line could take. */
const DEFAULT_MAX_LENGTH = 64 * 1024 * 1024;

export interface SSEParserOptions {
  /** Each dispatched event: its `data` lines joined by `\n`, and its `event` field ('' if none). */
  onEvent(data: string, type: string): void;
  /**
   * One unfinished line, with its event's data so far, outgrew `maxLength` characters (which are
   * discarded): a server that never ends a line must not take all memory.
   */
  onOverflow(maxLength: number): void;
  /** Default 64 Mi characters. */
  maxLength?: number;
}

/**
 * A parser configured by name: `createSSEParser({ onEvent(data, type) { … }, onOverflow(max) { … } })`.
 * Either callback may throw, and the exception leaves `feed` / `end`. The callbacks are called
 * as methods of `options`: an object that has them (the chunk stream's state) configures the
 * parser without a closure.
 */
export function createSSEParser(options: SSEParserOptions): SSEParser {
  return new Parser(options);
}

/** One parser's state as one object: a stream's parser lives as long as the stream, and closures would each cost their context. */
class Parser implements SSEParser {
  readonly #options: SSEParserOptions;
  readonly #max: number;
  // The unfinished line, kept as the pieces it arrived in and joined once its terminator
  // arrives: `pending += text` with a rescan per piece is quadratic when one event spans
  // thousands of pieces (bench (b): one 4 MB event in 256-byte pieces). None while no line is
  // unfinished, as nearly always between reads: an open stream keeps no empty list.
  #fragments: string[] | undefined;
  #pending = 0;
  // The last piece ended in CR, already taken as a line end: an LF opening the next piece is
  // the second half of that CRLF, not an empty line (which would dispatch the event early).
  #skipLF = false;
  // The event's data lines so far; undefined before the first.
  #data: string | undefined;
  #type = '';

  constructor(options: SSEParserOptions) {
    this.#options = options;
    this.#max = options.maxLength ?? DEFAULT_MAX_LENGTH;
  }

  feed(text: string): void {
    // TextDecoder's `stream` mode may yield '' for a piece that only starts a character.
    if (!text) return;
    if (this.#skipLF && text.charCodeAt(0) === LF) text = text.slice(1);
    this.#skipLF = false;
    // Lines end in LF, CR or CRLF. Real servers send LF, so one search for a CR is all that a
    // piece usually costs; the rare piece with one is rewritten to LF endings first.
    if (text.includes('\r')) {
      this.#skipLF = text.endsWith('\r');
      text = text.replace(/\r\n?/g, '\n');
    }
    let start = 0;
    for (let lf = text.indexOf('\n'); lf >= 0; lf = text.indexOf('\n', start)) {
      start = lf + (this.#line(text, start, lf) ? 2 : 1);
    }
    if (start < text.length) {
      const rest = text.slice(start);
      if (!this.#fragments) this.#fragments = [];
      this.#fragments.push(rest);
      this.#pending += rest.length;
      if (this.#pending + (this.#data?.length ?? 0) > this.#max) this.#overflow();
    }
  }

  end(): void {
    if (this.#fragments) this.#line('', 0, 0);
    this.#line('', 0, 0);
  }

  #overflow(): void {
    this.#fragments = undefined;
    this.#pending = 0;
    this.#data = undefined;
    this.#options.onOverflow(this.#max);
  }

  /** A blank line: the event so far is dispatched. */
  #dispatch(): void {
    // "If the data buffer is an empty string, ... return": an event without data lines is
    // not dispatched; one with an empty `data:` line is, with data '' (as EventSource does).
    const event = this.#data;
    const type = this.#type;
    this.#data = undefined;
    this.#type = '';
    if (event !== undefined) this.#options.onEvent(event, type);
  }

  /**
   * One line, `text[start, end)`. Returns true when it also took the blank line after it: an
   * event of one `data:` line, nearly every event of a chat stream, is dispatched in one step.
   */
  #line(text: string, start: number, end: number): boolean {
    if (this.#fragments) {
      this.#fragments.push(text.slice(start, end));
      text = this.#fragments.join('');
      this.#fragments = undefined;
      this.#pending = 0;
      start = 0;
      end = text.length;
    }
    if (start === end) {
      this.#dispatch();
      return false;
    }
    // `data:`, nearly every line of a chat stream, is recognised in place. Any other line is
    // sliced first, so that the search for its colon cannot run on past it.
    const isData = text.startsWith('data:', start);
    if (!isData) {
      text = text.slice(start, end);
      start = 0;
      end = text.length;
    }
    // The name ends at the first colon; a line without one is all name, with an empty value.
    let colon = isData ? start + 4 : text.indexOf(':');
    if (colon < 0) colon = end;
    // A comment: keep-alives (`: ping`, OpenRouter's `: OPENROUTER PROCESSING`).
    if (!colon) return false;
    // One space after the colon is not part of the value. Past `end` (no colon), the slice is ''.
    const value = text.slice(text.charCodeAt(colon + 1) === SPACE ? colon + 2 : colon + 1, end);
    // `id` and `retry` are for reconnecting EventSources, which a fetch stream is not, and
    // unknown fields are ignored, as the spec says.
    if (isData || (colon === 4 && text.startsWith('data'))) {
      this.#data = this.#data === undefined ? value : this.#data + '\n' + value;
      if (this.#data.length > this.#max) this.#overflow();
      // The blank line that ends the event comes next: taken here, without a pass of its own (a
      // line joined from fragments has nothing after it, and waits for its blank line).
      else if (text.charCodeAt(end + 1) === LF) {
        this.#dispatch();
        return true;
      }
    } else if (colon === 5 && text.startsWith('event')) this.#type = value;
    return false;
  }
}
