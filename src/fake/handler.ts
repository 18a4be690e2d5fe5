import type { ChatCompletion, ChatCompletionChunk, ChatCompletionCreateParams } from '../types/index.js';
import { isObject } from '../structured/pointer.js';
import { refusedKey } from './access.js';
import { defaultContent } from './answer.js';
import type { FakeAnswer } from './answer.js';
import { create } from './create.js';
import { badRequest, errorResponse, invalidURL, notFound } from './errors.js';
import { faulty, wait } from './faults.js';
import type { Fault } from './faults.js';
import { pageQuery, parseBody, routeOf } from './routes.js';
import { createStore, page } from './store.js';
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
 * without `stream`). A completion or chunks are sent as they are; a text or `FakeAnswer` is
 * made into `n` choices, at most 1,000,000 characters together (a 400 says so past that).
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

const pad = (n: number) => String(n).padStart(6, '0');

/**
 * An in-memory Chat Completions API to test code offline: pass it as `fetch`. It answers
 * deterministically (`Echo: <last user text>`, or your scripted replies), stores completions
 * created with `store: true`, lists, pages, updates and deletes them as the real API does,
 * streams as it does, and fails on request (`fake.faults.push({ status: 429 })`). Every request
 * gets an answer: what the API refuses gets its 400 (`n` above 128, a name it does not take, a
 * strict schema it cannot use, a message that is not one), an answer the fake would make past
 * 1,000,000 characters (every choice together) gets a 400 that says so, and a scripted reply
 * that throws gets a 500 with its message.
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
    let response: Response;
    try {
      response = await answer(request);
    } catch (error) {
      // A scripted reply that throws, or a bug here: still an answer, never a dropped connection.
      response = errorResponse(500, `The fake could not answer: ${error instanceof Error ? error.message : String(error)}`, { type: 'server_error' });
    }
    requestCounter += 1;
    response.headers.set('x-request-id', `req_fake${pad(requestCounter)}`);
    for (const [name, value] of Object.entries(rateLimitHeaders(requestCounter))) response.headers.set(name, value);
    return response;
  }
  /** The next completion's number: 1, 2, … since the last reset. */
  function nextId(): number {
    counter += 1;
    return counter;
  }
  Object.assign(fake, state, {
    handle,
    reset() {
      store.clear();
      counter = 0;
      requestCounter = 0;
      scripted = 0;
      for (const list of [state.requests, state.faults, state.streams]) list.length = 0;
    },
  });
  Object.defineProperty(fake, Symbol.for('openai-chat-fetch.fake'), { value: true }); // answers in memory: the browser guard lets it be

  async function answer(request: Request): Promise<Response> {
    const text = request.method === 'GET' || request.method === 'HEAD' ? '' : await request.text();
    const headers = Object.fromEntries([...request.headers].map(([k, v]) => [k.toLowerCase(), v]));
    state.requests.push({ method: request.method, url: request.url, headers, body: parseBody(text) });
    const refused = refusedKey(options.apiKeys, headers);
    if (refused) return refused;

    const fault = state.faults.shift();
    if (fault && 'delayMs' in fault) await wait(fault.delayMs, request.signal);
    if (fault && 'status' in fault) return faulty(fault, headers.authorization);

    const url = new URL(request.url);
    const { route, id } = routeOf(request.method, url.pathname);
    switch (route) {
      case 'POST ':
        return create(text, fault, request.signal, { store, streams: state.streams, models: options.models, next: nextId, reply: nextReply });
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

  async function nextReply(body: ChatCompletionCreateParams): Promise<FakeReply> {
    const { replies } = options;
    if (typeof replies === 'function') return (await replies(body)) ?? defaultContent(body);
    if (!replies || scripted >= replies.length) return defaultContent(body);
    const reply = replies[scripted];
    scripted += 1;
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
    const body = parseBody(text);
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

/** As `fetch` does: an abort rejects the call at once, whatever the handler is waiting for. */
function abortable(response: Promise<Response>, signal: AbortSignal): Promise<Response> {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    response.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
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
