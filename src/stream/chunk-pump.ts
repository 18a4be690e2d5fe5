import type { Attempt, AttemptReader } from '../http/attempt.js';
import { InvalidResponseError, errorObject, excerpt, makeAPIError } from '../errors.js';
import type { APIError } from '../errors.js';
import { responseInfo } from '../http/meta.js';
import { noop, tryParse } from '../own.js';
import { maskValue } from '../redact.js';
import { Screen } from './screen.js';
import { drainBody } from './body-drain.js';
import type { DrainWaiter } from './body-drain.js';
import { FinishedChoices } from './finished-choices.js';
import { createSSEParser } from './sse-parser.js';
import type { SSEParser, SSEParserOptions } from './sse-parser.js';
import type { ChatCompletionChunk } from '../types/index.js';

/** Hoisted: `decode` is called once a network read, and needs no fresh options object. */
const STREAM = { stream: true };
/** How much of a bad event a message quotes. */
const EVENT_EXCERPT_LENGTH = 100;
/** The most decoded text parsed in one pull, in characters: a few hundred chunks. */
const PARSE_PIECE = 64 * 1024;

/**
 * Where a chunk stream is (numbers: the minifier cannot shorten a string). READING: chunks are
 * parsed from the body as the consumer asks for them. FLUSHING: the body ended, and its
 * unterminated last event is parsed (one cut there is the cut itself, not bad JSON). ANSWERED:
 * `[DONE]` arrived, and no chunk follows it. DRAINING: the rest of the body is read and dropped;
 * the chunks close when it ends, or after END_WAIT_MS. CLOSED: the chunks closed, errored or
 * were cancelled, and nobody reads the body for them (it may still drain behind).
 */
const READING = 0;
const FLUSHING = 1;
const ANSWERED = 2;
const DRAINING = 3;
const CLOSED = 4;
type Phase = typeof READING | typeof FLUSHING | typeof ANSWERED | typeof DRAINING | typeof CLOSED;

/**
 * The underlying source of a chunk stream: pulls the body, parses its events, enqueues their
 * chunks. One stream's state, as one object: the reader, the parser, its phase, and what tells a
 * cut from an end.
 */
export class ChunkPump implements UnderlyingDefaultSource<ChatCompletionChunk>, AttemptReader, SSEParserOptions, DrainWaiter {
  // Private names (#) are the minifier's to shorten, unlike the public ones.
  readonly #attempt: Attempt;
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  // One decoder for the whole body: in `stream` mode it holds a character split across reads.
  // It drops a leading byte order mark, the one the SSE spec allows.
  readonly #decoder = new TextDecoder();
  readonly #parser: SSEParser;
  /** What tells a cut stream from an ended one. */
  readonly #finished = new FinishedChoices();
  #controller!: ReadableStreamDefaultController<ChatCompletionChunk>;
  #phase: Phase = READING;
  /** The current pull's: whether it enqueued a chunk yet (it ends once it has). */
  #produced = false;
  /** An error waiting behind the chunks that came before it (the stream is CLOSED meanwhile). */
  #failure: [unknown] | undefined;
  /** Decoded text not yet parsed: the rest of a read larger than PARSE_PIECE. */
  #unparsed = '';
  /** Screens each read for secrets, when the request has any: a probe of its bytes, not a search per event. */
  readonly #screen: Screen | undefined;

  constructor(body: ReadableStream<Uint8Array>, attempt: Attempt) {
    this.#attempt = attempt;
    this.#reader = body.getReader();
    this.#screen = attempt.secrets && new Screen(attempt.secrets);
    // This object configures its parser: its `onEvent` and `onOverflow` are called as methods, with no closure to keep.
    this.#parser = createSSEParser(this);
  }

  /** The parser's: a line that never ended. */
  onOverflow(max: number): void {
    throw this.#invalid(`A line of the stream grew past ${max} characters without ending (${this.#attempt.label}).`);
  }

  start(controller: ReadableStreamDefaultController<ChatCompletionChunk>): void {
    this.#controller = controller;
    if (this.#attempt.signal.aborted) this.aborted();
    else this.#attempt.reader = this;
  }

  /**
   * Aborting errors the stream at once: a body may hold data that arrived before the abort,
   * and the consumer asked to stop, not to read that first.
   */
  aborted(): void {
    if (this.#phase === READING) this.#fail(this.#attempt.toSDKError(this.#attempt.signal.reason), true);
  }

  async pull(): Promise<void> {
    // Only a failure waiting behind the chunks before it gets here once the stream has ended.
    if (this.#failure) return this.#controller.error(this.#failure[0]);
    this.#produced = false;
    while (!this.#produced && this.#phase === READING) {
      if (!this.#unparsed) {
        // One read of the body, the idle timer running only while it is pending. Awaited here,
        // not in a helper: an async helper costs one more promise a read.
        let result: ReadableStreamReadResult<Uint8Array>;
        this.#attempt.armIdleTimer();
        try {
          result = await this.#reader.read();
        } catch (error) {
          // A cancel or an abort may have closed the stream while the read was pending.
          return (this.#phase as Phase) === CLOSED ? undefined : this.#fail(this.#attempt.toSDKError(error));
        }
        this.#attempt.received();
        // Cancelled while the read was pending: the consumer is gone.
        if ((this.#phase as Phase) === CLOSED) return;
        if (result.done) {
          try {
            this.#finish();
          } catch (error) {
            return this.#fail(error);
          }
          this.#end();
          return this.#controller.close();
        }
        this.#unparsed = this.#decoder.decode(result.value, STREAM);
        this.#screen?.read(result.value, this.#unparsed);
      }
      try {
        this.#parseSome();
      } catch (error) {
        return this.#fail(error);
      }
    }
    if (this.#phase === ANSWERED) this.#drain();
  }

  async cancel(reason: unknown): Promise<void> {
    // Left during the wait after [DONE], with every chunk read: the drain goes on behind.
    if (this.#phase === DRAINING) this.#phase = CLOSED;
    if (this.#phase === CLOSED) return;
    // A body that failed meanwhile rejects its cancel; the consumer, who is leaving, need not hear.
    await this.#stop(reason);
    this.#attempt.abort();
  }

  /**
   * Parses the next PARSE_PIECE characters of what was read. A network read is smaller, and
   * parsed whole; a body that comes in one read (a recorded stream in a `Response`, a buffering
   * proxy) is parsed a piece per pull, because every chunk a pull enqueues waits in the web
   * stream's queue, and Node 20's queue is an array whose `shift` copies it: 80,000 chunks
   * queued at once take seconds to read out.
   */
  #parseSome(): void {
    const text = this.#unparsed;
    const whole = text.length <= PARSE_PIECE;
    this.#unparsed = whole ? '' : text.slice(PARSE_PIECE);
    this.#parser.feed(whole ? text : text.slice(0, PARSE_PIECE));
    if (whole) this.#screen?.parsed();
  }

  /** The body ended: deliver its unterminated last event, then tell a finished answer from a cut one. */
  #finish(): void {
    this.#parser.feed(this.#decoder.decode());
    this.#phase = FLUSHING;
    this.#parser.end();
    if (this.#phase !== FLUSHING) return;
    // Why the body's end is not the answer's end, if it is not: never pass a cut answer on.
    const why = this.#finished.whyCut();
    if (why) throw this.#invalid(`The stream ended before the answer finished (${why}), and no [DONE] arrived (${this.#attempt.label}).`);
  }

  /** The parser's: one dispatched event. */
  onEvent(data: string, type: string): void {
    if (this.#phase === ANSWERED) return;
    const isError = type === 'error';
    if (!isError && data === '[DONE]') {
      this.#phase = ANSWERED;
      return;
    }
    // An empty `data:` line carries nothing to parse or drop (some proxies' keep-alive).
    if (!isError && !data) return;
    const value = tryParse(data);
    // The body ended inside this event (`data: [DON`, half a usage chunk): that is the cut itself,
    // and `finish` says whether the answer had finished before it.
    if (value === undefined && this.#phase === FLUSHING) return;
    // An `error` event, or `{"error": {...}}`, is how a server reports a failure after the 200.
    if (isError || value?.error) throw this.#apiError(value, data);
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      throw this.#invalid(`A stream event is not a JSON object (${this.#attempt.label}): ${excerpt(data, this.#attempt.secrets, EVENT_EXCERPT_LENGTH)}`);
    }
    this.#finished.track(value.choices);
    // A server that echoes a secret in a chunk must not pass it on (to a page, through a proxy).
    const screen = this.#screen;
    this.#controller.enqueue(screen?.suspect ? screen.masked(value, data) : value);
    this.#produced = true;
  }

  #apiError(value: any, data: string): APIError {
    const secrets = this.#attempt.secrets;
    return makeAPIError(responseInfo(this.#attempt), errorObject(maskValue(value?.error || value, secrets), excerpt(data, secrets, EVENT_EXCERPT_LENGTH)));
  }

  #invalid(message: string): InvalidResponseError {
    return new InvalidResponseError(responseInfo(this.#attempt), message);
  }

  /** `error()` empties the queue: unless `now`, chunks that came before the failure are read first. */
  #fail(error: unknown, now = false): void {
    if (now || !this.#produced) this.#controller.error(error);
    else this.#failure = [error];
    void this.#stop(error);
  }

  /** The chunks were closed or errored just before (or wait for the drain): nothing more is read for them, no timer or callback is left. */
  #end(phase: Phase = CLOSED): void {
    this.#phase = phase;
    this.#attempt.done();
  }

  /** Stops reading the body, for good. A body that ended or failed meanwhile ignores this, and nobody waits for its answer. */
  #stop(reason?: unknown): Promise<void> {
    this.#end();
    return this.#reader.cancel(reason).catch(noop);
  }

  /** After [DONE]: the body is drained behind, and the chunks close when it ends or the wait for its end is over. */
  #drain(): void {
    this.#end(DRAINING);
    void drainBody(this.#reader, this.#attempt, this);
  }

  /** The drain's: closes the chunks after [DONE], unless the consumer left meanwhile (a cancelled stream is closed already). */
  closeChunks(): void {
    if (this.#phase !== DRAINING) return;
    this.#phase = CLOSED;
    this.#controller.close();
  }
}
