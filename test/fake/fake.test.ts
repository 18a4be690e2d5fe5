import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
// Imported by the package's own name: the built entries, as users get them.
import {
  APIConnectionTimeoutError,
  InvalidResponseError,
  RateLimitError,
  accumulateChatCompletion,
  createChatCompletion,
  getChatCompletion,
  listChatCompletions,
} from 'openai-chat-fetch';
import type { ChatCompletion, ChatCompletionChunk, RequestOptions } from 'openai-chat-fetch';
import { createFakeOpenAI } from 'openai-chat-fetch/fake';
import { valuesOf } from '../helpers/streams.js';

const messages = [{ role: 'user' as const, content: 'Summarize: the cat sat on the mat.' }];

/** The kind of app code a user tests: it takes its fetch from the caller. */
async function summarize(text: string, options: RequestOptions): Promise<string> {
  const completion = await createChatCompletion(
    {
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'Summarize.' },
        { role: 'user', content: text },
      ],
    },
    options,
  );
  return completion.choices[0].message.content ?? '';
}

const collect = valuesOf;

describe('openai-chat-fetch/fake', () => {
  it('tests app code offline: scripted reply, and the request it sent (the README example)', async () => {
    const fake = createFakeOpenAI({ replies: ['A cat sat.'] });
    expect(await summarize('The cat sat on the mat.', { fetch: fake, apiKey: 'test' })).toBe('A cat sat.');
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]).toMatchObject({ method: 'POST', url: 'https://api.openai.com/v1/chat/completions', headers: { authorization: 'Bearer test' } });
    expect(fake.requests[0].body).toMatchObject({ model: 'gpt-4o-mini', messages: [{ role: 'system' }, { role: 'user', content: 'The cat sat on the mat.' }] });
  });

  it('answers deterministically by default, and uses a list of replies in turn before that', async () => {
    const fake = createFakeOpenAI({ replies: ['first', 'second'] });
    const say = async () => (await createChatCompletion({ model: 'm', messages }, { fetch: fake })).choices[0].message.content;
    expect([await say(), await say(), await say()]).toEqual(['first', 'second', 'Echo: Summarize: the cat sat on the mat.']);
    fake.reset();
    expect(await say()).toBe('first');
    expect(fake.requests).toHaveLength(1);
  });

  it('takes replies from a function of the request', async () => {
    const fake = createFakeOpenAI({ replies: (body) => `model ${body.model}, ${body.messages.length} message(s)` });
    const completion = await createChatCompletion({ model: 'gpt-4.1', messages }, { fetch: fake });
    expect(completion.choices[0].message.content).toBe('model gpt-4.1, 1 message(s)');
  });

  it('streams a scripted completion, tool calls included, so that accumulating gives it back', async () => {
    const scripted: ChatCompletion = {
      id: 'chatcmpl-scripted',
      object: 'chat.completion',
      created: 1,
      model: 'gpt-4o',
      choices: [
        {
          index: 0,
          finish_reason: 'tool_calls',
          logprobs: null,
          message: {
            role: 'assistant',
            content: null,
            refusal: null,
            tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } }],
          },
        },
      ],
    };
    const fake = createFakeOpenAI({ replies: [scripted] });
    const stream = await createChatCompletion({ model: 'gpt-4o', messages, stream: true }, { fetch: fake });
    const completion = await accumulateChatCompletion(stream);
    expect(completion).toMatchObject({ id: 'chatcmpl-scripted', model: 'gpt-4o' });
    expect(completion.choices[0]).toMatchObject({
      finish_reason: 'tool_calls',
      message: { tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } }] },
    });
  });

  it('streams scripted chunks exactly, and folds them for a request without stream', async () => {
    const chunk = (content: string, finish: 'stop' | null = null): ChatCompletionChunk => ({
      id: 'c',
      object: 'chat.completion.chunk',
      created: 1,
      model: 'm',
      choices: [{ index: 0, delta: { content }, finish_reason: finish }],
    });
    const chunks = [chunk('Hel'), chunk('lo'), chunk('', 'stop')];
    const fake = createFakeOpenAI({ replies: [chunks, chunks] });
    expect(await collect(await createChatCompletion({ model: 'm', messages, stream: true }, { fetch: fake }))).toEqual(chunks);
    const folded = await createChatCompletion({ model: 'm', messages }, { fetch: fake });
    expect(folded.choices[0]).toMatchObject({ message: { content: 'Hello' }, finish_reason: 'stop' });
  });

  it('stores completions created with store: true, and serves the other endpoints', async () => {
    const fake = createFakeOpenAI();
    const created = await createChatCompletion({ model: 'm', messages, store: true, metadata: { app: 'test' } }, { fetch: fake });
    expect((await getChatCompletion(created.id, { fetch: fake })).metadata).toEqual({ app: 'test' });
    expect((await listChatCompletions({ metadata: { app: 'test' } }, { fetch: fake })).data.map((c) => c.id)).toEqual([created.id]);
  });

  it('injects faults: a status with the API error body, a stream cut after N chunks, a delay', async () => {
    const fake = createFakeOpenAI();
    const options = { fetch: fake, maxRetries: 0 };
    fake.faults.push({ status: 429, body: { error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded', param: null } } });
    await expect(createChatCompletion({ model: 'm', messages }, options)).rejects.toMatchObject({
      constructor: RateLimitError,
      status: 429,
      code: 'rate_limit_exceeded',
      message: '429 Rate limit reached',
    });

    fake.faults.push({ cutAfterChunks: 2 });
    const cut = await createChatCompletion({ model: 'm', messages, stream: true }, options);
    await expect(collect(cut)).rejects.toBeInstanceOf(InvalidResponseError);

    fake.faults.push({ delayMs: 5_000 });
    await expect(createChatCompletion({ model: 'm', messages }, { ...options, timeout: 50 })).rejects.toBeInstanceOf(APIConnectionTimeoutError);
  });

  it('is also a CommonJS entry, and the main entry does not carry it', () => {
    const require = createRequire(import.meta.url);
    expect(typeof require('openai-chat-fetch/fake').createFakeOpenAI).toBe('function');
    const main = readFileSync(new URL('../../dist/index.js', import.meta.url), 'utf8');
    expect(main).not.toMatch(/createFakeOpenAI|Echo: /);
  });
});
