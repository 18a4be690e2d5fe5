import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { APIError, createChatCompletion } from '../../src/index.js';
import { caught } from '../helpers/streams.js';
import { UPSTREAM_KEY, useRelay } from '../helpers/relay.js';

// A hostile page tries everything an open relay would let through. Each attempt gets a clear
// 4xx in the API's error format, and the upstream sees nothing: the fake counts every request.
const relay = useRelay();
const hello = [{ role: 'user' as const, content: 'hi' }];

afterEach(() => {
  expect(relay.fake.requests).toEqual([]);
});

/** A raw POST to the relay's create route, as a page that does not use the SDK would send it. */
function post(body: string, headers: Record<string, string> = {}, path = '/v1/chat/completions'): Promise<Response> {
  return fetch(relay.url + path, { method: 'POST', headers: { authorization: 'Bearer token-alice', 'content-type': 'application/json', ...headers }, body });
}

/** The refusal's status and error object; nothing of the server in it. */
async function refusal(response: Response): Promise<{ status: number; code: string; message: string; param: unknown }> {
  const text = await response.text();
  for (const secret of [UPSTREAM_KEY, relay.upstream.url, '127.0.0.1', 'at ']) expect(text).not.toContain(secret);
  const { error } = JSON.parse(text);
  expect(Object.keys(error).sort()).toEqual(['code', 'message', 'param', 'type']);
  return { status: response.status, code: error.code, message: error.message, param: error.param };
}

const json = (value: unknown) => JSON.stringify(value);

describe('a hostile page', () => {
  it('asks for a model not allowed: the SDK raises a 400 that names it', async () => {
    const error = await caught<APIError>(createChatCompletion({ model: 'gpt-5-pro', messages: hello }, relay.page()));
    expect(error).toBeInstanceOf(APIError);
    expect(error).toMatchObject({ status: 400, code: 'model_not_allowed', param: 'model' });
    expect(error.message).toBe('400 The model "gpt-5-pro" is not available through this relay.');
  });

  it('sends a body over the cap: 413', async () => {
    const big = json({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x'.repeat(2 * 1024 * 1024) }] });
    expect(await refusal(await post(big))).toMatchObject({ status: 413, code: 'request_too_large' });
  });

  it('sends a body that never ends: 413 at the cap, and the connection closes', async () => {
    relay.use({ maxBodyBytes: 64 * 1024 });
    const { status, body, closed } = await endlessBody();
    expect(status).toBe(413);
    expect(JSON.parse(body).error.code).toBe('request_too_large');
    expect(closed).toBe(true);
  });

  it('keeps sending after its 413: the relay closes only its side, and reads on until the page is quiet', async () => {
    relay.use({ maxBodyBytes: 16 * 1024 });
    const { answer, afterEnd } = await sendsOnAfterAnswer();
    expect(answer).toMatch(/^HTTP\/1\.1 413 [^]*\r\nconnection: close\r\n[^]*"request_too_large"/i);
    // A relay that closed the whole connection at once would reset it here, and a reset can discard the 413.
    expect(afterEnd).toEqual({ written: 10, error: undefined, closed: true });
  });

  it('sends ten thousand messages: 400', async () => {
    const messages = Array.from({ length: 10_000 }, () => ({ role: 'user', content: 'again' }));
    expect(await refusal(await post(json({ model: 'gpt-4o-mini', messages })))).toMatchObject({ status: 400, code: 'too_many_messages', param: 'messages' });
  });

  it.each([
    ['n: 128', { n: 128 }, 'n'],
    ['max_completion_tokens: 1e9', { max_completion_tokens: 1e9 }, 'max_completion_tokens'],
    ['max_tokens: 1e9', { max_tokens: 1e9 }, 'max_tokens'],
    ['n as a string', { n: '2' }, 'n'],
  ])('asks for %s: refused, not clamped', async (_, extra, param) => {
    const { status, code, message } = await refusal(await post(json({ model: 'gpt-4o-mini', messages: hello, ...extra })));
    expect({ status, code }).toEqual({ status: 400, code: 'limit_exceeded' });
    expect(message).toContain(`'${param}'`);
  });

  it.each([
    ['store: true', { store: true }, 'store'],
    ['metadata', { metadata: { owner: 'someone-else' } }, 'metadata'],
    ['service_tier', { service_tier: 'priority' }, 'service_tier'],
    ['prompt_cache_key', { prompt_cache_key: 'shared' }, 'prompt_cache_key'],
    ['its own safety_identifier', { safety_identifier: 'not-me' }, 'safety_identifier'],
  ])('sends %s: refused unless the relay allows it', async (_, extra, param) => {
    expect(await refusal(await post(json({ model: 'gpt-4o-mini', messages: hello, ...extra })))).toMatchObject({
      status: 400,
      code: 'parameter_not_allowed',
      param,
    });
  });

  it('sends a property the API does not have: 400 naming it', async () => {
    expect(await refusal(await post(json({ model: 'gpt-4o-mini', messages: hello, provider: { order: ['x'] } })))).toMatchObject({
      status: 400,
      code: 'unknown_parameter',
      param: 'provider',
    });
  });

  it.each([
    ['at the top', '{"model":"gpt-4o-mini","messages":[],"__proto__":{"admin":true}}'],
    ['nested in a message', '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"x","__proto__":{"admin":true}}]}'],
    ['spelt with an escape', '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"x","\\u005f_proto__":{}}]}'],
  ])('puts a __proto__ key %s: 400', async (_, body) => {
    expect(await refusal(await post(body))).toMatchObject({ status: 400, code: 'invalid_json' });
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('sends its own Authorization (a key, not a session): 401', async () => {
    const response = await post(json({ model: 'gpt-4o-mini', messages: hello }), { authorization: 'Bearer sk-their-own-key' });
    expect(await refusal(response)).toMatchObject({ status: 401, code: 'unauthorized' });
  });

  it.each(['openai-organization', 'openai-project', 'api-key'])('sends its own %s header: 400', async (name) => {
    const response = await post(json({ model: 'gpt-4o-mini', messages: hello }), { [name]: 'org-someone-else' });
    expect(await refusal(response)).toMatchObject({ status: 400, code: 'header_not_allowed' });
  });

  it.each(['/v1/chat/completions/../../files', '/v1/chat/completions/%2e%2e/%2E%2E/files', '/v1/files', '/v1/chat/completions/x/../../../models'])(
    'reaches for another endpoint, %s: 404',
    async (path) => {
      const { status, body } = await raw('POST', path, json({ model: 'gpt-4o-mini', messages: hello }));
      expect(status).toBe(404);
      expect(JSON.parse(body).error.code).toBe('unknown_url');
    },
  );

  it('GETs the stored list: 405, with Allow', async () => {
    const response = await fetch(`${relay.url}/v1/chat/completions`, { headers: { authorization: 'Bearer token-alice' } });
    expect(response.headers.get('allow')).toBe('POST');
    expect(await refusal(response)).toMatchObject({ status: 405, code: 'method_not_allowed' });
  });

  it('reads a stored completion by id: 404, the endpoints are closed', async () => {
    const response = await fetch(`${relay.url}/v1/chat/completions/chatcmpl-abc`, { headers: { authorization: 'Bearer token-alice' } });
    expect(await refusal(response)).toMatchObject({ status: 404, code: 'unknown_url' });
  });

  it('sends a CORS preflight from a foreign origin: 403, and no CORS header allows it', async () => {
    relay.use({ origins: ['https://app.example.com'] });
    const response = await fetch(`${relay.url}/v1/chat/completions`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
    });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(await refusal(response)).toMatchObject({ status: 403, code: 'origin_not_allowed' });
  });

  it('sends invalid JSON: 400', async () => {
    expect(await refusal(await post('{"model": "gpt-4o-mini", "messages": ['))).toMatchObject({ status: 400, code: 'invalid_json' });
  });

  it.each(['text/plain', 'application/x-www-form-urlencoded', ''])('sends the body as %j: 415', async (type) => {
    const response = await post(json({ model: 'gpt-4o-mini', messages: hello }), { 'content-type': type });
    expect(await refusal(response)).toMatchObject({ status: 415, code: 'unsupported_media_type' });
  });
});

/** A request with a path no fetch would normalise first: Node's client sends it as written. */
function raw(method: string, path: string, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers = { authorization: 'Bearer token-alice', 'content-type': 'application/json' };
    const req = httpRequest(`${relay.url}${path}`, { method, headers, path }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (part: string) => (text += part));
      res.on('end', () => resolve({ status: res.statusCode!, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A POST whose body never ends: 1 KiB pieces until the relay answers, then whether it closed the connection. */
/**
 * A page that sends a body in chunks until the relay's answer has ended (the relay's FIN), then
 * ten more chunks 5 ms apart, then stops: what it read, and how its writes after the answer went.
 */
function sendsOnAfterAnswer(): Promise<{ answer: string; afterEnd: { written: number; error: string | undefined; closed: boolean } }> {
  const { hostname, port } = new URL(relay.url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port), allowHalfOpen: true });
    const piece = `400\r\n${'x'.repeat(1024)}\r\n`;
    const head =
      'POST /v1/chat/completions HTTP/1.1\r\nhost: relay.test\r\nauthorization: Bearer token-alice\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n';
    socket.write(head + '400\r\n{"pad":"' + 'x'.repeat(1016) + '\r\n');
    const sending = setInterval(() => socket.write(piece), 1);
    let answer = '';
    const afterEnd = { written: 0, error: undefined as string | undefined, closed: false };
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => (answer += text));
    socket.on('error', (error: NodeJS.ErrnoException) => (afterEnd.error ??= error.code));
    socket.on('end', () => {
      clearInterval(sending);
      const more = setInterval(() => {
        if (socket.destroyed) return clearInterval(more);
        if (afterEnd.written === 10) {
          clearInterval(more);
          return void socket.end();
        }
        socket.write(piece);
        afterEnd.written++;
      }, 5);
    });
    socket.on('close', () => {
      clearInterval(sending);
      afterEnd.closed = true;
      resolve({ answer, afterEnd });
    });
  });
}

function endlessBody(): Promise<{ status: number; body: string; closed: boolean }> {
  return new Promise((resolve, reject) => {
    const headers = { authorization: 'Bearer token-alice', 'content-type': 'application/json' };
    const req = httpRequest(`${relay.url}/v1/chat/completions`, { method: 'POST', headers });
    const piece = '{"pad":"' + 'x'.repeat(1024);
    const timer = setInterval(() => req.write(piece), 1);
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (part: string) => (text += part));
      res.on('end', () => {
        clearInterval(timer);
        req.socket?.once('close', () => resolve({ status: res.statusCode!, body: text, closed: true }));
        if (req.socket?.destroyed) resolve({ status: res.statusCode!, body: text, closed: true });
      });
    });
    req.on('error', (error) => {
      clearInterval(timer);
      reject(error);
    });
  });
}
