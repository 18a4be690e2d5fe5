import { APIConnectionError, APIConnectionTimeoutError, APIUserAbortError, OpenAIError } from '../errors.js';
import { noop } from '../own.js';
import type { Secrets } from '../redact.js';
import type { ResponseHead } from './meta.js';
import { describeCause } from './cause.js';
import { watch } from './watch.js';

/** setTimeout fires at once past 2^31 - 1 ms: a longer wait is made of shorter ones. */
const MAX_TIMER_DELAY = 2 ** 31 - 1;

/** What reads an attempt's response body (the chunk stream): it must stop at once when the attempt aborts. */
export interface AttemptReader {
  /** The caller's signal or the idle timer aborted the attempt. */
  aborted(): void;
}

/**
 * Whether a timer keeps a Node or Bun process alive (elsewhere a timer is a number, and this does
 * nothing). A timer someone awaits must: a script whose only pending work is a read of a stalled
 * in-memory stream would otherwise exit in the middle of its `await`, with no error. One nobody
 * waits on must not: a stream left open and unread does not hold a script for the whole time-out.
 */
export function hold<T>(timer: T, held: boolean): T {
  const handle = timer as { ref?: () => void; unref?: () => void };
  // Each method by its name: a load the engine caches, where a computed name is looked up each read.
  if (held) handle.ref?.();
  else handle.unref?.();
  return timer;
}

/**
 * One try of a request: its abort signal and its idle timer, and what their abort means to the
 * caller. The idle timer runs only while the SDK waits for the server (for headers, or for body
 * bytes it asked for): a consumer that reads slowly, or starts late, is never timed out.
 * `label`, `secrets` and `head` say which request it is, for the errors of every layer.
 */
export class Attempt {
  /** Aborted by the caller's signal or by the idle timer; given to fetch. */
  readonly signal: AbortSignal;
  /** Set once headers arrive: what an error quotes of the response (see `responseInfo`). */
  head: ResponseHead | undefined;
  /**
   * Told directly, not through a listener on `signal`, when the attempt aborts: a stream open
   * for minutes then holds no listener, callback or closure for it.
   */
  reader: AttemptReader | undefined;
  // Private names (#) are the minifier's to shorten, unlike the public ones.
  readonly #controller = new AbortController();
  readonly #unwatch: () => void;
  readonly #callerSignal: AbortSignal | undefined;
  readonly #timeout: number;
  /** When the current wait times out; Infinity while the SDK is not waiting. */
  #deadline = Infinity;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #timedOut = false;

  /**
   * @param label `POST https://host/v1/chat/completions`: how messages name the request (no query).
   * @param secrets The request's secrets, masked in anything an error copies from the response.
   */
  constructor(
    callerSignal: AbortSignal | undefined,
    timeout: number,
    readonly label: string,
    readonly secrets: Secrets | undefined,
  ) {
    this.#callerSignal = callerSignal;
    this.#timeout = timeout;
    this.signal = this.#controller.signal;
    // Most calls have no signal of their own, and then make no callback for one.
    this.#unwatch = callerSignal ? watch(callerSignal, () => this.#abort(callerSignal.reason)) : noop;
  }

  /** The SDK starts waiting for the server, and someone awaits what it waits for: the idle timer runs from now, holding the process. */
  armIdleTimer(): void {
    this.#deadline = Date.now() + this.#timeout;
    // Armed only when off: moving the deadline is cheaper than a new timer on every read.
    if (this.#timer !== undefined) hold(this.#timer, true);
    else if (this.#timeout !== Infinity) this.#arm(this.#timeout);
  }

  /** The server answered (headers, or a read of the body): the idle timer stops until it is armed again, and holds nothing. */
  received(): void {
    this.#deadline = Infinity;
    if (this.#timer !== undefined) hold(this.#timer, false);
  }

  /** Ends the attempt: no timer, no listener left behind; safe to call more than once. */
  done(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#deadline = Infinity;
    this.#unwatch();
  }

  /**
   * Stops the request for good: a consumer left the stream. Cancelling the body alone is not
   * enough everywhere: Firefox 153 keeps the connection open, and the server generating, after
   * `response.body.cancel()` until the request is aborted.
   */
  abort(): void {
    this.#abort(undefined);
  }

  /** What a failed fetch or body read means to the caller: abort, time-out or lost connection. */
  toSDKError(thrown: unknown): OpenAIError {
    if (thrown instanceof OpenAIError) return thrown;
    if (this.#timedOut) return new APIConnectionTimeoutError(`Request timed out: nothing received for ${this.#timeout} ms (${this.label}).`);
    if (this.#callerSignal?.aborted) return new APIUserAbortError();
    const cause = describeCause(thrown, this.secrets);
    return new APIConnectionError(cause ? `Connection error: ${cause} (${this.label}).` : `Connection error (${this.label}).`, { cause: thrown });
  }

  #abort(reason: unknown): void {
    this.#controller.abort(reason);
    this.reader?.aborted();
  }

  /** Only while waiting: the timer holds the process. */
  #arm(delay: number): void {
    // The attempt goes to the timer as its argument: no closure to keep for the wait.
    this.#timer = setTimeout(Attempt.#check, Math.min(delay, MAX_TIMER_DELAY), this);
  }

  /** The timer fired: time out, wait on, or stop until the next wait. */
  static #check(attempt: Attempt): void {
    attempt.#timer = undefined;
    if (attempt.#deadline === Infinity) return;
    const left = attempt.#deadline - Date.now();
    if (left > 0) return attempt.#arm(left);
    attempt.#timedOut = true;
    attempt.#abort(undefined);
  }
}
