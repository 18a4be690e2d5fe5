import type { ChatCompletionCreateParams } from '../../src/index.js';
import { badRequest, errorResponse, invalidURL, notFound } from './errors.js';
import { wait } from './faults.js';
import type { Fault } from './faults.js';
import { answerOf, chunksOf, completionOf } from './replies.js';
import { createStore, page } from './store.js';
import type { PageQuery } from './store.js';
import { eventStream } from './stream.js';
import type { StreamRecord } from './stream.js';

export type { Fault } from './faults.js';
export type { StreamRecord } from './stream.js';

/** A request as the local API received it; header names lower-cased. */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  /** The parsed JSON body, the raw text if it was not JSON, or undefined without a body. */
  body: unknown;
}

export interface LocalAPI {
  /** The whole API: one web-standard handler. */
  handle(request: Request): Promise<Response>;
  /** The handler as a fetch-compatible function, for in-process use. */
  fetch: typeof fetch;
  requests: RecordedRequest[];
  /** Faults for the next requests, used once each, first in first out. */
  faults: Fault[];
  /** One record per streamed answer, in order. */
  streams: StreamRecord[];
  /** Forgets stored completions, requests, faults and streams; ids start again. */
  reset(): void;
}

const PREFIX = '/chat/completions';
/** A fixed clock, so answers are the same on every run. */
const EPOCH = 1_730_000_000;

/**
 * The Chat Completions API in memory: replies `Echo: <last user text>`, stores completions
 * created with `store: true`, and lists, pages, updates and deletes them as the real API does.
 */
export function createLocalAPI(): LocalAPI {
  const store = createStore();
  let counter = 0;
  let requestCounter = 0;

  const api: LocalAPI = {
    requests: [],
    faults: [],
    streams: [],
    async handle(request) {
      const requestId = `req_local${String(++requestCounter).padStart(6, '0')}`;
      const response = await answer(request);
      response.headers.set('x-request-id', requestId);
      return response;
    },
    fetch: (input, init) => api.handle(new Request(input, init)),
    reset() {
      store.clear();
      counter = 0;
      requestCounter = 0;
      api.requests.length = 0;
      api.faults.length = 0;
      api.streams.length = 0;
    },
  };

  async function answer(request: Request): Promise<Response> {
    const text = request.method === 'GET' || request.method === 'HEAD' ? '' : await request.text();
    const headers = Object.fromEntries([...request.headers].map(([k, v]) => [k.toLowerCase(), v]));
    api.requests.push({ method: request.method, url: request.url, headers, body: parse(text) });

    const fault = api.faults.shift();
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
        return withStored(id, () => (store.delete(id), Response.json({ id, object: 'chat.completion.deleted', deleted: true })));
      case 'GET :id/messages':
        return withStored(id, () => Response.json(page(store.messages(id)!, pageQuery(url.searchParams))));
      default:
        return invalidURL(request.method, url.pathname);
    }
  }

  function create(text: string, fault: Fault | undefined, signal: AbortSignal): Response {
    const body = parse(text) as ChatCompletionCreateParams | undefined;
    if (!isObject(body)) return badRequest('We could not parse the JSON body of your request. The OpenAI API expects a JSON payload.');
    if (typeof body.model !== 'string' || !body.model) return badRequest('you must provide a model parameter', 'model');
    if (!Array.isArray(body.messages)) return badRequest("Missing required parameter: 'messages'.", 'messages', 'missing_required_parameter');
    if (body.messages.length === 0) return badRequest("Invalid 'messages': empty array. Expected an array with minimum length 1.", 'messages', 'empty_array');

    counter++;
    const a = answerOf(body, `chatcmpl-local${String(counter).padStart(6, '0')}`, EPOCH + counter);
    if (body.store === true) store.add(completionOf(a, body.metadata ?? {}), body.messages);
    if (body.stream !== true) return Response.json(completionOf(a, null));

    const { body: events, record } = eventStream(chunksOf(a, body.stream_options?.include_usage === true), fault, signal);
    api.streams.push(record);
    return new Response(events, { headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' } });
  }

  function list(query: URLSearchParams): Response {
    const metadata: Record<string, string> = {};
    for (const [key, value] of query) {
      const match = /^metadata\[(.+)\]$/.exec(key);
      if (match) metadata[match[1]] = value;
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

  return api;
}

function faulty(fault: Extract<Fault, { status: number }>, authorization: string | undefined): Response {
  const headers = { ...fault.headers };
  if (fault.echoAuthorization) {
    headers['x-echo-authorization'] = authorization ?? '';
    return errorResponse(fault.status, `Incorrect API key provided: ${authorization}.`, { code: 'invalid_api_key' }, headers);
  }
  if (typeof fault.body === 'string') return new Response(fault.body, { status: fault.status, headers });
  if (fault.body !== undefined) return Response.json(fault.body, { status: fault.status, headers });
  return errorResponse(fault.status, `The local API was told to fail with ${fault.status}.`, { type: fault.status >= 500 ? 'server_error' : 'invalid_request_error' }, headers);
}

/** `GET :id/messages` and the like; the id decoded, as the API sees it. */
function routeOf(method: string, pathname: string): { route: string; id: string } {
  const at = pathname.indexOf(PREFIX);
  if (at === -1) return { route: '', id: '' };
  const rest = pathname.slice(at + PREFIX.length);
  if (rest === '') return { route: `${method} `, id: '' };
  const segments = rest.slice(1).split('/');
  const id = decode(segments[0]);
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
