import { accumulateChatCompletion } from '../fold/accumulate.js';
import type { ChatCompletion, ChatCompletionChunk, ChatCompletionCreateParams } from '../types/index.js';
import { refusedKey, unknownModel } from './access.js';
import { badRequest, errorResponse, invalidURL, notFound } from './errors.js';
import { wait } from './faults.js';
import type { Fault } from './faults.js';
import { completionOfAnswer, defaultContent } from './answer.js';
import type { FakeAnswer } from './answer.js';
import { chunksOf, completionOf } from './replies.js';
import { strictSchemaProblem } from './strict-check.js';
import { createStore, page } from './store.js';
import type { PageQuery } from './store.js';
import { eventStream } from './stream.js';
import type { StreamRecord } from './stream.js';

export type { FakeAnswer, FakeToolCall } from './answer.js';
export type { Fault } from './faults.js';
export type { StreamRecord } from './stream.js';

/** A request as the fake received it; header names lower-cased. */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  /** The parsed JSON body, the raw text if it was not JSON, or undefined without a body. */
  body: unknown;
}

/**
 * A scripted answer to `POST /chat/completions`: the reply text, a whole `ChatCompletion`, the
 * chunks to stream, or a `FakeAnswer` (refuse, stop at `length`, call tools, ...). The fake
 * turns each into the other form when the request asks for it (a completion is streamed word
 * by word, a `json_schema` answer in 8-character pieces; chunks are folded for a request
 * without `stream`).
 */
export type FakeReply = string | ChatCompletion | ChatCompletionChunk[] | FakeAnswer;

export interface FakeOpenAIOptions {
  /**
   * What creates answer: a function of the request body (returning `undefined` for the
   * default), or a list used in turn (then the default). By default the reply is JSON that fits the schema of a `json_schema`
   * `response_format`, and otherwise `Echo: ` and the last user message's text.
   */
  replies?: FakeReply[] | ((body: ChatCompletionCreateParams) => FakeReply | undefined | Promise<FakeReply | undefined>);
  /**
   * The keys it accepts (`Authorization: Bearer <key>`, or `api-key`): a request with another
   * key, or none, gets the API's 401. Default: any key, or none.
   */
  apiKeys?: readonly string[] | undefined;
  /** The models it knows: a create for another gets the API's 404 `model_not_found`. Default: any. */
  models?: readonly string[] | undefined;
}

/** A fetch-compatible function serving the six endpoints in memory, and what it saw. */
export interface FakeOpenAI {
  (input: string | URL | Request, init?: RequestInit): Promise<Response>;
  /** The same API as one web-standard handler, to serve over HTTP (`Deno.serve(fake.handle)`). */
  handle(request: Request): Promise<Response>;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  /** Faults for the next requests, used once each, first in first out. */
  readonly faults: Fault[];
  /** One record per streamed answer, in order: how far it was read, whether it was cancelled. */
  readonly streams: StreamRecord[];
  /** Forgets stored completions, requests, faults and streams; ids and replies start again. */
  reset(): void;
}

const PREFIX = '/chat/completions';
/** Characters per streamed piece of a `json_schema` answer. */
const JSON_PIECE = 8;
/** A fixed clock, so answers are the same on every run. */
const EPOCH = 1_730_000_000;
const pad = (n: number) => String(n).padStart(6, '0');

/**
 * An in-memory Chat Completions API to test code offline: pass it as `fetch`. It answers
 * deterministically (`Echo: <last user text>`, or your scripted replies), stores completions
 * created with `store: true`, lists, pages, updates and deletes them as the real API does,
 * streams as it does, and fails on request (`fake.faults.push({ status: 429 })`).
 *
 * @example
 * const fake = createFakeOpenAI({ replies: ['Hi there!'] });
 * const completion = await createChatCompletion({ model: 'gpt-4o-mini', messages }, { fetch: fake });
 * expect(completion.choices[0].message.content).toBe('Hi there!');
 * expect(fake.requests[0].body).toMatchObject({ model: 'gpt-4o-mini' });
 */
export function createFakeOpenAI(options: FakeOpenAIOptions = {}): FakeOpenAI {
  const store = createStore();
  let counter = 0;
  let requestCounter = 0;
  let scripted = 0;

  const fake = ((input: string | URL | Request, init?: RequestInit) => {
    const request = new Request(input, init);
    return abortable(handle(request), request.signal);
  }) as FakeOpenAI;
  const state = { requests: [] as RecordedRequest[], faults: [] as Fault[], streams: [] as StreamRecord[] };
  async function handle(request: Request): Promise<Response> {
    const response = await answer(request);
    response.headers.set('x-request-id', `req_fake${pad(++requestCounter)}`);
    for (const [name, value] of Object.entries(rateLimitHeaders(requestCounter))) response.headers.set(name, value);
    return response;
  }
  Object.assign(fake, state, {
    handle,
    reset() {
      store.clear();
      counter = requestCounter = scripted = 0;
      state.requests.length = state.faults.length = state.streams.length = 0;
    },
  });
  Object.defineProperty(fake, Symbol.for('openai-chat-fetch.fake'), { value: true }); // answers in memory: the browser guard lets it be

  async function answer(request: Request): Promise<Response> {
    const text = request.method === 'GET' || request.method === 'HEAD' ? '' : await request.text();
    const headers = Object.fromEntries([...request.headers].map(([k, v]) => [k.toLowerCase(), v]));
    state.requests.push({ method: request.method, url: request.url, headers, body: parse(text) });
    const refused = refusedKey(options.apiKeys, headers);
    if (refused) return refused;

    const fault = state.faults.shift();
    if (fault && 'delayMs' in fault) await wait(fault.delayMs, request.signal);
    if (fault && 'status' in fault) return faulty(fault, headers.authorization);

    const url = new URL(request.url);
    const { route, id } = routeOf(request.method, url.pathname);
    switch (route) {
      case 'POST ':
        return create(text, fault, request.signal);
      case 'GET ':
        return list(url.searchParams);
      case 'GET :id':
        return withStored(id, (c) => Response.json(c));
      case 'POST :id':
        return withStored(id, () => update(id, text));
      case 'DELETE :id':
        return withStored(id, () => {
          store.delete(id);
          return Response.json({ id, object: 'chat.completion.deleted', deleted: true });
        });
      case 'GET :id/messages':
        return withStored(id, () => Response.json(page(store.messages(id)!, pageQuery(url.searchParams))));
      default:
        return invalidURL(request.method, url.pathname);
    }
  }

  async function create(text: string, fault: Fault | undefined, signal: AbortSignal): Promise<Response> {
    const body = parse(text) as ChatCompletionCreateParams | undefined;
    if (!isObject(body)) return badRequest('We could not parse the JSON body of your request. The OpenAI API expects a JSON payload.');
    if (typeof body.model !== 'string' || !body.model) return badRequest('you must provide a model parameter', 'model');
    if (!Array.isArray(body.messages)) return badRequest("Missing required parameter: 'messages'.", 'messages', 'missing_required_parameter');
    if (body.messages.length === 0) return badRequest("Invalid 'messages': empty array. Expected an array with minimum length 1.", 'messages', 'empty_array');

    const refused = unknownModel(options.models, body.model) ?? strictProblem(body);
    if (refused) return refused;

    counter++;
    const reply = await nextReply(body);
    const includeUsage = body.stream_options?.include_usage === true;
    let chunks: ChatCompletionChunk[] | undefined;
    let completion: ChatCompletion;
    const id = `chatcmpl-fake${pad(counter)}`;
    if (Array.isArray(reply)) {
      chunks = reply;
      completion = await accumulateChatCompletion(
        (async function* () {
          yield* reply;
        })(),
      );
    } else if (typeof reply === 'string') {
      completion = completionOf(body, id, EPOCH + counter, reply);
    } else {
      completion = 'choices' in reply ? reply : completionOfAnswer(body, id, EPOCH + counter, reply);
    }
    if (body.store === true) store.add({ ...completion, metadata: body.metadata ?? {} }, body.messages);
    if (body.stream !== true) return Response.json(completion);

    // JSON has no words to stream by: a structured answer comes in pieces, as tokens would.
    const piece = body.response_format?.type === 'json_schema' ? JSON_PIECE : undefined;
    const { body: events, record } = eventStream(chunks ?? chunksOf(completion, includeUsage, piece), fault, signal);
    state.streams.push(record);
    return new Response(events, { headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' } });
  }

  async function nextReply(body: ChatCompletionCreateParams): Promise<FakeReply> {
    const { replies } = options;
    if (typeof replies === 'function') return (await replies(body)) ?? defaultContent(body);
    const reply = replies && scripted < replies.length ? replies[scripted++] : undefined;
    return reply ?? defaultContent(body);
  }

  function list(query: URLSearchParams): Response {
    const metadata: Record<string, string> = {};
    for (const [key, value] of query) {
      const match = /^metadata\[(.+)\]$/.exec(key);
      if (match?.[1] !== undefined) metadata[match[1]] = value;
    }
    return Response.json(page(store.list(query.get('model'), metadata), pageQuery(query)));
  }

  function update(id: string, text: string): Response {
    const body = parse(text);
    if (!isObject(body)) return badRequest('We could not parse the JSON body of your request. The OpenAI API expects a JSON payload.');
    const other = Object.keys(body).find((key) => key !== 'metadata');
    if (other !== undefined) return badRequest(`Unrecognized request argument supplied: ${other}. Only metadata can be updated.`, other);
    if (!('metadata' in body)) return badRequest("Missing required parameter: 'metadata'.", 'metadata', 'missing_required_parameter');
    const metadata = body.metadata;
    if (metadata !== null && !(isObject(metadata) && Object.values(metadata).every((v) => typeof v === 'string'))) {
      return badRequest("Invalid type for 'metadata': expected an object with string values, or null.", 'metadata', 'invalid_type');
    }
    const completion = store.get(id)!;
    completion.metadata = metadata as Record<string, string> | null;
    return Response.json(completion);
  }

  function withStored(id: string, use: (completion: NonNullable<ReturnType<typeof store.get>>) => Response): Response {
    const completion = store.get(id);
    return completion ? use(completion) : notFound(id);
  }

  return fake;
}

/** The API's 400 for a strict `json_schema` format or strict function tool whose schema it cannot use. */
function strictProblem(body: ChatCompletionCreateParams): Response | undefined {
  const format = body.response_format;
  // Without a schema there is nothing to check (a function that takes no parameters).
  if (format?.type === 'json_schema' && format.json_schema?.strict === true && format.json_schema.schema !== undefined) {
    const problem = strictSchemaProblem(format.json_schema.schema);
    if (problem) return badRequest(`Invalid schema for response_format '${format.json_schema.name}': ${problem}`, 'response_format');
  }
  for (const [i, tool] of (Array.isArray(body.tools) ? body.tools : []).entries()) {
    if (tool?.type !== 'function' || tool.function?.strict !== true || tool.function.parameters === undefined) continue;
    const problem = strictSchemaProblem(tool.function.parameters);
    if (problem) return badRequest(`Invalid schema for function '${tool.function.name}': ${problem}`, `tools[${i}].function.parameters`);
  }
  return undefined;
}

/** As `fetch` does: an abort rejects the call at once, whatever the handler is waiting for. */
function abortable(response: Promise<Response>, signal: AbortSignal): Promise<Response> {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    response.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function faulty(fault: Extract<Fault, { status: number }>, authorization: string | undefined): Response {
  const headers = { ...fault.headers };
  if (fault.echoAuthorization) {
    headers['x-echo-authorization'] = authorization ?? '';
    return errorResponse(fault.status, `Incorrect API key provided: ${authorization}.`, { code: 'invalid_api_key' }, headers);
  }
  if (typeof fault.body === 'string') return new Response(fault.body, { status: fault.status, headers });
  if (fault.body !== undefined) return Response.json(fault.body, { status: fault.status, headers });
  return errorResponse(
    fault.status,
    `The local API was told to fail with ${fault.status}.`,
    { type: fault.status >= 500 ? 'server_error' : 'invalid_request_error' },
    headers,
  );
}

/** `GET :id/messages` and the like; the id decoded, as the API sees it. */
function routeOf(method: string, pathname: string): { route: string; id: string } {
  const at = pathname.indexOf(PREFIX);
  if (at === -1) return { route: '', id: '' };
  const rest = pathname.slice(at + PREFIX.length);
  if (rest === '') return { route: `${method} `, id: '' };
  const segments = rest.slice(1).split('/');
  const id = decode(segments[0] ?? '');
  if (rest[0] !== '/' || !id) return { route: '', id: '' };
  if (segments.length === 1) return { route: `${method} :id`, id };
  if (segments.length === 2 && segments[1] === 'messages') return { route: `${method} :id/messages`, id };
  return { route: '', id: '' };
}

function pageQuery(query: URLSearchParams): PageQuery {
  const limit = Number(query.get('limit') ?? 20);
  return { after: query.get('after'), limit: Number.isInteger(limit) && limit > 0 ? limit : 20, order: query.get('order') === 'desc' ? 'desc' : 'asc' };
}

function parse(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A malformed escape is the client's problem, reported as a 404 for that literal id. */
function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Rate limits as the API reports them, counting down one request (and 1,000 tokens) a call. */
function rateLimitHeaders(requests: number): Record<string, string> {
  return {
    'x-ratelimit-limit-requests': '10000',
    'x-ratelimit-remaining-requests': String(10_000 - requests),
    'x-ratelimit-reset-requests': '8.64s',
    'x-ratelimit-limit-tokens': '200000',
    'x-ratelimit-remaining-tokens': String(200_000 - 1000 * requests),
    'x-ratelimit-reset-tokens': '6m0s',
  };
}
