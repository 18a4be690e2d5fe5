import { errorObject, makeAPIError } from '../errors.js';
import { maskText, mayHold } from '../redact.js';
import type { CompletionUsage } from '../types/index.js';
import { isPlainObject, noop, tryParse } from '../own.js';
import { join } from './body.js';
import type { Upstream } from './upstream.js';

const LF = 10;
const CR = 13;
/** An upstream event larger than this fails the stream: the relay holds an event until it ends. */
const MAX_EVENT_BYTES = 16 * 1024 * 1024;
/** Where a chunk may carry usage (`"usage":{`); chunks without it are never parsed. */
const USAGE = /"usage"\s*:\s*\{/;
/** An error event of the upstream's: an `error` object, or `event: error`. */
const ERROR = /"error"\s*:|event: ?error/;
/**
 * How much of a read's end is searched for an error event when it carries no usage: the
 * upstream's error is the last event it sends (before `[DONE]`, if any), and one search of a
 * whole read for it would cost as much as the rest of the relay's work on it.
 */
const ERROR_WINDOW = 2048;
/** One event and the blank line that ends it (CRLF, LF or CR, as the SSE spec allows), or a last one without it. */
const EVENT = /[^]*?(?:\r\n|\r(?!\n)|\n)(?:\r\n|\r(?!\n)|\n)|[^]+$/g;
/** Events that end at a blank line hold no split character: each is decoded on its own, the BOM kept. */
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });
const encoder = new TextEncoder();
/** Events up to this size are probed as ASCII before they are decoded (see `asciiProbe`); its buffer grows to it at most. */
const PROBE_BYTES = 64 * 1024;
/** Clears the high bit of the four bytes of a word. */
const LOW_BITS = 0x7f7f7f7f;
/** The probe's buffer, reused across streams (a buffer per read costs more, bench r): a whole number of words, read as 32-bit words too. */
let scratch = new Uint8Array(0);
let words = new Uint32Array(0);
/** Printable ASCII, as every real key is. */
const ASCII = /^[ -~]*$/;

/** What the relay wants to know of a relayed stream. */
export interface PassThroughOptions {
  /** The page asked for the usage-only chunk (`stream_options.include_usage`); otherwise it is left out. */
  keepUsage: boolean;
  /** Called once, when the stream ends, fails or the page leaves: the usage the upstream reported, or `null`. */
  onEnd(usage: CompletionUsage | null): Promise<void>;
  /**
   * The server's to hear of: the upstream stream failed after its headers (the page is told in
   * an error event), or the upstream sent an error event of its own (passed to the page as sent).
   */
  onFailure(error: unknown): void;
}

/**
 * The upstream's stream for the page: its bytes as they came, whole events at a time (the
 * page's parser can do nothing with half an event, so holding one back costs it nothing). Only
 * events that may carry usage or an error are parsed; only the usage-only chunk the page did not
 * ask for, and the key if the upstream echoes it, are ever taken out. Pull-based, so the page's
 * pace is the upstream's; cancelling it cancels the upstream call.
 */
export function passThrough(body: ReadableStream<Uint8Array>, upstream: Upstream, options: PassThroughOptions): ReadableStream<Uint8Array> {
  return new ReadableStream(new PassThrough(body, upstream, options), { highWaterMark: 0 });
}

class PassThrough implements UnderlyingDefaultSource<Uint8Array> {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #upstream: Upstream;
  readonly #options: PassThroughOptions;
  #controller!: ReadableStreamDefaultController<Uint8Array>;
  /** The bytes of an event not finished yet. */
  #held: Uint8Array[] = [];
  #heldBytes = 0;
  /** The two bytes before the current read, for a blank line split across reads. */
  #before1 = -1;
  #before2 = -1;
  #usage: CompletionUsage | null = null;
  /** The upstream is no longer read: ended, failed, or the page left. */
  #ended = false;
  #cancelled = false;
  #reported = false;
  /** Whether reads may be probed as ASCII first (see `asciiProbe`): the key's pieces are all ASCII. */
  readonly #probed: boolean;

  constructor(body: ReadableStream<Uint8Array>, upstream: Upstream, options: PassThroughOptions) {
    this.#reader = body.getReader();
    this.#upstream = upstream;
    this.#options = options;
    // A key with a character that is not ASCII is searched in the decoded text alone.
    this.#probed = upstream.secrets?.anchors.every((anchor) => ASCII.test(anchor)) !== false;
  }

  start(controller: ReadableStreamDefaultController<Uint8Array>): void {
    this.#controller = controller;
    // The idle time-out or the page leaving stops a read that waits, whatever `fetch` was given.
    this.#upstream.onAbort = () => this.#fail(undefined);
  }

  async pull(): Promise<void> {
    for (;;) {
      let result: ReadableStreamReadResult<Uint8Array>;
      this.#upstream.wait();
      try {
        result = await this.#reader.read();
      } catch (error) {
        return this.#fail(error);
      }
      this.#upstream.received();
      if (this.#ended) return;
      if (result.done) return this.#finish();
      let events: Uint8Array | undefined;
      try {
        events = this.#take(result.value);
      } catch (error) {
        return this.#fail(error);
      }
      if (events) return this.#controller.enqueue(events);
    }
  }

  async cancel(): Promise<void> {
    this.#cancelled = true;
    if (this.#ended) return;
    this.#stop();
    // Cancelling the body alone leaves some runtimes' connection open: the request is aborted too.
    this.#upstream.abort();
    await this.#report();
  }

  /** The events that `bytes` finishes, examined; the rest is held until its event ends. */
  #take(bytes: Uint8Array): Uint8Array | undefined {
    const length = bytes.length;
    if (!length) return undefined;
    const end = eventsEnd(bytes, this.#before1, this.#before2);
    this.#before2 = length > 1 ? bytes[length - 2]! : this.#before1;
    this.#before1 = bytes[length - 1]!;
    if (end === 0) {
      this.#hold(bytes);
      return undefined;
    }
    const events = this.#heldBytes ? this.#release(bytes.subarray(0, end)) : bytes.subarray(0, end);
    // A copy of the unfinished tail: a view would keep the whole read alive while the stream waits.
    if (end < length) this.#hold(bytes.slice(end));
    return this.#examine(events);
  }

  #hold(bytes: Uint8Array): void {
    this.#held.push(bytes);
    this.#heldBytes += bytes.length;
    if (this.#heldBytes > MAX_EVENT_BYTES) throw new RangeError(`An upstream event grew past ${MAX_EVENT_BYTES} bytes.`);
  }

  /** The held bytes and `more` as one array, once: never a copy per read. */
  #release(more?: Uint8Array): Uint8Array {
    const out = join(more ? [...this.#held, more] : this.#held, this.#heldBytes + (more?.length ?? 0));
    this.#held = [];
    this.#heldBytes = 0;
    return out;
  }

  /** Whole events: passed on as they are, unless they carry usage or the key; an error event of the upstream's is reported. */
  #examine(bytes: Uint8Array): Uint8Array {
    const { secrets } = this.#upstream;
    // Most reads hold no usage, error or piece of the key: an ASCII probe says so, and the read
    // goes on undecoded.
    if (bytes.length <= PROBE_BYTES && this.#probed) {
      const seen = asciiProbe(bytes);
      if (!(secrets && mayHold(seen, secrets)) && !mayCarry(seen)) return bytes;
    }
    const text = utf8.decode(bytes);
    // Masked first: what is reported of an error event is masked too.
    let out = maskText(text, secrets);
    if (mayCarry(text)) out = out.replace(EVENT, (event) => this.#observe(event));
    return out === text ? bytes : encoder.encode(out);
  }

  /** Keeps the usage an event carries, and reports an error it carries; the usage-only chunk goes on only if the page asked for it. */
  #observe(event: string): string {
    const chunk = dataOf(event);
    if (/^event: ?error$/m.test(event) || (isPlainObject(chunk) && isPlainObject(chunk.error))) {
      const info = { status: 200, headers: {}, requestId: this.#upstream.requestId };
      const error = isPlainObject(chunk) ? (chunk.error ?? chunk) : chunk;
      this.#options.onFailure(makeAPIError(info, errorObject(error, 'The upstream sent an error event.')));
    }
    if (!isPlainObject(chunk) || !isPlainObject(chunk.usage)) return event;
    this.#usage = chunk.usage as unknown as CompletionUsage;
    const usageOnly = Array.isArray(chunk.choices) && chunk.choices.length === 0;
    return usageOnly && !this.#options.keepUsage ? '' : event;
  }

  /** The upstream body ended: its last event (which may lack a blank line), the usage report, then the end. */
  async #finish(): Promise<void> {
    if (this.#upstream.timedOut) return this.#fail(undefined);
    if (this.#heldBytes) this.#controller.enqueue(this.#examine(this.#release()));
    this.#stop();
    await this.#report();
    if (!this.#cancelled) this.#controller.close();
  }

  /**
   * Reading the upstream failed (a lost connection, the idle time-out, an event too large) or the
   * page left. The page, which holds only whole events, gets one more: an error in the API's
   * format, so its SDK raises an `APIError` saying the answer is incomplete; the details go to
   * `onFailure`. A page that left gets nothing.
   */
  #fail(thrown: unknown): void {
    if (this.#ended) return;
    this.#stop();
    void this.#report();
    if (this.#upstream.page.aborted || this.#cancelled) return this.#controller.error(thrown);
    this.#options.onFailure(thrown instanceof RangeError ? thrown : this.#upstream.failure(thrown));
    const message = 'The upstream stream failed before the answer finished; try again.';
    const failure = { error: { message, type: 'server_error', param: null, code: 'upstream_stream_failed' } };
    this.#controller.enqueue(encoder.encode(`data: ${JSON.stringify(failure)}\n\n`));
    this.#controller.close();
  }

  #stop(): void {
    this.#ended = true;
    this.#held = [];
    this.#upstream.done();
    this.#reader.cancel().catch(noop);
  }

  #report(): Promise<void> {
    if (this.#reported) return Promise.resolve();
    this.#reported = true;
    return this.#options.onEnd(this.#usage);
  }
}

/**
 * Where the last complete event of `bytes` ends (just past its blank line), or 0. Scanned from
 * the end: an upstream writes whole events, so this usually looks at two bytes. `before1` and
 * `before2` are the bytes just before `bytes` (-1 for none). A CR that ends `bytes` may be half
 * of a CRLF, so it waits for the next read.
 */
function eventsEnd(bytes: Uint8Array, before1: number, before2: number): number {
  const at = (i: number) => (i >= 0 ? bytes[i]! : i === -1 ? before1 : before2);
  for (let i = bytes.length - 1; i >= 0; i--) {
    const byte = bytes[i];
    const endsLine = byte === LF || (byte === CR && i + 1 < bytes.length && bytes[i + 1] !== LF);
    if (!endsLine) continue;
    // Where this line's terminator starts: a CRLF is one terminator.
    const start = byte === LF && at(i - 1) === CR ? i - 1 : i;
    const previous = at(start - 1);
    if (previous === LF || previous === CR) return i + 1;
  }
  return 0;
}

/** Whether `text` may carry usage or an error event: only then are its events parsed. */
function mayCarry(text: string): boolean {
  return USAGE.test(text) || ERROR.test(text.slice(-ERROR_WINDOW));
}

/**
 * `bytes` as a string of one character per byte, the high bit of each cleared: every ASCII
 * character of their UTF-8 text is in it where it was, and each byte of a longer character
 * (0x80 or more) becomes some other ASCII character. So an ASCII search finds in it all it finds
 * in the text, and maybe more; and it is built as a copy and an ASCII decode, which the runtime
 * does far faster than a decode of a text with any character that is not ASCII.
 */
function asciiProbe(bytes: Uint8Array): string {
  const length = bytes.length;
  if (scratch.length < length) {
    scratch = new Uint8Array((length + 3) & ~3);
    words = new Uint32Array(scratch.buffer);
  }
  scratch.set(bytes);
  const count = (length + 3) >> 2;
  for (let i = 0; i < count; i++) words[i] = words[i]! & LOW_BITS;
  return utf8.decode(scratch.subarray(0, length));
}

/** The JSON of an event's `data:` lines, or `undefined`. */
function dataOf(event: string): unknown {
  const lines = event.split(/\r\n|\r|\n/).filter((line) => line.startsWith('data:'));
  return tryParse(lines.map((line) => line.slice(line[5] === ' ' ? 6 : 5)).join('\n'));
}
