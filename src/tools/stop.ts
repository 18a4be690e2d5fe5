import { APIUserAbortError } from '../errors.js';
import { watch } from '../http/watch.js';
import { noop } from '../own.js';

/** The loop's own abort: the caller's signal, passed to every request and `execute`, and raced against tools that ignore it. */
export interface Stop {
  signal: AbortSignal;
  race<T>(work: Promise<T>): Promise<T>;
  /** The consumer left the stream: stop the request and the tools. */
  abort(): void;
  release(): void;
}

export function linkedAbort(callerSignal: AbortSignal | undefined): Stop {
  const controller = new AbortController();
  const unwatch = watch(callerSignal, () => controller.abort(callerSignal!.reason));
  const aborted = new Promise<never>((_, reject) => {
    controller.signal.addEventListener('abort', () => reject(new APIUserAbortError()), { once: true });
  });
  // A loop that ends unaborted leaves this promise pending: nobody waits on it.
  aborted.catch(noop);
  return {
    signal: controller.signal,
    race: (work) => Promise.race([work, aborted]),
    abort: () => controller.abort(new APIUserAbortError()),
    release: unwatch,
  };
}
