import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLocalAPI } from './server/handler.js';
import { serve } from './server/http.js';

// The local API is what every other test trusts, so it is checked against the real API's
// behaviour here with plain fetch, not through the SDK.
const api = createLocalAPI();
let server: Awaited<ReturnType<typeof serve>>;
let base: string;

beforeAll(async () => {
  server = await serve((request) => api.handle(request));
  base = `${server.baseURL}/chat/completions`;
});
afterAll(() => server.close());
beforeEach(() => api.reset());

const post = (url: string, body: unknown) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
const create = (extra: Record<string, unknown> = {}) => post(base, { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi you' }], ...extra });

async function expectError(response: Response, status: number, param: string | null) {
  expect(response.status).toBe(status);
  expect(response.headers.get('x-request-id')).toMatch(/^req_/);
  const { error } = await response.json();
  expect(Object.keys(error).sort()).toEqual(['code', 'message', 'param', 'type']);
  expect(error.param).toBe(param);
  expect(error.message).toMatch(/\S/);
  return error;
}

describe('the local API', () => {
  it('echoes the last user message with usage and a request id, storing nothing by default', async () => {
    const response = await post(base, {
      model: 'm',
      messages: [
        { role: 'user', content: 'one' },
        { role: 'assistant', content: 'x' },
        { role: 'user', content: [{ type: 'text', text: 'two' }] },
      ],
    });
    expect(response.headers.get('x-request-id')).toMatch(/^req_/);
    const completion = await response.json();
    expect(completion.choices[0].message.content).toBe('Echo: two');
    expect(completion.usage.total_tokens).toBe(completion.usage.prompt_tokens + completion.usage.completion_tokens);
    expect((await (await fetch(base)).json()).data).toEqual([]);
  });

  it('answers n choices', async () => {
    const completion = await (await create({ n: 3 })).json();
    expect(completion.choices.map((c: { index: number }) => c.index)).toEqual([0, 1, 2]);
  });

  it('rejects malformed JSON, a missing model and missing messages with 400s in the API shape', async () => {
    await expectError(await post(base, '{"model": '), 400, null);
    await expectError(await post(base, { messages: [] }), 400, 'model');
    expect((await expectError(await post(base, { model: 'm' }), 400, 'messages')).code).toBe('missing_required_parameter');
    await expectError(await post(base, { model: 'm', messages: [] }), 400, 'messages');
  });

  it('updates metadata only, and 404s unknown ids and routes', async () => {
    const { id } = await (await create({ store: true, metadata: { a: '1' } })).json();
    await expectError(await post(`${base}/${id}`, { metadata: { a: '2' }, model: 'x' }), 400, 'model');
    await expectError(await post(`${base}/${id}`, { metadata: { a: 2 } }), 400, 'metadata');
    expect((await (await post(`${base}/${id}`, { metadata: null })).json()).metadata).toBeNull();
    await expectError(await fetch(`${base}/nope`), 404, null);
    await expectError(await fetch(`${base}/${id}/other`), 404, null);
    await expectError(await fetch(`${server.baseURL}/models`), 404, null);
  });

  it('returns stored messages with ids and paginates them in both orders', async () => {
    const messages = ['a', 'b', 'c'].map((content) => ({ role: 'user', content }));
    const { id } = await (await post(base, { model: 'm', messages, store: true })).json();
    const first = await (await fetch(`${base}/${id}/messages?limit=2`)).json();
    expect(first).toMatchObject({ object: 'list', first_id: `${id}-0`, last_id: `${id}-1`, has_more: true });
    expect(first.data[0]).toMatchObject({ id: `${id}-0`, role: 'user', content: 'a', content_parts: null });
    const second = await (await fetch(`${base}/${id}/messages?limit=2&after=${id}-1`)).json();
    expect(second).toMatchObject({ data: [{ content: 'c' }], has_more: false });
    const desc = await (await fetch(`${base}/${id}/messages?order=desc`)).json();
    expect(desc.data.map((m: { content: string }) => m.content)).toEqual(['c', 'b', 'a']);
  });

  it('streams chunks shaped as the real API sends them, with a usage chunk on request', async () => {
    const response = await create({ stream: true, stream_options: { include_usage: true } });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const text = await response.text();
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
    const chunks = text
      .split('\n\n')
      .filter((e) => e && e !== 'data: [DONE]')
      .map((e) => JSON.parse(e.slice('data: '.length)));
    expect(chunks[0].choices[0].delta).toEqual({ role: 'assistant', content: '', refusal: null });
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('Echo: Hi you');
    expect(chunks.at(-2).choices[0].finish_reason).toBe('stop');
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { completion_tokens: 3 } });
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
  });

  it('injects faults once each, in order', async () => {
    api.faults.push({ status: 503 }, { status: 502, body: '<html>bad</html>', headers: { 'content-type': 'text/html' } });
    await expectError(await create(), 503, null);
    expect(await (await create()).text()).toBe('<html>bad</html>');
    expect((await create()).status).toBe(200);
  });

  it('cuts a stream after N chunks, cleanly or by dropping the connection', async () => {
    api.faults.push({ cutAfterChunks: 2, cutMode: 'close' });
    const text = await (await create({ stream: true })).text();
    expect(text.split('\n\n').filter(Boolean)).toHaveLength(2);
    api.faults.push({ cutAfterChunks: 2, cutMode: 'error' });
    await expect((await create({ stream: true })).text()).rejects.toThrow();
  });

  it('answers CORS preflights and exposes the request id to other origins', async () => {
    const preflight = await fetch(base, {
      method: 'OPTIONS',
      headers: { origin: 'http://page.test', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://page.test');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('authorization,content-type');
    const response = await fetch(base, { headers: { origin: 'http://page.test' } });
    expect(response.headers.get('access-control-expose-headers')).toContain('x-request-id');
  });

  it('serves the same answers in process through its fetch', async () => {
    const local = createLocalAPI();
    const response = await local.fetch('http://local.test/v1/chat/completions', {
      method: 'POST',
      body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'in process' }] }),
    });
    expect((await response.json()).choices[0].message.content).toBe('Echo: in process');
    expect(local.requests[0]).toMatchObject({ method: 'POST', url: 'http://local.test/v1/chat/completions', body: { model: 'm' } });
  });
});
