import { parseRateLimits } from './rate-limits.js';
import type { RateLimits } from './rate-limits.js';
import { maskHeaders } from '../redact.js';
import type { HeaderList, Secrets } from '../redact.js';
import type { ResponseInfo } from '../errors.js';

/** What the response of a successful call said besides its body. */
export interface ResponseMeta {
  /** HTTP status (2xx). */
  status: number;
  /** Response headers, lower-cased names; the API key, if a server echoes it, is masked. */
  headers: Record<string, string>;
  /** The `x-request-id` header, to quote to OpenAI support. */
  requestId: string | undefined;
  /** The `x-ratelimit-*` headers, as numbers and milliseconds. */
  rateLimits: RateLimits;
}

/**
 * What is kept of a response: its status and its headers, not the Response itself, which a
 * stream would otherwise hold, with its body state, while it is open. A stream of a Response
 * made in memory (no `url`), which nothing else holds, keeps a flat list of its header pairs
 * instead of its `Headers`, a fraction of their size: a URLSearchParams, which is such a list
 * with the `forEach` of Headers (header values are Latin-1, which it keeps as they are), copied
 * once more because Node 20 copies one URLSearchParams into another at exactly its length, where
 * the first, built pair by pair, has room to spare. A Response from the network (a `url` of its
 * own in every runtime) keeps its `Headers` alive with its body anyway (Node 20's fetch): a copy
 * would only add to them, and cost a sorted walk of them per request.
 */
export interface ResponseHead {
  readonly status: number;
  readonly headers: HeaderList;
}

/** What a result keeps of its response: the attempt's head and secrets (an `Attempt` has both). */
interface Recorded {
  head: ResponseHead | undefined;
  secrets: Secrets | undefined;
}

/**
 * Where a result keeps its response, by reference until asked: a non-enumerable property under a
 * symbol, which JSON, spreads and `Object.keys` never see. Not a WeakMap: an entry per call
 * adds the garbage collector's ephemeron work to every call (bench (c), a non-streaming create
 * per call, counts it).
 */
const RESPONSE = Symbol('openai-chat-fetch.response');

/**
 * Where a stream keeps it instead: one entry per stream, not per call. Node 20 gives every
 * ReadableStream a hidden class of its own (its constructor makes each transferable), so a
 * property added to a stream makes new shapes for that stream alone, slower than an entry here
 * and several times its size.
 */
const STREAMS = new WeakMap<object, Recorded>();

/** Remembers which response `result` (a completion, list, page or stream) came from. */
export function recordResponse(result: object, { head, secrets }: Recorded): void {
  const recorded: Recorded = { head, secrets };
  if (result instanceof ReadableStream) STREAMS.set(result, recorded);
  else Object.defineProperty(result, RESPONSE, { value: recorded, configurable: true });
}

/** Gives `copy` (a parsed completion, say) the response its `original` came from. */
export function copyResponse(original: object, copy: object): void {
  const recorded = recordedOf(original);
  if (recorded) Object.defineProperty(copy, RESPONSE, { value: recorded, configurable: true });
}

/**
 * The secrets of the call `result` came from (a completion, a stream, a copy of either), for the
 * layers above the wire to mask what their errors carry; `undefined` when it had none.
 */
export function secretsOf(result: unknown): Secrets | undefined {
  return recordedOf(result)?.secrets;
}

function recordedOf(result: unknown): Recorded | undefined {
  if (result === null || typeof result !== 'object') return undefined;
  return Object.hasOwn(result, RESPONSE) ? (result as { [RESPONSE]: Recorded })[RESPONSE] : STREAMS.get(result);
}

/**
 * Status, headers, request id and rate limits of the response any result of this SDK came
 * from: a completion, a stored completion, a list or message page, a stream, a parsed
 * completion. `undefined` for anything else. Safe when calls overlap: each result keeps its own.
 *
 * @example
 * const completion = await createChatCompletion(body);
 * const { requestId, rateLimits } = getResponseMeta(completion)!;
 * console.log(requestId, rateLimits.tokens?.remaining, rateLimits.tokens?.resetMs);
 */
export function getResponseMeta(result: unknown): ResponseMeta | undefined {
  const recorded = recordedOf(result);
  if (!recorded) return undefined;
  const info = responseInfo(recorded);
  return { ...info, rateLimits: parseRateLimits(info.headers) };
}

/**
 * Status, headers (secrets masked) and request id of the response an attempt or a result had,
 * made when asked: by `getResponseMeta`, a hook, an error.
 */
export function responseInfo({ head, secrets }: Recorded): ResponseInfo {
  // A body handed to parseServerSentEvents comes without its response.
  if (!head) return { status: 200, headers: {}, requestId: undefined };
  const headers = maskHeaders(head.headers, secrets);
  return { status: head.status, headers, requestId: headers['x-request-id'] };
}
