import type { ChatCompletionChunk } from '../types/index.js';
import { wait } from './faults.js';
import type { Fault } from './faults.js';

/** What happened to one streamed answer: how far the client read, and whether it left. */
export interface StreamRecord {
  /** Events handed to the body (the client or its socket asked for them). */
  sent: number;
  cancelled: boolean;
  /** Set when the body ended or errored (cut) or the client cancelled. */
  finished: boolean;
}

const encoder = new TextEncoder();

/**
 * The chunks as a `text/event-stream` body, one event per pull, so a client that stops
 * reading stops the server too, and a record of how much was read.
 */
export function eventStream(
  chunks: ChatCompletionChunk[],
  fault: Fault | undefined,
  signal: AbortSignal,
): { body: ReadableStream<Uint8Array>; record: StreamRecord } {
  const record: StreamRecord = { sent: 0, cancelled: false, finished: false };
  const events = [...chunks.map((c) => `data: ${JSON.stringify(c)}\n\n`), 'data: [DONE]\n\n'];
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (fault && 'trickleMs' in fault) await wait(fault.trickleMs, signal);
        if (fault && 'stallAfterChunks' in fault && record.sent === fault.stallAfterChunks) {
          await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
        }
        if (fault && 'cutAfterChunks' in fault && record.sent === fault.cutAfterChunks) {
          record.finished = true;
          if (fault.cutMode === 'error') return controller.error(new Error('connection dropped by the local API'));
          return controller.close();
        }
        if (record.sent === events.length) {
          record.finished = true;
          return controller.close();
        }
        controller.enqueue(encoder.encode(events[record.sent]));
        record.sent += 1;
      },
      cancel() {
        record.cancelled = true;
        record.finished = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { body, record };
}
