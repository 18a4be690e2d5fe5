import { describe, expect, it } from 'vitest';
import { OpenAIError, createChatCompletion } from '../../src/index.js';
import { createRelay } from '../../src/relay/index.js';
import type { RelayOptions } from '../../src/relay/index.js';
import { caught } from '../helpers/streams.js';
import { useRelay } from '../helpers/relay.js';

// createRelay is secure by default and says so at start-up: what is required is required, a
// limit is a whole number, an origin is an origin; the models allowlist is read safely.
const relay = useRelay();
const hello = [{ role: 'user' as const, content: 'hi' }];

describe('createRelay, at start-up', () => {
  it.each<[string, unknown, RegExp]>([
    ['no options', undefined, /needs options/],
    ['no authorize and no public: true', { models: ['m'] }, /needs `authorize\(request\)`.*or `public: true`/],
    ['public: "yes"', { models: ['m'], public: 'yes' }, /public: true/],
    ['no models', { public: true }, /needs `models`/],
    ['models as a string', { public: true, models: 'gpt-4o-mini' }, /needs `models`/],
    ['a limit of 0', { public: true, models: ['m'], maxMessages: 0 }, /maxMessages must be a whole number/],
    ['a limit of 2.5', { public: true, models: ['m'], maxN: 2.5 }, /maxN must be a whole number/],
    ['an origin with a path', { public: true, models: ['m'], origins: ['https://app.example.com/'] }, /not an origin/],
    ['an origin without a scheme', { public: true, models: ['m'], origins: ['app.example.com'] }, /not an origin/],
    ['onUsage not a function', { public: true, models: ['m'], onUsage: 'log' }, /onUsage must be a function/],
    ['a baseURL without its scheme', { public: true, models: ['m'], baseURL: 'api.example.com/v1' }, /baseURL must be an http or https URL/],
    ['an upstream time-out of 0', { public: true, models: ['m'], upstream: { timeout: 0 } }, /upstream.timeout must be a positive number/],
    ['an upstream header with a newline', { public: true, models: ['m'], upstream: { headers: { 'x-team': 'a\nb' } } }, /upstream.headers holds/],
  ])('refuses %s, naming the option', (_, options, message) => {
    expect(() => createRelay(options as RelayOptions)).toThrow(OpenAIError);
    expect(() => createRelay(options as RelayOptions)).toThrow(message);
  });
});

describe('the models allowlist', () => {
  it('maps the names pages use to the upstream’s, and reports usage under the upstream name', async () => {
    relay.use({ models: { fast: 'gpt-4o-mini-2024-07-18' } });
    await createChatCompletion({ model: 'fast', messages: hello }, relay.page());
    expect(relay.fake.requests[0]!.body).toMatchObject({ model: 'gpt-4o-mini-2024-07-18' });
    expect(relay.usage[0]!.model).toBe('gpt-4o-mini-2024-07-18');
  });

  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])('reads a map’s own names only: %s is not a model', async (model) => {
    relay.use({ models: { fast: 'gpt-4o-mini' } });
    expect(await caught(createChatCompletion({ model, messages: hello }, relay.page()))).toMatchObject({ status: 400, code: 'model_not_allowed' });
    expect(relay.fake.requests).toHaveLength(0);
  });

  it('takes a predicate, which must say true', async () => {
    relay.use({ models: (model) => model.startsWith('gpt-4o') });
    await createChatCompletion({ model: 'gpt-4o-mini', messages: hello }, relay.page());
    expect(await caught(createChatCompletion({ model: 'o3', messages: hello }, relay.page()))).toMatchObject({ status: 400 });
    expect(relay.fake.requests).toHaveLength(1);
  });
});

describe('the limits and the fields', () => {
  it('gives a request that asks for no token cap the relay’s, and passes one within it as asked', async () => {
    relay.use({ maxCompletionTokens: 500 });
    await createChatCompletion({ model: 'gpt-4o-mini', messages: hello }, relay.page());
    await createChatCompletion({ model: 'gpt-4o-mini', messages: hello, max_completion_tokens: 200 }, relay.page());
    await createChatCompletion({ model: 'gpt-4o-mini', messages: hello, max_tokens: 300 }, relay.page());
    expect(relay.fake.requests.map((request) => request.body)).toMatchObject([
      { max_completion_tokens: 500 },
      { max_completion_tokens: 200 },
      { max_tokens: 300 },
    ]);
    expect(relay.fake.requests[2]!.body).not.toHaveProperty('max_completion_tokens');
  });

  it('caps tools, n and messages as configured', async () => {
    relay.use({ maxTools: 1, maxN: 2, maxMessages: 2 });
    const tool = { type: 'function' as const, function: { name: 'f' } };
    await createChatCompletion({ model: 'gpt-4o-mini', messages: [...hello, ...hello], n: 2, tools: [tool] }, relay.page());
    expect(await caught(createChatCompletion({ model: 'gpt-4o-mini', messages: hello, tools: [tool, tool] }, relay.page()))).toMatchObject({
      code: 'too_many_tools',
    });
    expect(await caught(createChatCompletion({ model: 'gpt-4o-mini', messages: [...hello, ...hello, ...hello] }, relay.page()))).toMatchObject({
      code: 'too_many_messages',
    });
    expect(relay.fake.requests).toHaveLength(1);
  });

  it('lets allowFields through, a provider’s own included; the user stays the safety identifier', async () => {
    relay.use({ allowFields: ['service_tier', 'provider', 'safety_identifier'] });
    const extra = { service_tier: 'flex', provider: { order: ['azure'] }, safety_identifier: 'someone-else' };
    await createChatCompletion({ model: 'gpt-4o-mini', messages: hello, ...extra } as never, relay.page());
    expect(relay.fake.requests[0]!.body).toMatchObject({ service_tier: 'flex', provider: { order: ['azure'] }, safety_identifier: 'alice' });
  });

  it('serves a public relay without authorize: no user, no safety identifier', async () => {
    relay.use({ public: true, authorize: undefined });
    await createChatCompletion({ model: 'gpt-4o-mini', messages: hello }, relay.page({ apiKey: undefined }));
    expect(relay.fake.requests[0]!.body).not.toHaveProperty('safety_identifier');
    expect(relay.usage[0]!.user).toBeUndefined();
  });

  it('turns an authorize that throws into a 500 for the page, and the error for onError', async () => {
    relay.use({ authorize: () => Promise.reject(new Error('session store down at db.internal:5432')) });
    const response = await fetch(`${relay.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain('db.internal');
    expect(String(relay.errors[0]!.error)).toContain('db.internal');
  });
});
