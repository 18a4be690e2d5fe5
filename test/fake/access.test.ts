import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AuthenticationError, NotFoundError, createChatCompletion, listChatCompletions } from '../../src/index.js';
import type { RequestOptions } from '../../src/index.js';
import { createFakeOpenAI } from '../../src/fake/index.js';
import { serve } from '../server/http.js';
import type { Served } from '../server/http.js';
import { caught } from '../helpers/streams.js';

// The fake as a server that checks keys and models, so that an app can test those paths: the
// API's 401 for a key it was not given (or none), its 404 model_not_found for a model it does
// not know; over real HTTP, and in process.
const fake = createFakeOpenAI({ apiKeys: ['sk-good', 'azure-good'], models: ['gpt-4o-mini'] });
let server: Served;
beforeAll(async () => {
  server = await serve(fake.handle);
  vi.stubEnv('OPENAI_API_KEY', '');
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await server.close();
});

const ask = (model = 'gpt-4o-mini') => ({ model, messages: [{ role: 'user' as const, content: 'hi' }] });
const overHTTP = (more: RequestOptions = {}): RequestOptions => ({ baseURL: server.baseURL, maxRetries: 0, ...more });

describe('a fake that checks keys', () => {
  it('answers a key it was given, as Bearer or as api-key', async () => {
    expect((await createChatCompletion(ask(), overHTTP({ apiKey: 'sk-good' }))).choices[0]!.message.content).toBe('Echo: hi');
    expect((await listChatCompletions({}, overHTTP({ headers: { 'api-key': 'azure-good' } }))).object).toBe('list');
  });

  it('refuses another key with the API 401 invalid_api_key, on every route, without echoing it', async () => {
    for (const call of [createChatCompletion(ask(), overHTTP({ apiKey: 'sk-bad' })), listChatCompletions({}, overHTTP({ apiKey: 'sk-bad' }))]) {
      const error = await caught(call);
      expect(error).toBeInstanceOf(AuthenticationError);
      expect(error).toMatchObject({ status: 401, code: 'invalid_api_key', type: 'invalid_request_error' });
      expect(error.message).toBe('401 Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.');
    }
  });

  it('refuses a request without a key, and the SDK says none was sent', async () => {
    const error = await caught(createChatCompletion({ ...ask(), stream: true }, overHTTP()));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.message).toMatch(/^401 You didn't provide an API key\..* \(no API key was sent: pass apiKey/);
  });
});

describe('a fake that knows its models', () => {
  it('answers a model it knows, and refuses another with the API 404 model_not_found, streamed or not', async () => {
    const options = overHTTP({ apiKey: 'sk-good' });
    for (const stream of [false, true]) {
      const error = await caught(createChatCompletion({ ...ask('gpt-5-imaginary'), stream }, options));
      expect(error).toBeInstanceOf(NotFoundError);
      expect(error).toMatchObject({ status: 404, code: 'model_not_found' });
      expect(error.message).toBe('404 The model `gpt-5-imaginary` does not exist or you do not have access to it.');
    }
  });

  it('checks in process as over HTTP, and only what it was told to', async () => {
    const open = createFakeOpenAI();
    expect((await createChatCompletion(ask('any-model'), { fetch: open })).choices[0]!.message.content).toBe('Echo: hi');
    const strict = createFakeOpenAI({ apiKeys: ['sk-good'], models: ['gpt-4o-mini'] });
    await expect(createChatCompletion(ask('other'), { fetch: strict, apiKey: 'sk-good' })).rejects.toBeInstanceOf(NotFoundError);
    await expect(createChatCompletion(ask(), { fetch: strict, apiKey: 'sk-other', maxRetries: 0 })).rejects.toBeInstanceOf(AuthenticationError);
    expect(strict.requests).toHaveLength(2);
  });
});
