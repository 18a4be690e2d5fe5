/** setTimeout fires at once past 2^31 - 1 ms; a longer time-out means "no sooner than that". */
const MAX_DELAY = 2_147_483_647;

/**
 * One attempt's abort signal: the caller's signal and an idle timer combined by hand
 * (`AbortSignal.any` and `AbortSignal.timeout` are not in every runtime we target), with the
 * caller's listener removed and the timer cleared by `done()`, so that thousands of requests
 * on one long-lived signal leave nothing behind.
 */
export interface Attempt {
  /**
   * The attempt's signal, made on the first call: an AbortController costs more than the rest
   * of a call's bookkeeping, and an in-process `fetch` may never read it.
   */
  signal(): AbortSignal;
  /** True once the timer, not the caller, aborted this attempt. */
  timedOut: boolean;
  /** Restarts the idle time: called on response headers and on every read of the body. */
  touch(): void;
  /** Releases the listener and the timer; safe to call more than once. */
  done(): void;
}

/**
 * The attempts waiting on each caller signal. A signal gets one listener however many requests
 * share it (a hundred concurrent requests would otherwise add a hundred, and Node warns of a
 * leak past ten), and loses it when the last of them is done.
 */
const waiting = new WeakMap<EventTarget, Set<() => void>>();

function fire(event: Event): void {
  waiting.get(event.target!)?.forEach((callback) => callback());
}

function watch(signal: AbortSignal, callback: () => void): () => void {
  let callbacks = waiting.get(signal);
  if (!callbacks) {
    waiting.set(signal, (callbacks = new Set()));
    signal.addEventListener('abort', fire);
  }
  callbacks.add(callback);
  return () => {
    if (callbacks.delete(callback) && !callbacks.size) {
      signal.removeEventListener('abort', fire);
      waiting.delete(signal);
    }
  };
}

export function startAttempt(callerSignal: AbortSignal | undefined, timeout: number): Attempt {
  let controller: AbortController | undefined;
  let deadline = 0;
  let unwatch: (() => void) | undefined;
  const abort = (reason?: unknown) => (controller ??= new AbortController()).abort(reason);
  // Plain methods, no getters: an object literal with accessors is ~30x slower to make in V8.
  const attempt: Attempt = {
    signal: () => (controller ??= new AbortController()).signal,
    timedOut: false,
    // Only moves the deadline, which the timer checks when it fires: clearing and setting a
    // timer on every read of a stream would cost more than the read.
    touch: () => {
      deadline = Date.now() + timeout;
    },
    done() {
      clearTimeout(timer);
      unwatch?.();
      unwatch = undefined;
    },
  };
  const check = () => {
    const left = deadline - Date.now();
    if (left > 0) timer = setTimeout(check, Math.min(left, MAX_DELAY));
    else {
      attempt.timedOut = true;
      abort();
    }
  };
  let timer = setTimeout(check, Math.min(timeout, MAX_DELAY));
  const onAbort = () => abort(callerSignal!.reason);
  if (callerSignal?.aborted) onAbort();
  else if (callerSignal) unwatch = watch(callerSignal, onAbort);
  attempt.touch();
  return attempt;
}
