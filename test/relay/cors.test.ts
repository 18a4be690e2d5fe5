import { describe, expect, it } from 'vitest';
import { useRelay } from '../helpers/relay.js';

// CORS: pages on the listed origins may call the relay and read its answers, errors included;
// a preflight is answered by the relay itself; the wildcard never goes with credentials.
const relay = useRelay();
const APP = 'https://app.example.com';

function preflight(origin: string, requestHeaders = 'authorization, content-type'): Promise<Response> {
  return fetch(`${relay.url}/v1/chat/completions`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': requestHeaders },
  });
}

function post(origin: string, token = 'token-alice'): Promise<Response> {
  return fetch(`${relay.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { origin, authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
  });
}

describe('CORS', () => {
  it('answers a listed origin’s preflight: its origin, credentials, the methods served, the headers asked for', async () => {
    relay.use({ origins: [APP] });
    const response = await preflight(APP);
    expect(response.status).toBe(204);
    expect(Object.fromEntries(response.headers)).toMatchObject({
      'access-control-allow-origin': APP,
      'access-control-allow-credentials': 'true',
      'access-control-allow-methods': 'POST',
      'access-control-allow-headers': 'authorization, content-type',
      'access-control-max-age': '600',
      vary: 'origin',
    });
    expect(relay.fake.requests).toHaveLength(0);
  });

  it('lets a listed origin read answers and refusals alike, with the headers its SDK reads', async () => {
    relay.use({ origins: [APP] });
    for (const response of [await post(APP), await post(APP, 'token-nobody')]) {
      expect(response.headers.get('access-control-allow-origin')).toBe(APP);
      expect(response.headers.get('access-control-expose-headers')).toBe('x-request-id, retry-after, retry-after-ms, x-should-retry');
    }
  });

  it('gives an unlisted origin nothing to read: no CORS header on the answer', async () => {
    relay.use({ origins: [APP] });
    const response = await post('https://evil.example');
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('vary')).toBe('origin');
  });

  it("with origins '*', allows any origin and never credentials", async () => {
    relay.use({ origins: '*' });
    const response = await preflight('https://anywhere.example');
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    expect((await post('https://anywhere.example')).headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('without origins, serves its own origin only: every preflight is refused', async () => {
    const response = await preflight(APP);
    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('lists GET and DELETE for a preflight when the stored endpoints are open', async () => {
    relay.use({ origins: [APP], storedCompletions: true });
    expect((await preflight(APP)).headers.get('access-control-allow-methods')).toBe('GET, POST, DELETE');
  });
});
