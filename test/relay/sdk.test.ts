import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  accumulateChatCompletion,
  createChatCompletion,
  functionTool,
  getResponseMeta,
  jsonSchemaFormat,
  listChatCompletions,
  runTools,
  toChatCompletionEvents,
} from '../../src/index.js';
import type { ChatCompletionChunk, ChatCompletionCreateParams, ChatCompletionMessageParam } from '../../src/index.js';
import type { FakeReply } from '../../src/fake/index.js';
import { UPSTREAM_KEY, useRelay } from '../helpers/relay.js';

// The page's SDK, used unchanged, with the relay as its baseURL and a session token as its key;
// the relay in front of the fake over real HTTP. Every feature works because the relay speaks
// the API's own protocol.
const relay = useRelay({ replies: model });
const messages: ChatCompletionMessageParam[] = [{ role: 'user', content: 'Hello through the relay' }];

/** With tools, the model calls the weather tool, then answers with what it gave; otherwise the fake's echo. */
function model(body: ChatCompletionCreateParams): FakeReply | undefined {
  const last = body.messages.at(-1);
  if (!body.tools) return undefined;
  if (last?.role === 'tool') return `The weather: ${String(last.content)}`;
  return { tool_calls: [{ name: 'weather', arguments: { city: 'Paris' } }] };
}
describe('the page SDK through the relay', () => {
  it('creates a completion: the answer, its usage reported once, the request id passed on, the key kept upstream', async () => {
    const page = relay.page({ headers: { cookie: 'session=1', 'x-page': 'from the page' } });
    const completion = await createChatCompletion({ model: 'gpt-4o-mini', messages }, page);
    expect(completion.choices[0]!.message.content).toBe('Echo: Hello through the relay');
    expect(getResponseMeta(completion)!.requestId).toBe('req_fake000001');
    const [sent] = relay.fake.requests;
    expect(sent!.headers.authorization).toBe(`Bearer ${UPSTREAM_KEY}`);
    expect(Object.keys(sent!.headers).filter((name) => name === 'cookie' || name.startsWith('x-page'))).toEqual([]);
    expect(sent!.body).toMatchObject({ model: 'gpt-4o-mini', safety_identifier: 'alice', max_completion_tokens: 4096 });
    expect(relay.usage).toEqual([{ user: 'alice', model: 'gpt-4o-mini', usage: completion.usage, requestId: 'req_fake000001' }]);
  });

  it('streams, iterated chunk by chunk: the usage chunk it did not ask for is left out, and reported', async () => {
    const stream = await createChatCompletion({ model: 'gpt-4o-mini', messages, stream: true }, relay.page());
    const chunks: ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe('Echo: Hello through the relay');
    expect(chunks.every((chunk) => chunk.choices.length > 0)).toBe(true);
    expect(relay.fake.requests[0]!.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(relay.usage).toHaveLength(1);
    expect(relay.usage[0]!.usage).toMatchObject({ prompt_tokens: expect.any(Number), completion_tokens: expect.any(Number) });
    expect(getResponseMeta(stream)!.requestId).toBe('req_fake000001');
  });

  it('streams folded, with the usage chunk the page asked for', async () => {
    const stream = await createChatCompletion({ model: 'gpt-4o-mini', messages, stream: true, stream_options: { include_usage: true } }, relay.page());
    const completion = await accumulateChatCompletion(stream);
    expect(completion.choices[0]!.message.content).toBe('Echo: Hello through the relay');
    expect(completion.usage).toEqual(relay.usage[0]!.usage);
    expect(relay.usage).toHaveLength(1);
  });

  it('gives toChatCompletionEvents its structured answer, filling in, with a jsonSchemaFormat', async () => {
    const format = jsonSchemaFormat(z.object({ city: z.string().min(20), celsius: z.number() }), { name: 'weather' });
    const body = { model: 'gpt-4o-mini', messages, response_format: format, stream: true as const };
    const events = [];
    for await (const event of toChatCompletionEvents(await createChatCompletion(body, relay.page()), body)) events.push(event);
    const deltas = events.filter((event) => event.type === 'content.delta');
    expect(deltas.length).toBeGreaterThan(2);
    const done = events.at(-1);
    expect(done?.type === 'done' && done.completion.choices[0]!.message.parsed).toEqual({ city: 'a'.repeat(20), celsius: 0 });
  });

  it('runs runTools with tools that run in the page, both steps through the relay', async () => {
    const seen: string[] = [];
    const weather = functionTool({
      name: 'weather',
      parameters: z.object({ city: z.string() }),
      execute: ({ city }) => {
        seen.push(city);
        return { city, sky: 'sunny' };
      },
    });
    const { completion, steps } = await runTools({ model: 'gpt-4o-mini', messages, tools: [weather] }, relay.page());
    expect(seen).toEqual(['Paris']);
    expect(steps).toHaveLength(2);
    expect(completion.choices[0]!.message.content).toContain('sunny');
    expect(relay.fake.requests).toHaveLength(2);
    expect(relay.usage.map((report) => report.user)).toEqual(['alice', 'alice']);
  });

  it('runs a streaming runTools: its events across both steps', async () => {
    const weather = functionTool({ name: 'weather', parameters: z.object({ city: z.string() }), execute: ({ city }) => `${city}: sunny` });
    const types = new Set<string>();
    for await (const event of runTools({ model: 'gpt-4o-mini', messages, tools: [weather], stream: true }, relay.page())) types.add(event.type);
    expect([...types]).toEqual(expect.arrayContaining(['tool_calls.function.arguments.delta', 'tool.result', 'step.done', 'content.delta', 'done']));
    expect(relay.usage).toHaveLength(2);
  });

  it('keeps pagination off by default: the stored list is a 405 the page can read', async () => {
    const error = await listChatCompletions({}, relay.page()).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'APIError', status: 405, code: 'method_not_allowed' });
    expect(relay.fake.requests).toHaveLength(0);
  });
});
