import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  APIConnectionTimeoutError,
  APIError,
  InvalidResponseError,
  accumulateChatCompletion,
  createChatCompletion,
  createClient,
  deleteChatCompletion,
  getChatCompletion,
  getChatCompletionMessages,
  listChatCompletions,
  paginateChatCompletions,
  parseServerSentEvents,
  toServerSentEvents,
  updateChatCompletion,
} from '../src/index.js';
import type { RequestOptions } from '../src/index.js';
import { createLocalAPI } from './server/handler.js';
import { chunkEvent, eventStream, everyFormOf, json, useHostileServer } from './helpers/hostile.js';
import { caught, readAll } from './helpers/streams.js';

// What a compatible server that misbehaves on purpose can and cannot do, over real HTTP on
// 127.0.0.1. Each block is one kind of attack; the README's Options, Errors ("What is masked") and
// "Redirects and your key" sections are the contract.
const hostile = useHostileServer();
beforeEach(() => hostile.reset());

const KEY = 'sk-proj-REALsecretKEY0123456789abcdefABCDEF';
const options = (extra: RequestOptions = {}): RequestOptions => ({ baseURL: hostile.server.baseURL, apiKey: KEY, maxRetries: 0, ...extra });
const body = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'hi' }] };
const streamBody = { ...body, stream: true as const };

const proto = Object.prototype as Record<string, unknown>;
/** Own properties of Object.prototype: a merge that wrote through to it adds one. */
const prototypeKeys = () => Object.getOwnPropertyNames(Object.prototype).sort();
const cleanPrototype = prototypeKeys();

describe('prototype pollution', () => {
  it('a streamed __proto__ in a delta or at the top level reaches no prototype, and the next call goes where it should', async () => {
    const poison = '{"baseURL":"http://attacker.invalid/v1","polluted":"yes"}';
    hostile.answer = () =>
      eventStream([
        `data: {"choices":[{"index":0,"delta":{"content":"Hello","__proto__":${poison}},"finish_reason":"stop"}],"__proto__":${poison}}\n\n`,
        'data: [DONE]\n\n',
      ]);
    const completion = await accumulateChatCompletion(await createChatCompletion(streamBody, options()));
    expect(completion.choices[0]!.message.content).toBe('Hello');
    expect(prototypeKeys()).toEqual(cleanPrototype);
    expect(({} as Record<string, unknown>).baseURL).toBeUndefined();

    hostile.answer = () => json({ object: 'list', data: [], has_more: false, first_id: null, last_id: null });
    await listChatCompletions({}, options());
    expect(hostile.seen).toHaveLength(2);
    expect(new URL(hostile.seen[1]!.url).search).toBe('');
  });

  it('even an already polluted Object.prototype cannot redirect a request, add a header or a query parameter', async () => {
    hostile.answer = () => json({ object: 'list', data: [], has_more: false, first_id: null, last_id: null });
    // What our own option, header and query reads could pick up (the runtime's own internals
    // read some names, such as `signal`, from plain objects too: polluting those breaks Node itself).
    const polluted = {
      baseURL: 'http://attacker.invalid/v1',
      headers: { 'x-evil': '1' },
      'x-evil': '1',
      apiKey: 'sk-attacker',
      limit: 999,
      evil: '1',
      dangerouslyAllowBrowser: true,
    };
    Object.assign(proto, polluted);
    try {
      const client = createClient({ baseURL: hostile.server.baseURL, apiKey: KEY, maxRetries: 0 });
      await client.listChatCompletions({ order: 'asc' });
      await listChatCompletions({}, { baseURL: hostile.server.baseURL, apiKey: KEY, maxRetries: 0, headers: { 'x-mine': 'ok' }, query: { mine: '1' } });
    } finally {
      for (const name of Object.keys(polluted)) delete proto[name];
    }
    expect(hostile.seen).toHaveLength(2);
    const [first, second] = hostile.seen;
    expect(new URL(first!.url).search).toBe('?order=asc');
    expect(new URL(second!.url).search).toBe('?mine=1');
    for (const { headers } of hostile.seen) {
      expect(headers['x-evil']).toBeUndefined();
      expect(headers.authorization).toBe(`Bearer ${KEY}`);
    }
  });

  it('keeps __proto__ as data in headers and options a user passes (from JSON config)', async () => {
    hostile.answer = () => json({ object: 'list', data: [], has_more: false, first_id: null, last_id: null });
    const fromConfig = JSON.parse('{"headers":{"__proto__":{"x":"1"},"x-ok":"1"},"query":{"__proto__":"q"}}');
    await caught(listChatCompletions({}, options(fromConfig))).then(
      (error) => expect(error.message).toMatch(/header/),
      () => undefined,
    );
    expect(prototypeKeys()).toEqual(cleanPrototype);
  });

  it('random chunk trees with hostile keys and indices leave Object.prototype untouched (property test)', async () => {
    const hostileKey = fc.constantFrom(
      '__proto__',
      'constructor',
      'prototype',
      'toString',
      'hasOwnProperty',
      'index',
      'content',
      'choices',
      'delta',
      'tool_calls',
    );
    const leaf = fc.oneof(fc.string({ maxLength: 5 }), fc.integer(), fc.constant(null), fc.boolean());
    const tree = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('node'), { maxLength: 3 }), fc.dictionary(hostileKey, tie('node'), { maxKeys: 4 })),
    })).node;
    const index = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom(2147483647, -2147483648, 1e308, 1.5, '0', '__proto__', null));
    const chunk = fc.record({
      choices: fc.array(fc.record({ index, delta: tree, finish_reason: fc.constantFrom(null, 'stop') }), { maxLength: 3 }),
      extra: tree,
    });
    await fc.assert(
      fc.asyncProperty(fc.array(chunk, { minLength: 1, maxLength: 6 }), async (chunks) => {
        // Spelled as a server would send them: JSON text, where __proto__ is an ordinary key.
        const text = chunks.map((c) => `data: ${JSON.stringify(c).replaceAll('"extra":', '"__proto__":')}\n\n`).join('') + 'data: [DONE]\n\n';
        const stream = parseServerSentEvents(new Response(text).body!);
        await accumulateChatCompletion(stream).catch(() => undefined);
        expect(prototypeKeys()).toEqual(cleanPrototype);
        expect(Object.getPrototypeOf({})).toBe(Object.prototype);
      }),
      { numRuns: 300 },
    );
  });
});

describe('the key never leaves in a stream error', () => {
  const echoes: [string, string[]][] = [
    ['an event: error', [chunkEvent('a'), `event: error\ndata: {"error":{"message":"upstream rejected Bearer ${KEY}","type":"auth","code":"${KEY}"}}\n\n`]],
    ['a data: {"error"} line', [chunkEvent('a'), `data: {"error":{"message":"bad key ${KEY}","param":"${KEY}"}}\n\n`]],
    ['a JSON-escaped echo', [chunkEvent('a'), `data: {"error":{"message":"bad key \\u0073${KEY.slice(1)}"}}\n\n`]],
    ['a non-JSON data line', [chunkEvent('a'), `data: upstream said: invalid key ${KEY}\n\n`]],
    ['a non-JSON error event', [chunkEvent('a'), `event: error\ndata: invalid key ${KEY}\n\n`]],
    ['an echo in a response header', [chunkEvent('a'), 'data: {"error":{"message":"failed"}}\n\n']],
  ];

  it.each(echoes)('%s: no form of the error holds it, nor what the proxy writes', async (_, pieces) => {
    hostile.answer = () => eventStream(pieces, { headers: { 'x-echo': `Bearer ${KEY}`, 'x-request-id': 'req_h' } });
    const { values, error } = await readAll(await createChatCompletion(streamBody, options()));
    expect(values).toHaveLength(1);
    expect(error).toBeInstanceOf(error instanceof APIError ? APIError : InvalidResponseError);
    expect(await everyFormOf(error)).not.toContain(KEY);
    expect((error as APIError).requestId).toBe('req_h');

    const proxied = new TextDecoder().decode(Buffer.concat((await readAll(toServerSentEvents(await createChatCompletion(streamBody, options())))).values));
    expect(proxied).not.toContain(KEY);
    expect(proxied).not.toContain(KEY.slice(1));
    expect(proxied).toContain('event: error');
  });

  it('masks a key echoed inside an ordinary chunk, so a proxy never sends it to a page', async () => {
    const escaped = `data: {"choices":[{"index":0,"delta":{"content":" or \\u0073${KEY.slice(1)}"},"finish_reason":"stop"}]}\n\n`;
    hostile.answer = () => eventStream([chunkEvent(`your key is ${KEY}`), escaped, 'data: [DONE]\n\n']);
    const proxied = new TextDecoder().decode(Buffer.concat((await readAll(toServerSentEvents(await createChatCompletion(streamBody, options())))).values));
    expect(proxied).not.toContain(KEY.slice(1));
    expect(proxied).toContain('your key is [REDACTED]');
  });

  it('masks the key in whole-body errors in any JSON spelling, and in the excerpt of a 2xx that is not an object', async () => {
    hostile.answer = () => json(`["bad key \\u0073${KEY.slice(1)}"]`);
    const error = await caught(listChatCompletions({}, options()));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(await everyFormOf(error)).not.toContain(KEY.slice(1));
    expect(error.message).toContain('[REDACTED]');
  });
});

describe('hostile indices', () => {
  it.each([2147483647, 1e9, -1, 1.5])('a choice or tool call at index %s costs milliseconds', async (index) => {
    const chunk = {
      id: 'c',
      object: 'chat.completion.chunk',
      created: 1,
      model: 'm',
      choices: [{ index, delta: { tool_calls: [{ index, id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}' } }] }, finish_reason: 'stop' }],
    };
    hostile.answer = () => eventStream([`data: ${JSON.stringify(chunk)}\n\n`, 'data: [DONE]\n\n']);
    const started = Date.now();
    await accumulateChatCompletion(await createChatCompletion(streamBody, options())).catch((error: unknown) => error);
    // Not a speed assertion: a sparse array filled to 2^31 takes ~40 s; this bounds a hang.
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe('undefined means "not given"', () => {
  it("keeps a client's baseURL and key when a call passes them as undefined", async () => {
    hostile.answer = () => json({ object: 'list', data: [], has_more: false, first_id: null, last_id: null });
    const client = createClient({ baseURL: hostile.server.baseURL, apiKey: 'sk-client', maxRetries: 0 });
    await client.listChatCompletions(
      {},
      { baseURL: undefined, apiKey: undefined, timeout: undefined, maxRetries: undefined, headers: undefined, fetch: undefined },
    );
    expect(hostile.seen).toHaveLength(1);
    expect(hostile.seen[0]!.headers.authorization).toBe('Bearer sk-client');
  });

  it('random option objects with undefined holes keep every default (property test)', async () => {
    const defaults: RequestOptions = {
      baseURL: hostile.server.baseURL,
      apiKey: 'sk-client',
      organization: 'org-c',
      project: 'proj-c',
      maxRetries: 0,
      timeout: 5000,
      headers: { 'x-client': 'c' },
      query: { client: 'c' },
    };
    const names = ['baseURL', 'apiKey', 'organization', 'project', 'maxRetries', 'timeout', 'headers', 'query', 'fetch', 'signal', 'extraBody'] as const;
    hostile.answer = () => json({ object: 'list', data: [], has_more: false, first_id: null, last_id: null });
    await fc.assert(
      fc.asyncProperty(fc.subarray([...names]), async (holes) => {
        hostile.reset();
        const call = Object.fromEntries(holes.map((name) => [name, undefined])) as RequestOptions;
        await createClient(defaults).listChatCompletions({}, call);
        const [seen] = hostile.seen;
        expect(seen!.headers).toMatchObject({ authorization: 'Bearer sk-client', 'openai-organization': 'org-c', 'openai-project': 'proj-c', 'x-client': 'c' });
        expect(new URL(seen!.url).search).toBe('?client=c');
      }),
      { numRuns: 60 },
    );
  });
});

describe('pagination always ends', () => {
  const page = (data: unknown[], last: string | null, more = true) => json({ object: 'list', data, has_more: more, first_id: null, last_id: last });

  it('stops at an empty page that claims more, over HTTP', async () => {
    hostile.answer = () => page([], 'x');
    const seen: unknown[] = [];
    for await (const item of paginateChatCompletions({}, options())) seen.push(item);
    expect(seen).toEqual([]);
    expect(hostile.seen).toHaveLength(1);
  });

  it('stops at a cursor it has seen before', async () => {
    hostile.answer = () => page([{ id: 'a' }], 'a');
    const ids: string[] = [];
    for await (const item of paginateChatCompletions({}, options())) ids.push(item.id);
    expect(ids).toEqual(['a', 'a']);
    expect(hostile.seen).toHaveLength(2);
  });

  it('lets timers fire between pages of an in-process fetch that never ends', async () => {
    let pages = 0;
    const endless = async () => {
      pages++;
      return json({ object: 'list', data: [{ id: `c${pages}` }], has_more: true, first_id: null, last_id: `c${pages}` });
    };
    let timerFired = false;
    setTimeout(() => {
      timerFired = true;
    }, 20);
    for await (const item of paginateChatCompletions({}, { apiKey: KEY, fetch: endless, maxRetries: 0 })) {
      expect(item.id).toBeTypeOf('string');
      if (timerFired) break;
    }
    expect(timerFired).toBe(true);
  });
});

describe('the idle time-out measures the server, not the consumer', () => {
  const answer = () => eventStream([chunkEvent('a'), chunkEvent('b'), chunkEvent('c'), chunkEvent(null, 'stop'), 'data: [DONE]\n\n']);
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('a consumer taking longer than the time-out per chunk still gets the whole answer', async () => {
    hostile.answer = answer;
    const stream = await createChatCompletion(streamBody, options({ timeout: 300 }));
    let text = '';
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      await sleep(450);
    }
    expect(text).toBe('abc');
  });

  it('a consumer that starts reading late still gets the whole answer', async () => {
    hostile.answer = answer;
    const stream = await createChatCompletion(streamBody, options({ timeout: 300 }));
    await sleep(700);
    const completion = await accumulateChatCompletion(stream);
    expect(completion.choices[0]!.message.content).toBe('abc');
  });

  it('a server silent past the time-out while the SDK waits still times out, saying the figure', async () => {
    hostile.answer = () => eventStream([chunkEvent('a'), chunkEvent('b')], { delayMs: 1_500 });
    const { values, error } = await readAll(await createChatCompletion(streamBody, options({ timeout: 300 })));
    expect(values).toHaveLength(1);
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    expect(error!.message).toMatch(/nothing received for 300 ms \(POST http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions\)/);
  });
});

describe('ids cannot change the endpoint', () => {
  const ids = ['.', '..', '/', '?', '#', 'a/../..', '%2e%2e', '..%2f', ' ', 'chatcmpl-ok', '\ud800', 'a\udc00b', 'é'];

  it.each(ids)('id %j: one request to /chat/completions/{id}, or a usage error and no request', async (id) => {
    hostile.answer = () => json({ id, object: 'chat.completion', created: 1, model: 'm', choices: [], deleted: true, data: [], has_more: false });
    const calls = [
      () => getChatCompletion(id, options()),
      () => getChatCompletionMessages(id, {}, options()),
      () => updateChatCompletion(id, { metadata: {} }, options()),
      () => deleteChatCompletion(id, options()),
    ];
    for (const call of calls) {
      hostile.reset();
      const outcome = await call().then(
        () => 'sent',
        (error: Error) => error.name,
      );
      if (outcome === 'sent') {
        expect(hostile.seen).toHaveLength(1);
        const path = new URL(hostile.seen[0]!.url).pathname;
        expect(path).toMatch(/^\/v1\/chat\/completions\/[^/]+(\/messages)?$/);
        expect(decodeURIComponent(path.split('/')[4]!)).toBe(id);
      } else {
        expect(outcome).toBe('OpenAIError');
        expect(hostile.seen).toHaveLength(0);
      }
    }
  });
});

describe('errors cost their size', () => {
  it('reads at most ~1 MiB of a 150 MB error page, and keeps only what it reports', async () => {
    let sent = 0;
    const piece = new TextEncoder().encode(`<p>${'x'.repeat(65_530)}</p>`);
    hostile.answer = () =>
      new Response(
        new ReadableStream<Uint8Array>({
          pull(controller) {
            if (sent >= 150e6) return controller.close();
            sent += piece.length;
            controller.enqueue(piece);
          },
        }),
        { status: 502, headers: { 'content-type': 'text/html' } },
      );
    const error = (await caught(listChatCompletions({}, options()))) as APIError;
    expect(error).toBeInstanceOf(APIError);
    expect(error.status).toBe(502);
    expect(error.message.length).toBeLessThan(300);
    expect(JSON.stringify(error.error).length).toBeLessThan(400);
    // What the server managed to push before the SDK hung up: the cap plus socket buffers.
    expect(sent).toBeLessThan(20e6);
  });
});

describe('deep nesting is still an answer', () => {
  const deep = '['.repeat(200_000) + ']'.repeat(200_000);

  it('a 400 nested 200,000 arrays deep is an APIError with its status, not a retried connection error', async () => {
    hostile.answer = () => json(deep, 400);
    const error = (await caught(listChatCompletions({}, options({ maxRetries: 2 })))) as APIError;
    expect(error).toBeInstanceOf(APIError);
    expect(error.status).toBe(400);
    expect(hostile.seen).toHaveLength(1);
  });

  it('in a stream: an InvalidResponseError, and an error event nested deep is an APIError', async () => {
    hostile.answer = () => eventStream([chunkEvent('a'), `data: ${deep}\n\n`]);
    const first = await readAll(await createChatCompletion(streamBody, options()));
    expect(first.error).toBeInstanceOf(InvalidResponseError);
    hostile.answer = () => eventStream([chunkEvent('a'), `event: error\ndata: {"error":${deep}}\n\n`]);
    const second = await readAll(await createChatCompletion(streamBody, options()));
    expect(second.error).toBeInstanceOf(APIError);
  });
});

describe('redaction changes only the secret', () => {
  it('an apiKey of "null" leaves a 400 a 400, sent once', async () => {
    hostile.answer = () =>
      json({ error: { message: 'Invalid value for temperature', type: 'invalid_request_error', param: null, code: null } }, 400, { 'x-request-id': 'req_1' });
    const error = (await caught(listChatCompletions({}, options({ apiKey: 'null', maxRetries: 2 })))) as APIError;
    expect(error).toBeInstanceOf(APIError);
    expect(error.message).toBe('400 Invalid value for temperature');
    expect(error.param).toBeNull();
    expect(error.requestId).toBe('req_1');
    expect(hostile.seen).toHaveLength(1);
  });

  it.each(['re', 'x', 'id', '-', 'retry', 'a'])('a short key %j leaves header names, status and retry-after intact', async (key) => {
    let calls = 0;
    hostile.answer = () =>
      calls++ === 0
        ? json({ error: { message: 'busy' } }, 429, { 'retry-after-ms': '1', 'x-request-id': 'zzz' })
        : json({ object: 'list', data: [], has_more: false });
    const list = await listChatCompletions({}, options({ apiKey: key, maxRetries: 1 }));
    expect(list.object).toBe('list');
    expect(hostile.seen).toHaveLength(2);
  });
});

describe('the local API keeps working in process', () => {
  it('answers through an in-process fetch as before', async () => {
    const local = createLocalAPI();
    const completion = await createChatCompletion(body, { baseURL: 'https://fake.invalid/v1', apiKey: KEY, fetch: local.fetch });
    expect(completion.choices[0]!.message.content).toBe('Echo: hi');
  });
});
