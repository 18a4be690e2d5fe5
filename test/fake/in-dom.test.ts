// @vitest-environment happy-dom
// Component tests run in a DOM environment (happy-dom here; jsdom is not installed) where the
// SDK sees a browser page, often with OPENAI_API_KEY in the environment. The fake answers in
// memory, so the browser guard lets it through; anything that goes over the network is still
// refused.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OpenAIError, accumulateChatCompletion, createChatCompletion } from '../../src/index.js';
import { createFakeOpenAI } from '../../src/fake/index.js';
import { serve } from '../server/http.js';
import { rerouted, useLocalAPI } from '../server/setup.js';

const { api, server } = useLocalAPI();
const KEY = 'sk-from-the-test-environment';
const body = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'Hello from a component' }] };

beforeEach(() => vi.stubEnv('OPENAI_API_KEY', KEY));
afterEach(() => vi.unstubAllEnvs());

/** The refusal of a call, checked to be the browser guard's. */
async function refused(call: Promise<unknown>): Promise<void> {
  const error = await call.then(
    () => expect.unreachable('should have been refused'),
    (e: unknown) => e as Error,
  );
  expect(error).toBeInstanceOf(OpenAIError);
  expect(error.message).toMatch(/Refusing to send an API key from a browser/);
}

describe('the fake in a DOM test environment, with OPENAI_API_KEY set', () => {
  it('is a browser page to the SDK', () => {
    expect(typeof window.document).toBe('object');
    expect(typeof navigator).toBe('object');
  });

  it('answers createChatCompletion with fetch: createFakeOpenAI(), the key included', async () => {
    const fake = createFakeOpenAI();
    const completion = await createChatCompletion(body, { fetch: fake });
    expect(completion.choices[0]?.message.content).toBe('Echo: Hello from a component');
    expect(fake.requests[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it('streams from the fake, read with for await', async () => {
    const fake = createFakeOpenAI({ replies: ['A streamed reply.'] });
    const stream = await createChatCompletion({ ...body, stream: true }, { fetch: fake, apiKey: 'sk-test' });
    const [forLoop, forFold] = stream.tee();
    let text = '';
    for await (const chunk of forFold) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('A streamed reply.');
    expect((await accumulateChatCompletion(forLoop)).choices[0]?.message.content).toBe('A streamed reply.');
  });
});

describe('the browser guard, still, in the same environment', () => {
  it("refuses the page's own fetch to a real server, which sees nothing", async () => {
    // To OpenAI's API (taken to the local one), where the environment's key goes.
    await refused(createChatCompletion(body, { fetch: rerouted(() => server.baseURL), maxRetries: 0 }));
    await refused(createChatCompletion(body, { baseURL: server.baseURL, apiKey: KEY, maxRetries: 0 }));
    expect(api.requests).toHaveLength(0);
  });

  it('sends no key to another host, so the environment key is not refused there: it is not sent', async () => {
    await createChatCompletion(body, { baseURL: server.baseURL, maxRetries: 0 });
    expect(api.requests[0]?.headers.authorization).toBeUndefined();
  });

  it("refuses the fake's handler served over HTTP: that is a real server", async () => {
    const fake = createFakeOpenAI();
    const served = await serve(fake.handle);
    try {
      await refused(createChatCompletion(body, { baseURL: served.baseURL, apiKey: KEY, fetch: (input, init) => fetch(input, init), maxRetries: 0 }));
      expect(fake.requests).toHaveLength(0);
    } finally {
      await served.close();
    }
  });

  it('refuses a function wrapping the fake: only the fake itself is known to stay in memory', async () => {
    const fake = createFakeOpenAI();
    await refused(createChatCompletion(body, { fetch: (input, init) => fake(input, init) }));
    expect(fake.requests).toHaveLength(0);
  });
});
