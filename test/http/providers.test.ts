import { describe, expect, it } from 'vitest';
import { createChatCompletion, createClient, listChatCompletions } from '../../src/index.js';
import { useLocalAPI } from '../server/setup.js';

// Each provider's documented setup, against the local API over HTTP, asserting the exact
// request that left the SDK.
const { api, server } = useLocalAPI();

const messages = [{ role: 'user' as const, content: 'hi' }];
const sent = () => api.requests.at(-1)!;

describe('Azure OpenAI', () => {
  it('puts the deployment in baseURL, the key in api-key (no Authorization), and api-version in the query', async () => {
    const azureKey = 'azure-key-123';
    const azure = createClient({
      baseURL: `${server.url}/openai/deployments/my-gpt-4o`,
      apiKey: azureKey, // also tells the SDK what to redact from errors
      headers: { Authorization: null, 'api-key': azureKey },
      query: { 'api-version': '2024-10-21' },
      maxRetries: 0,
    });
    const completion = await azure.createChatCompletion({ model: 'gpt-4o', messages });
    expect(completion.choices[0].message.content).toBe('Echo: hi');
    const request = sent();
    expect(request.method).toBe('POST');
    expect(request.url).toBe(`${server.url}/openai/deployments/my-gpt-4o/chat/completions?api-version=2024-10-21`);
    expect(request.headers['api-key']).toBe(azureKey);
    expect(request.headers.authorization).toBeUndefined();
    expect(request.body).toEqual({ model: 'gpt-4o', messages });

    await azure.listChatCompletions({ limit: 2 });
    expect(sent().url).toBe(`${server.url}/openai/deployments/my-gpt-4o/chat/completions?limit=2&api-version=2024-10-21`);
  });
});

describe('OpenAI-compatible servers', () => {
  it('Ollama: its baseURL, a placeholder key, and fields the types do not know through extraBody', async () => {
    await createChatCompletion(
      { model: 'llama3.2', messages, temperature: 0 },
      { baseURL: `${server.url}/v1`, apiKey: 'ollama', extraBody: { keep_alive: '5m', options: { num_ctx: 8192 } }, maxRetries: 0 },
    );
    expect(sent().url).toBe(`${server.url}/v1/chat/completions`);
    expect(sent().headers.authorization).toBe('Bearer ollama');
    expect(sent().body).toEqual({ model: 'llama3.2', messages, temperature: 0, keep_alive: '5m', options: { num_ctx: 8192 } });
  });

  it('vLLM: sampling fields beyond the spec, on a stream too', async () => {
    const stream = await createChatCompletion(
      { model: 'Qwen/Qwen2.5-7B-Instruct', messages, stream: true },
      { baseURL: `${server.url}/v1`, apiKey: 'token', extraBody: { top_k: 20, repetition_penalty: 1.05 }, maxRetries: 0 },
    );
    for await (const chunk of stream) void chunk;
    expect(sent().body).toEqual({ model: 'Qwen/Qwen2.5-7B-Instruct', messages, stream: true, top_k: 20, repetition_penalty: 1.05 });
    expect(sent().headers.accept).toBe('text/event-stream');
  });

  it('OpenRouter: attribution headers and provider routing', async () => {
    const openrouter = createClient({
      baseURL: `${server.url}/api/v1`,
      apiKey: 'sk-or-1',
      headers: { 'HTTP-Referer': 'https://example.app', 'X-Title': 'Example' },
      extraBody: { provider: { order: ['anthropic'], allow_fallbacks: false } },
      maxRetries: 0,
    });
    await openrouter.createChatCompletion({ model: 'anthropic/claude-sonnet-4', messages });
    expect(sent().url).toBe(`${server.url}/api/v1/chat/completions`);
    expect(sent().headers).toMatchObject({ authorization: 'Bearer sk-or-1', 'http-referer': 'https://example.app', 'x-title': 'Example' });
    expect(sent().body).toEqual({ model: 'anthropic/claude-sonnet-4', messages, provider: { order: ['anthropic'], allow_fallbacks: false } });
  });

  it('sends extraBody only with create, never on requests without a body', async () => {
    await listChatCompletions({}, { baseURL: `${server.url}/v1`, apiKey: 'k', extraBody: { top_k: 1 }, maxRetries: 0 });
    expect(sent().body).toBeUndefined();
  });
});

describe('extraBody through createClient', () => {
  it("merges a call's extraBody over the client's by name", async () => {
    const client = createClient({ baseURL: server.baseURL, apiKey: 'k', extraBody: { provider: { order: ['a'] }, top_k: 1 }, maxRetries: 0 });
    await client.createChatCompletion({ model: 'm', messages }, { extraBody: { top_k: 5 } });
    expect(sent().body).toEqual({ model: 'm', messages, provider: { order: ['a'] }, top_k: 5 });
    await client.createChatCompletion({ model: 'm', messages });
    expect(sent().body).toEqual({ model: 'm', messages, provider: { order: ['a'] }, top_k: 1 });
  });
});
