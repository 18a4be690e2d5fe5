/** setTimeout fires at once past 2^31 - 1 ms; a longer time-out means "no sooner than that". */
const MAX_DELAY = 2_147_483_647;

/**
 * One attempt's abort signal: the caller's signal and an idle timer combined by hand
 * (`AbortSignal.any` and `AbortSignal.timeout` are not in every runtime we target), with the
 * caller's listener removed and the timer cleared by `done()`, so that thousands of requests
 * on one long-lived signal leave nothing behind.
 */
export interface Attempt {
  readonly signal: AbortSignal;
  /** True once the timer, not the caller, aborted this attempt. */
  readonly timedOut: boolean;
  /** Restarts the timer: called on response headers and on every read of the body. */
  touch(): void;
  /** Releases the listener and the timer; safe to call more than once. */
  done(): void;
}

/**
 * The attempts waiting on each caller signal. A signal gets one listener however many requests
 * share it (a hundred concurrent requests would otherwise add a hundred, and Node warns of a
 * leak past ten), and loses it when the last of them is done.
 */
const waiting = new WeakMap<AbortSignal, { callbacks: Set<() => void>; fire: () => void }>();

function watch(signal: AbortSignal, callback: () => void): () => void {
  let entry = waiting.get(signal);
  if (!entry) {
    const callbacks = new Set<() => void>();
    entry = { callbacks, fire: () => callbacks.forEach((f) => f()) };
    waiting.set(signal, entry);
    signal.addEventListener('abort', entry.fire);
  }
  const { callbacks, fire } = entry;
  callbacks.add(callback);
  return () => {
    if (callbacks.delete(callback) && callbacks.size === 0) {
      signal.removeEventListener('abort', fire);
      waiting.delete(signal);
    }
  };
}

export function startAttempt(callerSignal: AbortSignal | undefined, timeout: number): Attempt {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let timedOut = false;
  const onAbort = () => controller.abort(callerSignal?.reason);
  const touch = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, Math.min(timeout, MAX_DELAY));
  };
  let unwatch: (() => void) | undefined;
  if (callerSignal?.aborted) onAbort();
  else if (callerSignal) unwatch = watch(callerSignal, onAbort);
  touch();
  return {
    signal: controller.signal,
    get timedOut() {
      return timedOut;
    },
    touch,
    done() {
      clearTimeout(timer);
      unwatch?.();
      unwatch = undefined;
    },
  };
}
