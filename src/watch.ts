/**
 * The callbacks waiting on each caller signal. A signal gets one listener however many requests
 * share it (a hundred concurrent requests would otherwise add a hundred, and Node warns of a
 * leak past ten), and loses it when the last of them is done, so that thousands of requests on
 * one long-lived signal leave nothing behind.
 */
const waiting = new WeakMap<EventTarget, Set<() => void>>();

function fire({ target }: Event): void {
  waiting.get(target!)?.forEach((callback) => callback());
}

/** Calls `callback` when `signal` aborts (at once if it has), until the returned function is called. */
export function watch(signal: AbortSignal | undefined, callback: () => void): () => void {
  let callbacks = signal && waiting.get(signal);
  if (signal?.aborted) callback();
  else if (signal) {
    if (!callbacks) waiting.set(signal, (callbacks = new Set())), signal.addEventListener('abort', fire);
    callbacks.add(callback);
  }
  return () => {
    if (callbacks?.delete(callback) && !callbacks.size) {
      signal!.removeEventListener('abort', fire);
      waiting.delete(signal!);
    }
  };
}
