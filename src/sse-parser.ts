/**
 * The text → events half of the SSE stage: a push-based parser, `feed(text)` then `end()`,
 * that follows WHATWG "parsing an event stream" and knows nothing of streams or JSON.
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html#parsing-an-event-stream
 */

// Char codes of the hot path. Comparing codes, not one-char strings, is what keeps a scan
// from allocating; eventsource-parser measured ~20% on its `data:` check.
const LF = 10;
const CR = 13;
const SPACE = 32;
const COLON = 58;
const BOM = 0xfeff;

/**
 * One unfinished line may hold this many characters (with its event's data so far) before
 * the stream is refused: a server that never ends a line must not take all memory.
 */
export const MAX_BUFFER_SIZE = 64 * 1024 * 1024;

/** What the parser reports; both may throw, and the exception leaves `feed` / `end`. */
export interface SSEParserCallbacks {
  /** A dispatched event: its `data` lines joined by `\n`, and its `event` field ('' if none). */
  onEvent(data: string, type: string): void;
  /** The buffered line and data outgrew `maxBufferSize` (characters); they were discarded. */
  onOverflow(maxBufferSize: number): void;
}

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

export function createSSEParser({ onEvent, onOverflow }: SSEParserCallbacks, maxBufferSize = MAX_BUFFER_SIZE): SSEParser {
  // The unfinished line, kept as the pieces it arrived in and joined once its terminator
  // arrives: `pending += text` with a rescan per piece is quadratic when one event spans
  // thousands of pieces (the official SDK: ~37 s for one 4 MB event in 256-byte pieces).
  let fragments: string[] = [];
  let pendingLength = 0;
  // The last piece ended in CR, already taken as a line end: an LF opening the next piece is
  // the second half of that CRLF, not an empty line (which would dispatch the event early).
  let skipLF = false;
  let first = true;
  let data = '';
  let hasData = false;
  let type = '';

  function feed(text: string): void {
    const length = text.length;
    // TextDecoder's `stream` mode may yield '' for a piece that only starts a character.
    if (length === 0) return;
    let start = 0;
    // "One leading U+FEFF BYTE ORDER MARK character must be ignored if any are present."
    if (first) {
      first = false;
      if (text.charCodeAt(0) === BOM) start = 1;
    }
    if (skipLF) {
      skipLF = false;
      if (text.charCodeAt(start) === LF) start++;
    }
    // Lines end in LF, CR or CRLF. The next CR and the next LF are each searched for again only
    // once the scan has passed them, not on every line (which would rescan up to a far CR).
    // So the LF-only piece real servers send takes the fast path: one search finds no CR, and
    // the loop is a plain LF scan.
    let cr = text.indexOf('\r', start);
    let lf = text.indexOf('\n', start);
    while (lf !== -1 || cr !== -1) {
      const end = cr === -1 || (lf !== -1 && lf < cr) ? lf : cr;
      line(text, start, end);
      start = end + 1;
      if (end === cr) {
        if (start === length) skipLF = true;
        else if (text.charCodeAt(start) === LF) start++;
        cr = text.indexOf('\r', start);
      }
      if (lf !== -1 && lf < start) lf = text.indexOf('\n', start);
    }
    if (start < length) {
      const rest = start === 0 ? text : text.slice(start);
      fragments.push(rest);
      pendingLength += rest.length;
      if (pendingLength + data.length > maxBufferSize) overflow();
    }
  }

  /** One line, `text[start, end)`; the char at `end` (if any) is its CR or LF. */
  function line(text: string, start: number, end: number): void {
    if (fragments.length > 0) {
      fragments.push(text.slice(start, end));
      text = fragments.join('');
      fragments = [];
      pendingLength = 0;
      start = 0;
      end = text.length;
    }
    if (start === end) return dispatch();
    const c = text.charCodeAt(start);
    // `data:`, nearly every line of a chat stream, is matched by codes in place. Reading past
    // `end` is safe: the code there is CR, LF or NaN, which matches none of `ata: `.
    if (c === 100 && text.charCodeAt(start + 1) === 97 && text.charCodeAt(start + 2) === 116 && text.charCodeAt(start + 3) === 97 && text.charCodeAt(start + 4) === COLON) {
      return append(text.slice(text.charCodeAt(start + 5) === SPACE ? start + 6 : start + 5, end));
    }
    // A comment: keep-alives (`: ping`, OpenRouter's `: OPENROUTER PROCESSING`).
    if (c === COLON) return;
    field(text.slice(start, end));
  }

  /** Any other field; sliced first so that looking for its colon cannot run past the line. */
  function field(text: string): void {
    const colon = text.indexOf(':');
    // "If the line contains no colon: the whole line is the field name, the value is empty."
    const name = colon === -1 ? text : text.slice(0, colon);
    const value = colon === -1 ? '' : text.slice(text.charCodeAt(colon + 1) === SPACE ? colon + 2 : colon + 1);
    // Names are compared literally. `id` and `retry` are for reconnecting EventSources, which
    // a fetch stream is not, and unknown fields are ignored, as the spec says.
    if (name === 'data') append(value);
    else if (name === 'event') type = value;
  }

  function append(value: string): void {
    data = hasData ? data + '\n' + value : value;
    hasData = true;
    if (data.length > maxBufferSize) overflow();
  }

  function dispatch(): void {
    // "If the data buffer is an empty string, ... return": an event without data lines is not
    // dispatched; one with an empty `data:` line is, with data '' (as EventSource does).
    const event = data;
    const eventType = type;
    const dispatching = hasData;
    data = '';
    hasData = false;
    type = '';
    if (dispatching) onEvent(event, eventType);
  }

  function overflow(): void {
    fragments = [];
    pendingLength = 0;
    data = '';
    hasData = false;
    onOverflow(maxBufferSize);
  }

  function end(): void {
    skipLF = false;
    if (fragments.length > 0) line('', 0, 0);
    dispatch();
  }

  return { feed, end };
}
