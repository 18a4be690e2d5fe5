import { afterEach, describe, expect, it, vi } from 'vitest';
import { createChatCompletion, listChatCompletions } from '../../src/index.js';
import { createLocalAPI } from '../server/handler.js';
import { rerouted, useLocalAPI } from '../server/setup.js';

const { api, server, requestOptions } = useLocalAPI();
const base = requestOptions();
afterEach(() => vi.unstubAllEnvs());

const body = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'hi' }] };
const lastHeaders = () => api.requests.at(-1)!.headers;

describe('request headers', () => {
  it('sends the key as a Bearer token, organization and project, JSON content type and accept', async () => {
    await createChatCompletion(body, { ...base, apiKey: 'sk-abc', organization: 'org-1', project: 'proj-1' });
    expect(lastHeaders()).toMatchObject({
      authorization: 'Bearer sk-abc',
      'openai-organization': 'org-1',
      'openai-project': 'proj-1',
      'content-type': 'application/json',
      accept: 'application/json',
    });
  });

  it('sends no content type without a body, and no organization or project unless given', async () => {
    await listChatCompletions({}, { ...base, apiKey: 'sk-abc' });
    const headers = lastHeaders();
    expect(headers['content-type']).toBeUndefined();
    expect(headers['openai-organization']).toBeUndefined();
    expect(headers['openai-project']).toBeUndefined();
    expect(headers.accept).toBe('application/json');
  });

  it('asks for text/event-stream when streaming', async () => {
    const stream = await createChatCompletion({ ...body, stream: true }, { ...base, apiKey: 'sk-abc' });
    await stream.cancel();
    expect(lastHeaders().accept).toBe('text/event-stream');
  });

  it("merges the user's headers case-insensitively; null removes a default", async () => {
    await listChatCompletions(
      {},
      { ...base, apiKey: 'sk-abc', headers: { AUTHORIZATION: null, 'Api-Key': 'azure-key', ACCEPT: 'application/x-custom', 'X-Trace': '1' } },
    );
    const headers = lastHeaders();
    expect(headers.authorization).toBeUndefined();
    expect(headers['api-key']).toBe('azure-key');
    expect(headers.accept).toBe('application/x-custom');
    expect(headers['x-trace']).toBe('1');
  });

  it("reads the default key from OPENAI_API_KEY for OpenAI's API; an explicit key wins", async () => {
    vi.stubEnv('OPENAI_API_KEY', 'sk-from-env');
    // The SDK calls https://api.openai.com/v1; the fetch takes it to the local API.
    const openai = { maxRetries: 0, fetch: rerouted(() => server.baseURL) };
    await listChatCompletions({}, openai);
    expect(lastHeaders().authorization).toBe('Bearer sk-from-env');
    await listChatCompletions({}, { ...openai, apiKey: 'sk-explicit' });
    expect(lastHeaders().authorization).toBe('Bearer sk-explicit');
  });

  it('sends no Authorization header when no key is known (a same-origin proxy adds its own)', async () => {
    vi.stubEnv('OPENAI_API_KEY', '');
    await listChatCompletions({}, base);
    expect(lastHeaders().authorization).toBeUndefined();
  });

  it('merges options.query into every URL (Azure api-version)', async () => {
    await listChatCompletions({ limit: 5 }, { ...base, query: { 'api-version': '2024-10-21' } });
    expect(new URL(api.requests.at(-1)!.url).search).toBe('?limit=5&api-version=2024-10-21');
  });

  it('accepts a baseURL with a trailing slash', async () => {
    await listChatCompletions({}, { ...base, baseURL: server.baseURL + '/' });
    expect(api.requests.at(-1)!.url).toBe(`${server.baseURL}/chat/completions`);
  });

  it('calls the given fetch, in process, with no network at all', async () => {
    const local = createLocalAPI();
    const completion = await createChatCompletion(body, { baseURL: 'https://fake.invalid/v1', apiKey: 'k', fetch: local.fetch });
    expect(completion.choices[0].message.content).toBe('Echo: hi');
    expect(local.requests).toHaveLength(1);
    expect(api.requests).toHaveLength(0);
  });
});
