import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createChatCompletion, createClient, listChatCompletions } from '../../src/index.js';
import { rerouted, useLocalAPI } from '../server/setup.js';

// The environment's key goes only to OpenAI's own API. Every call is real HTTP
// to the local API; `rerouted` takes a call the SDK addresses to another origin there, so the
// SDK decides by the baseURL it was given.
const { api, server } = useLocalAPI();
const ENV_KEY = 'sk-from-the-environment-0123456789';
beforeEach(() => vi.stubEnv('OPENAI_API_KEY', ENV_KEY));
afterEach(() => vi.unstubAllEnvs());

const via = { maxRetries: 0, fetch: rerouted(() => server.baseURL) };
const sent = () => api.requests.at(-1)!.headers;

describe('OPENAI_API_KEY', () => {
  it.each([undefined, 'https://api.openai.com/v1', 'https://api.openai.com/v1/', 'https://eu.api.openai.com/v1', 'https://api.openai.com:443/v1'])(
    'goes to OpenAI: baseURL %s',
    async (baseURL) => {
      await listChatCompletions({}, { ...via, baseURL });
      expect(sent().authorization).toBe(`Bearer ${ENV_KEY}`);
    },
  );

  it.each([
    ['a local model server', 'http://localhost:11434/v1'],
    ['OpenAI over plain http', 'http://api.openai.com/v1'],
    ['another port', 'https://api.openai.com:8443/v1'],
    ['a look-alike host', 'https://api.openai.com.attacker.example/v1'],
    ['a host that ends alike', 'https://evilapi.openai.com.example/v1'],
    ['a third-party provider', 'https://openrouter.ai/api/v1'],
    ['an Azure resource', 'https://my-resource.openai.azure.com/openai/deployments/gpt-4o'],
    ['a proxy', 'https://proxy.example/openai/v1'],
  ])('stays home for %s (%s)', async (_, baseURL) => {
    await listChatCompletions({}, { ...via, baseURL });
    expect(sent().authorization).toBeUndefined();
  });

  it('stays home for the local API itself, streaming or not', async () => {
    await listChatCompletions({}, { baseURL: server.baseURL, maxRetries: 0 });
    expect(sent().authorization).toBeUndefined();
    const stream = await createChatCompletion(
      { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], stream: true },
      { baseURL: server.baseURL, maxRetries: 0 },
    );
    await stream.cancel();
    expect(sent().authorization).toBeUndefined();
  });

  it('is sent anywhere once given in options, in one line', async () => {
    await listChatCompletions({}, { baseURL: server.baseURL, maxRetries: 0, apiKey: process.env.OPENAI_API_KEY });
    expect(sent().authorization).toBe(`Bearer ${ENV_KEY}`);
    const client = createClient({ baseURL: server.baseURL, maxRetries: 0, apiKey: process.env.OPENAI_API_KEY });
    await client.listChatCompletions();
    expect(sent().authorization).toBe(`Bearer ${ENV_KEY}`);
  });

  it("lets Azure's api-key header stand alone: no Authorization to remove", async () => {
    const azure = 'https://my-resource.openai.azure.com/openai/deployments/gpt-4o?api-version=2024-10-21';
    await listChatCompletions({}, { ...via, baseURL: azure, headers: { 'api-key': 'azure-key-0123456789abcdef' } });
    expect(sent().authorization).toBeUndefined();
    expect(sent()['api-key']).toBe('azure-key-0123456789abcdef');
    expect(new URL(api.requests.at(-1)!.url).searchParams.get('api-version')).toBe('2024-10-21');
  });
});
