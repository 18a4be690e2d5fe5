import { errorObject, makeAPIError } from '../errors.js';
import { maskText } from '../redact.js';
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
 * How much of each read's end is decoded: the events that overlap it. What the relay looks for
 * is what an upstream sends last: the usage chunk (then `[DONE]`), an error event that ends the
 * stream, and the key if such an error quotes it. The model's text before it passes as bytes,
 * never decoded (the model never sees the relay's key), so relaying costs little more than
 * piping (bench r).
 */
const TAIL_BYTES = 2048;
/** One event and the blank line that ends it (CRLF, LF or CR, as the SSE spec allows), or a last one without it. */
const EVENT = /[^]*?(?:\r\n|\r(?!\n)|\n)(?:\r\n|\r(?!\n)|\n)|[^]+$/g;
/** Events that end at a blank line hold no split character: each is decoded on its own, the BOM kept. */
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });
const encoder = new TextEncoder();

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
 * the end of each read is decoded (see TAIL_BYTES); only the usage-only chunk the page did not
 * ask for, and the key if the upstream quotes it there, are ever taken out. Pull-based, so the
 * page's pace is the upstream's; cancelling it cancels the upstream call.
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

  constructor(body: ReadableStream<Uint8Array>, upstream: Upstream, options: PassThroughOptions) {
    this.#reader = body.getReader();
    this.#upstream = upstream;
    this.#options = options;
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
    const end = lastEventEnd(bytes, length - 1, this.#before1, this.#before2);
    this.#before2 = length > 1 ? bytes[length - 2]! : this.#before1;
    this.#before1 = bytes[length - 1]!;
    if (end === 0) {
      this.#hold(bytes);
      return undefined;
    }
    // One piece a read, whole events: a second piece costs the page a second read (and a Node
    // server a second write), no less than joining the held start of an event to the read.
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

  /**
   * Whole events, passed on as they are but for their tail (see TAIL_BYTES): there, the usage is
   * kept and the usage-only chunk the page did not ask for taken out, an error event of the
   * upstream's reported, and the key masked.
   */
  #examine(events: Uint8Array): Uint8Array {
    const from = events.length > TAIL_BYTES ? lastEventEnd(events, events.length - TAIL_BYTES, -1, -1) : 0;
    const text = utf8.decode(events.subarray(from));
    // Masked first: what is reported of an error event is masked too.
    let out = maskText(text, this.#upstream.secrets);
    if (USAGE.test(text) || ERROR.test(text)) out = out.replace(EVENT, (event) => this.#observe(event));
    if (out === text) return events;
    const changed = encoder.encode(out);
    return join([events.subarray(0, from), changed], from + changed.length);
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
 * Whether the line terminator at `i` ends a blank line, so an event ends just past it. `at` reads
 * a byte of `bytes`, or before it (the last two bytes of the reads before). A CR that ends
 * `bytes` may be half of a CRLF: it waits for the next read.
 */
function endsEvent(bytes: Uint8Array, i: number, at: (i: number) => number): boolean {
  const byte = bytes[i];
  const endsLine = byte === LF || (byte === CR && i + 1 < bytes.length && bytes[i + 1] !== LF);
  if (!endsLine) return false;
  // Where this line's terminator starts: a CRLF is one terminator.
  const start = byte === LF && at(i - 1) === CR ? i - 1 : i;
  const previous = at(start - 1);
  return previous === LF || previous === CR;
}

/** Reads byte `i` of `bytes`, or one of the two before it (-1 for none). */
function reader(bytes: Uint8Array, before1: number, before2: number): (i: number) => number {
  return (i) => (i >= 0 ? bytes[i]! : i === -1 ? before1 : before2);
}

/**
 * Where the last complete event of `bytes` up to `from` ends (just past its blank line), or 0.
 * Scanned backwards: an upstream writes whole events, so from a read's end this usually looks
 * at two bytes. `before1` and `before2` are the bytes just before `bytes` (-1 for none).
 */
function lastEventEnd(bytes: Uint8Array, from: number, before1: number, before2: number): number {
  const at = reader(bytes, before1, before2);
  for (let i = from; i >= 0; i--) if (endsEvent(bytes, i, at)) return i + 1;
  return 0;
}

/** The JSON of an event's `data:` lines, or `undefined`. */
function dataOf(event: string): unknown {
  const lines = event.split(/\r\n|\r|\n/).filter((line) => line.startsWith('data:'));
  return tryParse(lines.map((line) => line.slice(line[5] === ' ' ? 6 : 5)).join('\n'));
}
