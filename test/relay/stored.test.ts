import { beforeEach, describe, expect, it } from 'vitest';
import {
  APIError,
  createChatCompletion,
  deleteChatCompletion,
  getChatCompletion,
  getChatCompletionMessages,
  listChatCompletions,
  paginateChatCompletions,
  updateChatCompletion,
} from '../../src/index.js';
import { caught } from '../helpers/streams.js';
import { useRelay } from '../helpers/relay.js';

// With `storedCompletions: true`, each user reaches their own stored completions only: the relay
// marks what it stores with metadata.relay_user, lists by it, and looks an id up before serving,
// updating or deleting it, so that another user's completion is a 404 like a missing one.
const relay = useRelay();
const alice = () => relay.page();
const bob = () => relay.page({ apiKey: 'token-bob' });

beforeEach(() => {
  relay.use({ storedCompletions: true, allowFields: ['store', 'metadata'] });
});

async function store(options = alice(), content = 'remember this'): Promise<string> {
  const completion = await createChatCompletion(
    { model: 'gpt-4o-mini', messages: [{ role: 'user', content }], store: true, metadata: { topic: 'test' } },
    options,
  );
  return completion.id;
}

describe('stored completions through the relay', () => {
  it('stores with the owner in metadata, beside the page’s own', async () => {
    await store();
    expect(relay.fake.requests[0]!.body).toMatchObject({ store: true, metadata: { topic: 'test', relay_user: 'alice' }, safety_identifier: 'alice' });
  });

  it('lists the user’s own only, and pages through them with the SDK’s paginator', async () => {
    const mine = [await store(), await store(), await store()];
    await store(bob());
    const page = await listChatCompletions({ limit: 2 }, alice());
    expect(page.data.map((completion) => completion.id)).toEqual(mine.slice(0, 2));
    const all: string[] = [];
    for await (const completion of paginateChatCompletions({ limit: 2 }, alice())) all.push(completion.id);
    expect(all).toEqual(mine);
    const listed = relay.fake.requests
      .filter((request) => request.method === 'GET')
      .map((request) => new URL(request.url).searchParams.get('metadata[relay_user]'));
    expect(new Set(listed)).toEqual(new Set(['alice']));
  });

  it('serves, pages the messages of, updates and deletes the user’s own', async () => {
    const id = await store();
    expect((await getChatCompletion(id, alice())).id).toBe(id);
    expect((await getChatCompletionMessages(id, {}, alice())).data[0]).toMatchObject({ content: 'remember this' });
    const updated = await updateChatCompletion(id, { metadata: { topic: 'kept' } }, alice());
    expect(updated.metadata).toEqual({ topic: 'kept', relay_user: 'alice' });
    expect(await deleteChatCompletion(id, alice())).toMatchObject({ id, deleted: true });
  });

  it('answers another user with a 404 as for a missing id, and never updates or deletes for them', async () => {
    const id = await store();
    for (const call of [
      () => getChatCompletion(id, bob()),
      () => getChatCompletionMessages(id, {}, bob()),
      () => updateChatCompletion(id, { metadata: { topic: 'mine now' } }, bob()),
      () => deleteChatCompletion(id, bob()),
      () => getChatCompletion('chatcmpl-missing', alice()),
    ]) {
      const error = await caught<APIError>(call());
      expect(error).toBeInstanceOf(APIError);
      expect(error).toMatchObject({ status: 404, code: 'not_found', message: '404 No stored completion has that id.' });
    }
    expect(relay.fake.requests.filter((request) => request.method !== 'GET')).toHaveLength(1);
    expect((await getChatCompletion(id, alice())).metadata).toEqual({ topic: 'test', relay_user: 'alice' });
  });

  it('refuses a page that sets the owner itself, or lists by it', async () => {
    const id = await store();
    const set = await caught<APIError>(
      createChatCompletion({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }], store: true, metadata: { relay_user: 'bob' } }, alice()),
    );
    expect(set).toMatchObject({ status: 400, param: 'metadata' });
    const update = await caught<APIError>(updateChatCompletion(id, { metadata: { relay_user: 'bob' } }, alice()));
    expect(update).toMatchObject({ status: 400, param: 'metadata' });
    const list = await caught<APIError>(listChatCompletions({ metadata: { relay_user: 'bob' } }, alice()));
    expect(list).toMatchObject({ status: 400 });
  });

  it('keeps the owner when a page clears its metadata', async () => {
    const id = await store();
    expect((await updateChatCompletion(id, { metadata: null }, alice())).metadata).toEqual({ relay_user: 'alice' });
  });

  it('lists by an allowed model under its upstream name, and refuses other query parameters', async () => {
    relay.use({ storedCompletions: true, allowFields: ['store', 'metadata'], models: { fast: 'gpt-4o-mini' } });
    await createChatCompletion({ model: 'fast', messages: [{ role: 'user', content: 'x' }], store: true }, alice());
    expect((await listChatCompletions({ model: 'fast' }, alice())).data).toHaveLength(1);
    expect(new URL(relay.fake.requests.at(-1)!.url).searchParams.get('model')).toBe('gpt-4o-mini');
    expect(await caught(listChatCompletions({ model: 'gpt-5-pro' }, alice()))).toMatchObject({ status: 400 });
    const response = await fetch(`${relay.url}/v1/chat/completions?limit=1000`, { headers: { authorization: 'Bearer token-alice' } });
    expect(response.status).toBe(400);
  });

  it('times out the second upstream call of one request too (the lookup, then the messages)', async () => {
    const owned = { id: 'chatcmpl-1', object: 'chat.completion', metadata: { relay_user: 'alice' }, choices: [] };
    const paths: string[] = [];
    const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
      paths.push(new URL(String(input)).pathname);
      if (!String(input).includes('/messages')) return Response.json(owned);
      // The messages never come: only the relay's idle time-out ends this call.
      return new Promise((_, reject) => init!.signal!.addEventListener('abort', () => reject(init!.signal!.reason)));
    };
    relay.use({ storedCompletions: true, upstream: { timeout: 200, fetch } });
    const error = await caught(getChatCompletionMessages('chatcmpl-1', {}, { ...alice(), maxRetries: 0 }));
    expect(paths).toEqual(['/v1/chat/completions/chatcmpl-1', '/v1/chat/completions/chatcmpl-1/messages']);
    expect(error).toMatchObject({ status: 503, code: 'upstream_unavailable' });
    expect(relay.errors[0]!.error).toMatchObject({ name: 'APIConnectionTimeoutError' });
  });

  it('needs authorize: a public relay cannot tell whose a completion is', async () => {
    const { createRelay } = await import('../../src/relay/index.js');
    expect(() => createRelay({ public: true, models: ['gpt-4o-mini'], storedCompletions: true })).toThrow(/storedCompletions needs `authorize`/);
  });
});
