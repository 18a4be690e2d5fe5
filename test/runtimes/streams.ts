import { expect } from 'vitest';
import type { LocalAPI, RecordedRequest } from '../server/handler.js';
import { waitUntil } from './process.js';
import type { SmokeResult } from './scenario.js';

/** project/streams.mjs's header naming a fault of the local API for that one request. */
export const FAULT_HEADER = 'x-fake-fault';
/** How long the server may take to see a connection the page closed. */
const CLOSE_MS = 5_000;

/** What project/streams.mjs returns. */
export interface StreamsResult {
  ms: number;
  nativeIterator: boolean;
  streamed: string;
  aborted: { text: string; error: string };
  broken: { text: string };
  parsed: string;
}

/** What the browser page reports: smoke.mjs's result, then streams.mjs's. */
export interface PageResult extends SmokeResult {
  streams: StreamsResult;
}

/**
 * The local API's handler, with one addition for the stream scenario: a request carrying
 * FAULT_HEADER gets that fault (JSON, see the fake's `Fault`), so the page can ask for a
 * stream that stalls without the host knowing when that request comes.
 */
export function withFaults(api: LocalAPI): (request: Request) => Promise<Response> {
  return (request) => {
    const fault = request.headers.get(FAULT_HEADER);
    if (fault !== null) api.faults.push(JSON.parse(fault) as LocalAPI['faults'][number]);
    return api.handle(request);
  };
}

/**
 * Holds the page's stream report against what the server saw, from the request after
 * smoke.mjs's last (`from`) and its stream after smoke.mjs's one: a stream read to its end; one
 * aborted and one left by `break`, both in the middle and closed by the client (not by the
 * server, which was stalling); and the plain fetch read to its end. In every engine: Firefox
 * keeps a cancelled body's connection open until the request is aborted, so the SDK aborts it.
 */
export async function expectStreams(api: LocalAPI, from: number, result: StreamsResult, expected: { authorization: string; origin: string }): Promise<void> {
  const reply = 'Echo: streams: café ☕ 日本語 🎉';
  expect(result).toMatchObject({ streamed: reply, parsed: reply, aborted: { text: 'Echo:', error: 'APIUserAbortError' }, broken: { text: 'Echo:' } });
  const requests = api.requests.slice(from);
  expect(requests.map(summary)).toEqual(['POST stream', 'POST stream, stalling', 'POST stream, stalling', 'POST stream']);
  for (const request of requests) {
    expect(request.headers.authorization).toBe(expected.authorization);
    expect(request.headers.origin).toBe(expected.origin);
  }
  const [read, aborted, broken, parsed] = api.streams.slice(1);
  const closed = () => aborted.cancelled && broken.cancelled;
  await waitUntil(async () => closed(), `the server never saw the page close its streams: ${JSON.stringify(api.streams)}`, CLOSE_MS);
  expect(read).toEqual({ sent: read.sent, cancelled: false, finished: true });
  expect(parsed).toEqual(read);
  // Left in the middle, by the client: the server was stalling after two events.
  expect(aborted).toMatchObject({ cancelled: true, finished: true });
  expect(aborted.sent).toBeLessThan(read.sent);
  expect(broken.sent).toBeLessThan(read.sent);
  expect(broken).toMatchObject({ cancelled: true, finished: true });
}

function summary(request: RecordedRequest): string {
  const streamed = (request.body as { stream?: boolean } | undefined)?.stream === true;
  const stalling = FAULT_HEADER in request.headers ? ', stalling' : '';
  return `${request.method} ${streamed ? 'stream' : 'whole'}${stalling}`;
}
