import { describe, expect, it } from 'vitest';
import { APIError, createChatCompletion } from '../../src/index.js';
import type { ChatCompletionChunk } from '../../src/index.js';
import { caught, readAll } from '../helpers/streams.js';
import { UPSTREAM_KEY, useRelay } from '../helpers/relay.js';

// What the page hears of the upstream's failures: the API's error format with a status it can
// act on, and nothing of the server (key, address, stack); the full error goes to onError.
const relay = useRelay({ replies: (body) => (body.messages.at(-1)?.content === 'echo the key' ? `Your key is ${UPSTREAM_KEY}.` : undefined) });
const hello = [{ role: 'user' as const, content: 'hi' }];

/** A raw create through the relay: the status, headers and text the page gets. */
async function ask(extra: Record<string, unknown> = {}): Promise<{ status: number; headers: Headers; text: string; error: Record<string, unknown> }> {
  const response = await fetch(`${relay.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: 'Bearer token-alice', 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages: hello, ...extra }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, error: response.ok ? {} : JSON.parse(text).error };
}

/** Nothing of the server: the key, the upstream's address, a stack. */
function expectNothingOfTheServer(text: string): void {
  for (const leak of [UPSTREAM_KEY, 'sk-relay', relay.upstream.url, relay.upstream.url.replace('http://', ''), '    at ']) expect(text).not.toContain(leak);
}

describe('upstream failures, as the page hears them', () => {
  it.each([401, 403])("an upstream %i (the relay's key) is a 502 that says only that", async (status) => {
    relay.fake.faults.push({ status, echoAuthorization: true });
    const { status: answered, headers, text, error } = await ask();
    expect(answered).toBe(502);
    expect(error).toEqual({ message: "The upstream refused the relay's credentials.", type: 'server_error', param: null, code: 'upstream_credentials' });
    expect(headers.get('x-should-retry')).toBe('false');
    expectNothingOfTheServer(text + JSON.stringify([...headers]));
    expect(relay.errors).toHaveLength(1);
    expect(relay.errors[0]).toMatchObject({
      user: 'alice',
      status: 502,
      error: { name: status === 401 ? 'AuthenticationError' : 'PermissionDeniedError', status },
    });
    expect(JSON.stringify(relay.errors[0]!.error)).not.toContain(UPSTREAM_KEY);
  });

  it('an upstream 429 is a 429 with retry-after, which the SDK reads', async () => {
    relay.fake.faults.push({ status: 429, headers: { 'retry-after': '7' } });
    const { status, headers, error } = await ask();
    expect(status).toBe(429);
    expect(headers.get('retry-after')).toBe('7');
    expect(headers.get('retry-after-ms')).toBe('7000');
    expect(error.code).toBe('rate_limit_exceeded');
    relay.fake.faults.push({ status: 429 });
    const thrown = await caught<APIError>(createChatCompletion({ model: 'gpt-4o-mini', messages: hello }, relay.page()));
    expect(thrown).toMatchObject({ status: 429, headers: { 'retry-after': '1' } });
  });

  it("an upstream 400 about the page's request keeps the API's own words", async () => {
    const body = { error: { message: 'Invalid value for temperature: 7.', type: 'invalid_request_error', param: 'temperature', code: 'invalid_value' } };
    relay.fake.faults.push({ status: 400, body });
    const thrown = await caught<APIError>(createChatCompletion({ model: 'gpt-4o-mini', messages: hello, temperature: 7 }, relay.page()));
    expect(thrown).toMatchObject({ status: 400, message: '400 Invalid value for temperature: 7.', param: 'temperature', code: 'invalid_value' });
  });

  it.each([
    [500, 502, 'upstream_error'],
    [502, 502, 'upstream_error'],
    [503, 503, 'upstream_unavailable'],
    [404, 502, 'upstream_error'],
  ])('an upstream %i is a %i (%s), its body kept here', async (status, expected, code) => {
    relay.fake.faults.push({ status, body: `<html>${relay.upstream.url} nginx says no, key ${UPSTREAM_KEY}</html>` });
    const { status: answered, text, error } = await ask();
    expect({ answered, code: error.code }).toEqual({ answered: expected, code });
    expectNothingOfTheServer(text);
  });

  it('an upstream that cannot be reached is a 503 that names no address', async () => {
    relay.use({ baseURL: 'http://127.0.0.1:9/v1' });
    const { status, text, error } = await ask();
    expect({ status, code: error.code }).toEqual({ status: 503, code: 'upstream_unavailable' });
    expect(text).not.toContain('127.0.0.1:9');
    expect(relay.errors[0]!.error).toMatchObject({ name: 'APIConnectionError' });
  });

  it('an upstream that answers a stream with JSON is a 502', async () => {
    relay.use({ upstream: { fetch: async () => Response.json({ id: 'x', choices: [] }) } });
    const { status, error } = await ask({ stream: true });
    expect({ status, code: error.code }).toEqual({ status: 502, code: 'upstream_invalid' });
  });

  it('names the content type of an upstream answer that is no stream with the key masked, for the server', async () => {
    relay.use({ upstream: { fetch: async () => new Response('{}', { headers: { 'content-type': `text/plain; echo=${UPSTREAM_KEY}` } }) } });
    const { status, error } = await ask({ stream: true });
    expect({ status, code: error.code }).toEqual({ status: 502, code: 'upstream_invalid' });
    expect(String(relay.errors[0]!.error)).toBe('InvalidResponseError: Expected a text/event-stream answer, got text/plain; echo=[REDACTED].');
  });

  it('a stream cut mid-answer ends with an error event: the SDK raises it after the chunks before it', async () => {
    relay.fake.faults.push({ cutAfterChunks: 3, cutMode: 'error' });
    const stream = await createChatCompletion({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'a b c d e f g' }], stream: true }, relay.page());
    const { values, error } = await readAll<ChatCompletionChunk>(stream);
    expect(values).toHaveLength(3);
    expect(error).toBeInstanceOf(APIError);
    expect(error).toMatchObject({ code: 'upstream_stream_failed', message: '200 The upstream stream failed before the answer finished; try again.' });
    expect(relay.usage).toEqual([{ user: 'alice', model: 'gpt-4o-mini', usage: null, requestId: 'req_fake000001' }]);
    expect(relay.errors).toHaveLength(1);
  });

  it('an upstream that goes silent mid-stream is timed out by the relay (its idle time-out), and the page told', async () => {
    relay.use({ upstream: { timeout: 300 } });
    relay.fake.faults.push({ stallAfterChunks: 2 });
    const stream = await createChatCompletion({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'a b c d' }], stream: true }, relay.page());
    const { values, error } = await readAll<ChatCompletionChunk>(stream);
    expect(values).toHaveLength(2);
    expect(error).toMatchObject({ code: 'upstream_stream_failed' });
    expect(relay.errors[0]!.error).toMatchObject({ name: 'APIConnectionTimeoutError' });
  });

  it("sends a query in baseURL (Azure's api-version) with every call, the relay's headers, and none of the page's", async () => {
    relay.use({ baseURL: `${relay.upstream.baseURL}/?api-version=2024-10-21`, upstream: { project: 'proj_1', headers: { 'x-team': 'relay' } } });
    await createChatCompletion({ model: 'gpt-4o-mini', messages: hello }, relay.page({ headers: { 'x-team': 'page', 'x-page': 'yes' } }));
    const [sent] = relay.fake.requests;
    expect(new URL(sent!.url).pathname).toBe('/v1/chat/completions');
    expect(new URL(sent!.url).searchParams.get('api-version')).toBe('2024-10-21');
    expect(sent!.headers).toMatchObject({ authorization: `Bearer ${UPSTREAM_KEY}`, 'openai-project': 'proj_1', 'x-team': 'relay' });
    expect(sent!.headers['x-page']).toBeUndefined();
  });

  it('masks the key if the upstream echoes it, in a whole answer and in a stream', async () => {
    const whole = await createChatCompletion({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'echo the key' }] }, relay.page());
    expect(whole.choices[0]!.message.content).toBe('Your key is [REDACTED].');
    const response = await fetch(`${relay.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer token-alice', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'echo the key' }], stream: true }),
    });
    const text = await response.text();
    expect(text).not.toContain(UPSTREAM_KEY);
    expect(text).toContain('[REDACTED]');
  });
});
