import { inspect } from 'node:util';
import { beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  APIError,
  ContentFilterFinishReasonError,
  LengthFinishReasonError,
  OutputValidationError,
  accumulateChatCompletion,
  createChatCompletion,
  getResponseMeta,
  jsonSchemaFormat,
  listChatCompletions,
  createParsedChatCompletion,
  toParsedChatCompletion,
  toChatCompletionEvents,
} from '../src/index.js';
import type { RequestOptions } from '../src/index.js';
import { KEYS, everythingShownOf, keyOptions, leakOf } from './helpers/leaks.js';
import type { KeyMode } from './helpers/leaks.js';
import { chunkEvent, eventStream, json, useHostileServer } from './helpers/hostile.js';
import { caught, readAll } from './helpers/streams.js';

// Over real HTTP on 127.0.0.1: the errors of the layer above the wire carry
// no secret; keys in headers are secrets; one rule says what is a secret, and masking changes
// nothing else. (The property test of the same rule: secrets-property.test.ts.)
const hostile = useHostileServer();
beforeEach(() => hostile.reset());

const KEY = KEYS.project;
const base = (extra: RequestOptions = {}): RequestOptions => ({ baseURL: hostile.server.baseURL, maxRetries: 0, ...extra });
const messages = [{ role: 'user' as const, content: 'hi' }];
const Person = z.object({ name: z.string(), age: z.number({ error: (issue) => `age must be a number, got ${JSON.stringify(issue.input)}` }) });
const format = jsonSchemaFormat(Person, { name: 'person' });

function completion(content: string, finish_reason = 'stop') {
  return {
    id: 'chatcmpl-s',
    object: 'chat.completion',
    created: 1,
    model: 'm',
    choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, finish_reason, logprobs: null }],
  };
}

/** What an error of the layer above must be: the completion hidden and masked, nothing of the key anywhere. */
async function expectClean(error: unknown, key: string): Promise<void> {
  const e = error as Error & { completion: { choices: { message: { content: string } }[] } };
  expect(Object.keys(e)).not.toContain('completion');
  expect(JSON.stringify(e)).not.toContain('chatcmpl-s');
  expect(inspect(e, { depth: 10 })).not.toContain('chatcmpl-s');
  expect(leakOf(await everythingShownOf(e), key)).toBeUndefined();
  expect(leakOf(JSON.stringify(e.completion), key)).toBeUndefined();
  expect(e.completion.choices[0]!.message.content).toContain('[REDACTED]');
}

describe('errors of the layer above the wire (item 2)', () => {
  const modes: KeyMode[] = ['apiKey', 'function'];

  it.each(modes)('OutputValidationError, whose schema quotes the value: the message, issues and completion are masked (%s key)', async (mode) => {
    hostile.answer = () => json(completion(`{"name":"Ann","age":"${KEY}"}`));
    const error = await caught(createParsedChatCompletion({ model: 'm', messages, response_format: format }, base(keyOptions(KEY, mode))));
    expect(error).toBeInstanceOf(OutputValidationError);
    expect(error.message).toBe('The answer of choice 0 failed validation: age: age must be a number, got "[REDACTED]"');
    expect(JSON.stringify((error as OutputValidationError).issues)).toContain('[REDACTED]');
    await expectClean(error, KEY);
  });

  it.each([
    ['length', LengthFinishReasonError],
    ['content_filter', ContentFilterFinishReasonError],
  ] as const)('%s: the completion it carries is masked and not enumerable', async (reason, type) => {
    hostile.answer = () => json(completion(`{"name":"${KEY}`, reason));
    const error = await caught(createParsedChatCompletion({ model: 'm', messages, response_format: format }, base({ apiKey: () => KEY })));
    expect(error).toBeInstanceOf(type);
    await expectClean(error, KEY);
    // The masked copy still says where it came from.
    expect(getResponseMeta((error as LengthFinishReasonError).completion)?.status).toBe(200);
  });

  it('a key streamed in pieces too small to be masked one by one is masked in the folded completion an error carries', async () => {
    const pieces = `{"name":"Ann","age":"${KEY}"}`.match(/.{1,6}/gs)!;
    hostile.answer = () => eventStream([...pieces.map((piece) => chunkEvent(piece)), chunkEvent(null, 'stop'), 'data: [DONE]\n\n']);
    const stream = await createChatCompletion({ model: 'm', messages, stream: true }, base({ apiKey: KEY }));
    const { error } = await readAll(toChatCompletionEvents(stream, { response_format: format }));
    expect(error).toBeInstanceOf(OutputValidationError);
    await expectClean(error, KEY);
    expect(leakOf(JSON.stringify((error as { partial?: unknown }).partial), KEY)).toBeUndefined();
  });

  it('and so after accumulateChatCompletion and toParsedChatCompletion', async () => {
    const pieces = `{"name":"${KEY}`.match(/.{1,6}/gs)!;
    hostile.answer = () => eventStream([...pieces.map((piece) => chunkEvent(piece)), chunkEvent(null, 'length'), 'data: [DONE]\n\n']);
    const folded = await accumulateChatCompletion(await createChatCompletion({ model: 'm', messages, stream: true }, base({ apiKey: async () => KEY })));
    expect(getResponseMeta(folded)?.status).toBe(200);
    const error = await caught(toParsedChatCompletion(folded, { response_format: format }));
    expect(error).toBeInstanceOf(LengthFinishReasonError);
    await expectClean(error, KEY);
  });
});

describe('keys in headers are secrets too (item 3)', () => {
  it.each(['authorization', 'api-key'] as const)('a key in %s is masked in errors, hook arguments and response metadata', async (mode) => {
    const echo = { 'x-echo': `Bearer ${KEYS.azure}`, 'x-request-id': 'req_h' };
    const seen: string[] = [];
    const options = base({ ...keyOptions(KEYS.azure, mode), onResponse: (info) => void seen.push(JSON.stringify(info)) });
    hostile.answer = () => json({ error: { message: `Access denied for key ${KEYS.azure}.` } }, 401, echo);
    const error = await caught(listChatCompletions({}, options));
    expect(error.message).toBe('401 Access denied for key [REDACTED].');
    expect(leakOf(await everythingShownOf(error), KEYS.azure)).toBeUndefined();
    hostile.answer = () => json({ object: 'list', data: [], has_more: false, first_id: null, last_id: null }, 200, echo);
    const list = await listChatCompletions({}, options);
    expect(getResponseMeta(list)?.headers['x-echo']).toBe('Bearer [REDACTED]');
    expect(seen.join('\n')).not.toContain(KEYS.azure);
    expect(seen.join('\n')).toContain('[REDACTED]');
    // The key did go where it was meant to.
    expect(hostile.seen[0]!.headers[mode]).toContain(KEYS.azure);
  });
});

describe('one rule for what is masked, and no mangling (item 4)', () => {
  const placeholders = ['null', 'EMPTY', 'ollama', 'lm-studio', 'sk-no-key-required', 'x'];

  it.each(placeholders)('the placeholder %j is not masked inside prose, request ids, or streamed words', async (key) => {
    hostile.answer = () => json({ error: { message: `bad ${key} value`, param: null } }, 400, { 'x-request-id': `req_${key}_1` });
    const error = (await caught(listChatCompletions({}, base({ apiKey: key })))) as APIError;
    expect(error.message).toBe(`400 bad ${key} value`);
    expect(error.requestId).toBe(`req_${key}_1`);
    expect(error.param).toBeNull();
    hostile.answer = () => eventStream([chunkEvent(`the ${key} model said ${key}`, 'stop'), 'data: [DONE]\n\n']);
    const { values } = await readAll(await createChatCompletion({ model: 'm', messages, stream: true }, base({ apiKey: key })));
    expect(values[0]!.choices[0]!.delta.content).toBe(`the ${key} model said ${key}`);
  });

  it.each(Object.entries(KEYS))('a key of the %s shape is masked in errors and in streamed chunks alike, and only the key', async (_, key) => {
    hostile.answer = () => json({ error: { message: `bad key ${key}.`, param: null } }, 400, { 'x-request-id': 'req_1' });
    const error = (await caught(listChatCompletions({}, base({ apiKey: key })))) as APIError;
    expect(error.message).toBe('400 bad key [REDACTED].');
    expect(error.requestId).toBe('req_1');
    hostile.answer = () => eventStream([chunkEvent(`your key is ${key}, friend`, 'stop'), 'data: [DONE]\n\n']);
    const { values } = await readAll(await createChatCompletion({ model: 'm', messages, stream: true }, base({ apiKey: key })));
    expect(values[0]!.choices[0]!.delta.content).toBe('your key is [REDACTED], friend');
    expect(values[0]!.id).toBe('chatcmpl-h');
  });
});
