import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { OpenAIError, createClient, functionTool, jsonSchemaFormat, createParsedChatCompletion, runTools } from '../src/index.js';
import type { RunToolsEvent } from '../src/index.js';
import { useLocalAPI } from './server/setup.js';
import { useScriptedFake } from './helpers/scripted-fake.js';

const { api, server } = useLocalAPI();

const messages = [{ role: 'user' as const, content: 'hi' }];

describe('createClient', () => {
  it('binds options once for every function', async () => {
    const client = createClient({ baseURL: server.baseURL, apiKey: 'sk-client', organization: 'org-c', maxRetries: 0 });
    const created = await client.createChatCompletion({ model: 'gpt-4o-mini', messages, store: true });
    await client.getChatCompletion(created.id);
    await client.getChatCompletionMessages(created.id);
    await client.updateChatCompletion(created.id, { metadata: { a: '1' } });
    await client.listChatCompletions();
    const ids: string[] = [];
    for await (const c of client.paginateChatCompletions()) ids.push(c.id);
    for await (const m of client.paginateChatCompletionMessages(created.id)) ids.push(m.id);
    await client.deleteChatCompletion(created.id);
    expect(ids).toEqual([created.id, `${created.id}-0`]);
    expect(api.requests).toHaveLength(8);
    for (const r of api.requests) expect(r.headers).toMatchObject({ authorization: 'Bearer sk-client', 'openai-organization': 'org-c' });
  });

  it("lets a call's own options win and merges headers and query name by name", async () => {
    const client = createClient({
      baseURL: server.baseURL,
      apiKey: 'sk-client',
      headers: { 'X-A': 'client', 'X-B': 'client' },
      query: { v: '1', w: '1' },
      maxRetries: 0,
    });
    await client.listChatCompletions({}, { apiKey: 'sk-call', headers: { 'x-b': 'call', 'X-C': 'call' }, query: { w: '2' } });
    const request = api.requests.at(-1)!;
    expect(request.headers).toMatchObject({ authorization: 'Bearer sk-call', 'x-a': 'client', 'x-b': 'call', 'x-c': 'call' });
    expect(new URL(request.url).search).toBe('?v=1&w=2');
  });

  it('types streaming by overload, as the plain function does', async () => {
    const client = createClient({ baseURL: server.baseURL, apiKey: 'k', maxRetries: 0 });
    const stream: ReadableStream = await client.createChatCompletion({ model: 'gpt-4o-mini', messages, stream: true });
    const reader = stream.getReader();
    const first = await reader.read();
    expect(first.value).toMatchObject({ object: 'chat.completion.chunk' });
    await reader.cancel();
  });
});

describe('createClient binds the layer above the wire it is handed', () => {
  const replies = [
    { content: '{"city":"Paris","celsius":21}' },
    { tool_calls: [{ name: 'weather', arguments: { city: 'Paris' } }] },
    'Sunny.',
    { tool_calls: [{ name: 'weather', arguments: { city: 'Oslo' } }] },
    'Cold.',
  ];
  const { fake, server } = useScriptedFake(() => replies.shift());
  const weather = functionTool({ name: 'weather', parameters: z.object({ city: z.string() }), execute: ({ city }) => `${city}: fine` });
  const question = [{ role: 'user' as const, content: 'Weather?' }];

  it('createParsedChatCompletion and runTools, streamed and not, send with the client defaults', async () => {
    const client = createClient(
      { baseURL: server.baseURL, apiKey: 'sk-client', organization: 'org-c', maxRetries: 0 },
      { createParsedChatCompletion, runTools },
    );
    const format = jsonSchemaFormat(z.object({ city: z.string(), celsius: z.number() }), { name: 'weather' });
    const parsed = await client.createParsedChatCompletion({ model: 'gpt-4o-mini', messages: question, response_format: format });
    expect(parsed.choices[0]!.message.parsed).toEqual({ city: 'Paris', celsius: 21 });

    const plain = await client.runTools({ model: 'gpt-4o-mini', messages: question, tools: [weather] });
    expect(plain.completion.choices[0]!.message.content).toBe('Sunny.');

    const events: RunToolsEvent[] = [];
    for await (const event of client.runTools({ model: 'gpt-4o-mini', messages: question, tools: [weather], stream: true })) events.push(event);
    expect(events.at(-1)).toMatchObject({ type: 'done' });

    expect(fake.requests).toHaveLength(5);
    for (const r of fake.requests) expect(r.headers).toMatchObject({ authorization: 'Bearer sk-client', 'openai-organization': 'org-c' });
  });

  it('refuses anything else as the layer, at once', () => {
    expect(() => createClient({}, { accumulate: () => {} } as never)).toThrow(OpenAIError);
    expect(() => createClient({}, { runTools: 'yes' } as never)).toThrow(/binds only createParsedChatCompletion and runTools/);
    expect('runTools' in createClient({})).toBe(false);
  });
});
