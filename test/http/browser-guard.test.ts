// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { OpenAIError, createChatCompletion, listChatCompletions } from '../../src/index.js';
import { useLocalAPI } from '../server/setup.js';

const { api, server } = useLocalAPI();
afterEach(() => vi.unstubAllEnvs());

describe('in a browser page', () => {
  it('refuses to send an API key, explaining the opt-in and the proxy alternative', async () => {
    const sent = api.requests.length;
    const error = await listChatCompletions({}, { baseURL: server.baseURL, apiKey: 'sk-page' }).then(
      () => expect.unreachable('should have rejected'),
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(OpenAIError);
    expect(error.message).toMatch(/dangerouslyAllowBrowser: true/);
    expect(error.message).toMatch(/proxy/);
    expect(error.message).not.toContain('sk-page');
    expect(api.requests.length).toBe(sent);
  });

  it.each([
    ['an Authorization header', { Authorization: 'Bearer sk-page-header' }],
    ["Azure's api-key header", { 'api-key': 'azure-page-key' }],
  ])('refuses %s set by hand, like apiKey', async (_, headers) => {
    vi.stubEnv('OPENAI_API_KEY', '');
    const sent = api.requests.length;
    const error = await listChatCompletions({}, { baseURL: server.baseURL, headers, maxRetries: 0 }).then(
      () => expect.unreachable('should have rejected'),
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(OpenAIError);
    expect(error.message).toMatch(/dangerouslyAllowBrowser: true/);
    expect(error.message).not.toMatch(/page-header|page-key/);
    expect(api.requests.length).toBe(sent);
    await expect(listChatCompletions({}, { baseURL: server.baseURL, headers, maxRetries: 0, dangerouslyAllowBrowser: true })).resolves.toMatchObject({
      object: 'list',
    });
  });

  it('sends the key cross-origin once dangerouslyAllowBrowser is set (CORS answered by the server)', async () => {
    const completion = await createChatCompletion(
      { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'from a page' }] },
      { baseURL: server.baseURL, apiKey: 'sk-page', dangerouslyAllowBrowser: true, maxRetries: 0 },
    );
    expect(completion.choices[0].message.content).toBe('Echo: from a page');
    expect(api.requests.at(-1)!.headers.authorization).toBe('Bearer sk-page');
  });

  it('sends requests without a key, for a same-origin proxy that holds it', async () => {
    vi.stubEnv('OPENAI_API_KEY', '');
    const list = await listChatCompletions({}, { baseURL: server.baseURL, maxRetries: 0 });
    expect(list.object).toBe('list');
    expect(api.requests.at(-1)!.headers.authorization).toBeUndefined();
  });
});
