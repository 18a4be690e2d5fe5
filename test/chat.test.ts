import { describe, expect, it } from 'vitest';
import {
  APIError,
  OpenAIError,
  createChatCompletion,
  deleteChatCompletion,
  getChatCompletion,
  getChatCompletionMessages,
  listChatCompletions,
  updateChatCompletion,
} from '../src/index.js';
import type { ChatCompletionMessageParam } from '../src/index.js';
import { useLocalAPI } from './server/setup.js';

const { api, server, requestOptions } = useLocalAPI();
const options = requestOptions({ apiKey: 'sk-test' });

const messages: ChatCompletionMessageParam[] = [
  { role: 'system', content: 'Be brief.' },
  { role: 'user', content: 'Hello there' },
];

describe('the six endpoints over HTTP', () => {
  it('creates a completion and returns the parsed object', async () => {
    const completion = await createChatCompletion({ model: 'gpt-4o-mini', messages }, options);
    expect(completion.object).toBe('chat.completion');
    expect(completion.model).toBe('gpt-4o-mini');
    expect(completion.choices[0].message).toMatchObject({ role: 'assistant', content: 'Echo: Hello there' });
    expect(completion.choices[0].finish_reason).toBe('stop');
    expect(completion.usage?.total_tokens).toBe(completion.usage!.prompt_tokens + completion.usage!.completion_tokens);
    expect(api.requests.at(-1)).toMatchObject({ method: 'POST', body: { model: 'gpt-4o-mini', messages } });
  });

  it('stores, gets, lists messages, updates, lists and deletes a completion', async () => {
    const created = await createChatCompletion({ model: 'gpt-4o-mini', messages, store: true, metadata: { topic: 'tour' } }, options);
    const got = await getChatCompletion(created.id, options);
    expect(got.id).toBe(created.id);
    expect(got.choices[0].message.content).toBe('Echo: Hello there');

    const page = await getChatCompletionMessages(created.id, { limit: 10 }, options);
    expect(page.object).toBe('list');
    expect(page.data.map((m) => m.content)).toEqual(['Be brief.', 'Hello there']);
    expect(page.has_more).toBe(false);

    const updated = await updateChatCompletion(created.id, { metadata: { topic: 'updated' } }, options);
    expect(updated.metadata).toEqual({ topic: 'updated' });
    expect(api.requests.at(-1)).toMatchObject({ method: 'POST', body: { metadata: { topic: 'updated' } } });

    const list = await listChatCompletions({ metadata: { topic: 'updated' } }, options);
    expect(list.data.map((c) => c.id)).toEqual([created.id]);

    const deleted = await deleteChatCompletion(created.id, options);
    expect(deleted).toEqual({ id: created.id, object: 'chat.completion.deleted', deleted: true });
    await expect(getChatCompletion(created.id, options)).rejects.toMatchObject({ name: 'NotFoundError', status: 404 });
  });

  it('does not store a completion created without store: true', async () => {
    const created = await createChatCompletion({ model: 'gpt-4o-mini', messages }, options);
    await expect(getChatCompletion(created.id, options)).rejects.toBeInstanceOf(APIError);
    expect((await listChatCompletions({}, options)).data).toEqual([]);
  });

  it('filters the list by model and metadata', async () => {
    const a = await createChatCompletion({ model: 'gpt-4o', messages, store: true, metadata: { user: 'a' } }, options);
    await createChatCompletion({ model: 'gpt-4o-mini', messages, store: true, metadata: { user: 'a' } }, options);
    await createChatCompletion({ model: 'gpt-4o', messages, store: true, metadata: { user: 'b' } }, options);
    const list = await listChatCompletions({ model: 'gpt-4o', metadata: { user: 'a' } }, options);
    expect(list.data.map((c) => c.id)).toEqual([a.id]);
    expect(new URL(api.requests.at(-1)!.url).search).toBe('?model=gpt-4o&metadata%5Buser%5D=a');
  });

  it('percent-encodes completion ids in the path', async () => {
    const id = 'odd id/with?chars#&%';
    await expect(getChatCompletion(id, options)).rejects.toMatchObject({ status: 404 });
    expect(api.requests.at(-1)!.url).toBe(`${server.baseURL}/chat/completions/${encodeURIComponent(id)}`);
    await expect(deleteChatCompletion(id, options)).rejects.toMatchObject({ status: 404 });
    expect(api.requests.at(-1)).toMatchObject({ method: 'DELETE', url: `${server.baseURL}/chat/completions/${encodeURIComponent(id)}` });
  });

  it('rejects an empty or missing completion id before sending anything', async () => {
    const before = api.requests.length;
    await expect(getChatCompletion('', options)).rejects.toThrow(/completionId must be a completion's id/);
    await expect(deleteChatCompletion(undefined as unknown as string, options)).rejects.toBeInstanceOf(OpenAIError);
    await expect(getChatCompletionMessages('', {}, options)).rejects.toBeInstanceOf(OpenAIError);
    await expect(updateChatCompletion('', { metadata: null }, options)).rejects.toBeInstanceOf(OpenAIError);
    expect(api.requests.length).toBe(before);
  });

  it('sends the query of the messages endpoint and drops undefined values', async () => {
    const created = await createChatCompletion({ model: 'gpt-4o-mini', messages, store: true }, options);
    await getChatCompletionMessages(created.id, { limit: 1, order: 'desc', after: undefined }, options);
    expect(new URL(api.requests.at(-1)!.url).search).toBe('?limit=1&order=desc');
  });

  it('passes the API 400 for a missing model through as an APIError naming the param', async () => {
    const error = await createChatCompletion({ messages } as never, options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIError);
    expect(error).toMatchObject({ status: 400, param: 'model', type: 'invalid_request_error' });
  });
});
