import { APIUserAbortError } from '../errors.js';

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

/** Nothing to undo: no signal, or one that had already aborted. Shared, so that such a call makes no closure. */
function nothing(): void {}

/** Calls `callback` when `signal` aborts (at once if it has), until the returned function is called. */
export function watch(signal: AbortSignal | undefined, callback: () => void): () => void {
  if (!signal) return nothing;
  if (signal.aborted) {
    callback();
    return nothing;
  }
  let callbacks = waiting.get(signal);
  if (!callbacks) {
    callbacks = new Set();
    waiting.set(signal, callbacks);
    signal.addEventListener('abort', fire);
  }
  callbacks.add(callback);
  return () => unwatch(signal, callback);
}

function unwatch(signal: AbortSignal, callback: () => void): void {
  const callbacks = waiting.get(signal);
  if (callbacks?.delete(callback) && !callbacks.size) {
    signal.removeEventListener('abort', fire);
    waiting.delete(signal);
  }
}

/**
 * What `promise` gives, or `APIUserAbortError` as soon as `signal` aborts, even when the promise
 * never settles (a key function waiting on a token service): no listener is left either way.
 */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    // Called by the abort too, so that a promise that never settles keeps no callback.
    let unwatch = nothing;
    unwatch = watch(signal, () => {
      unwatch();
      reject(new APIUserAbortError());
    });
    promise.then(
      (value) => {
        unwatch();
        resolve(value);
      },
      (error: unknown) => {
        unwatch();
        reject(error);
      },
    );
  });
}
