import { describe, expect, it } from 'vitest';
import { createChatCompletion, paginateChatCompletionMessages, paginateChatCompletions } from '../src/index.js';
import { useLocalAPI } from './server/setup.js';

const { api, requestOptions } = useLocalAPI();
const options = requestOptions({ apiKey: 'k' });

const store = (model: string, user: string) =>
  createChatCompletion({ model, messages: [{ role: 'user', content: `from ${user}` }], store: true, metadata: { user } }, options);

describe('pagination', () => {
  it('follows has_more / last_id → after across pages, keeping the other query parameters', async () => {
    const mine: string[] = [];
    for (let i = 0; i < 7; i++) {
      mine.push((await store('gpt-4o', 'me')).id);
      await store('gpt-4o', 'someone-else');
    }
    const seen: string[] = [];
    for await (const completion of paginateChatCompletions({ limit: 3, metadata: { user: 'me' }, model: 'gpt-4o' }, options)) seen.push(completion.id);
    expect(seen).toEqual(mine);

    const lists = api.requests.filter((r) => r.method === 'GET').map((r) => new URL(r.url).searchParams);
    expect(lists).toHaveLength(3);
    expect(lists.map((q) => q.get('after'))).toEqual([null, mine[2], mine[5]]);
    for (const q of lists) {
      expect(q.get('limit')).toBe('3');
      expect(q.get('metadata[user]')).toBe('me');
      expect(q.get('model')).toBe('gpt-4o');
    }
  });

  it('fetches a page only when the previous one is used up', async () => {
    for (let i = 0; i < 5; i++) await store('gpt-4o', 'me');
    const before = api.requests.length;
    const iterator = paginateChatCompletions({ limit: 2 }, options)[Symbol.asyncIterator]();
    await iterator.next();
    await iterator.next();
    expect(api.requests.length - before).toBe(1);
    await iterator.next();
    expect(api.requests.length - before).toBe(2);
    await iterator.return?.();
  });

  it('honours order: desc', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await store('gpt-4o', 'me')).id);
    const seen: string[] = [];
    for await (const c of paginateChatCompletions({ limit: 1, order: 'desc' }, options)) seen.push(c.id);
    expect(seen).toEqual([...ids].reverse());
  });

  it("pages through a stored completion's messages", async () => {
    const messages = Array.from({ length: 7 }, (_, i) => ({ role: 'user' as const, content: `m${i}` }));
    const created = await createChatCompletion({ model: 'gpt-4o', messages, store: true }, options);
    const seen: string[] = [];
    for await (const m of paginateChatCompletionMessages(created.id, { limit: 2 }, options)) seen.push(String(m.content));
    expect(seen).toEqual(messages.map((m) => m.content));
    expect(api.requests.filter((r) => r.url.includes('/messages'))).toHaveLength(4);
  });

  it('ends on an empty list', async () => {
    const seen: unknown[] = [];
    for await (const c of paginateChatCompletions({}, options)) seen.push(c);
    expect(seen).toEqual([]);
  });

  it('rejects the iteration with the API error of a failing page', async () => {
    const iterate = async () => {
      for await (const m of paginateChatCompletionMessages('missing', {}, options)) void m;
    };
    await expect(iterate()).rejects.toMatchObject({ name: 'NotFoundError', status: 404 });
  });
});
