import { parseServerSentEvents, runTools } from '../../src/index.js';
import type { ChatCompletionChunk, RunToolsEvent, RunToolsOptions, RunToolsParams, RunToolsResult } from '../../src/index.js';
import { bodyOf, recorded } from './fold-streams.js';
import { readAll } from './streams.js';

/** The chunks of a recorded stream (test/fixtures/streams/recorded/), as a fake reply. */
export async function recordedChunks(name: string): Promise<ChatCompletionChunk[]> {
  const { values, error } = await readAll(parseServerSentEvents(bodyOf([recorded(name)])));
  if (error) throw error;
  return values;
}

/** How one run of the loop ended: its result, or its error; and, streamed, every event. */
export interface Ending {
  result?: RunToolsResult;
  error?: Error;
  events?: RunToolsEvent[];
}

/** The loop without streaming. */
export async function runPlain(body: RunToolsParams, options: RunToolsOptions): Promise<Ending> {
  try {
    return { result: await runTools(body, options) };
  } catch (error) {
    return { error: error as Error };
  }
}

/** The loop streamed: its last `done` event is its result. */
export async function runStreamed(body: RunToolsParams, options: RunToolsOptions): Promise<Ending> {
  const { values: events, error } = await readAll(runTools({ ...body, stream: true }, options));
  const last = events.at(-1);
  if (error) return { error, events };
  if (last?.type !== 'done') throw new Error('the streaming loop ended without its done event');
  const { type: _type, ...result } = last;
  return { result, events };
}
