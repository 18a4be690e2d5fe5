import type { Attempt } from '../http/attempt.js';
import { hold } from '../http/attempt.js';
import { noop } from '../own.js';

/**
 * After `[DONE]`, how long (ms) and how much (bytes) of the rest of the body is read, and
 * dropped, waiting for its end: a body read to its end leaves its connection to be reused, a
 * cancelled one makes Node's fetch destroy it. Servers and proxies often send the end a moment
 * after `[DONE]`, in a write of its own; one that sends more, or nothing, is cancelled.
 */
const DRAIN_TIME_MS = 1000;
const DRAIN_BYTES = 64 * 1024;
/**
 * How long (ms) the chunks wait after `[DONE]` for the body's end before they close: a consumer
 * that sends its next request at once (a tool loop's next step) then finds the connection back
 * in the pool instead of opening another, and one whose body never ends waits no longer than this.
 */
const END_WAIT_MS = 50;

/** What waits on a drain: the chunk stream, closed when the body ends or END_WAIT_MS has passed. */
export interface DrainWaiter {
  closeChunks(): void;
}

/**
 * After `[DONE]`: reads the rest of the body to its end, dropping it, within DRAIN_BYTES and
 * DRAIN_TIME_MS, so that the runtime can reuse the connection; past either, the body is
 * cancelled and the request aborted, as when a consumer leaves. The waiter is told when the body
 * ends, or after END_WAIT_MS: the consumer is released then, and the drain goes on behind. Its
 * closures are made only once `[DONE]` has arrived: an open stream holds none of them.
 */
export async function drainBody(reader: ReadableStreamDefaultReader<Uint8Array>, attempt: Attempt, waiter: DrainWaiter): Promise<void> {
  const abandon = () => {
    reader.cancel().catch(noop);
    attempt.abort();
  };
  // Not unref'd: the consumer is waiting on a read until the chunks close.
  let timer = setTimeout(() => {
    waiter.closeChunks();
    // The time left for the drain, which nobody waits for: never a reason for a process to stay.
    timer = hold(setTimeout(abandon, DRAIN_TIME_MS - END_WAIT_MS), false);
  }, END_WAIT_MS);
  try {
    let left = DRAIN_BYTES;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      left -= value.byteLength;
      if (left < 0) return abandon();
    }
  } catch {
    // The body failed after the answer ended: nobody is left to tell.
  } finally {
    clearTimeout(timer);
    waiter.closeChunks();
  }
}
