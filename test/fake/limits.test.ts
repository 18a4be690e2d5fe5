import { beforeEach, describe, expect, it } from 'vitest';
import { APIError, createChatCompletion } from '../../src/index.js';
import type { ChatCompletion, RequestOptions } from '../../src/index.js';
import type { FakeReply } from '../../src/fake/index.js';
import { useScriptedFake } from '../helpers/scripted-fake.js';

// The fake answers every request, over real HTTP through the SDK: what the API refuses gets the
// API's 400 (never a crash the SDK would see as a dropped connection and retry), and what would
// exhaust memory gets a 400 that names the fake's cap.

let script: (() => FakeReply | undefined) | undefined;
const { fake, server, overHTTP } = useScriptedFake(() => script?.());
beforeEach(() => {
  fake.reset();
  script = undefined;
});
/** Retries left on, so that a dropped connection would show as more than one request. */
const options = (): RequestOptions => ({ ...overHTTP(), maxRetries: 2 });
const messages = [{ role: 'user' as const, content: 'hi' }];

/** The error of one create request with `body` merged into a valid one; the fake must have seen it once. */
async function refusal(body: Record<string, unknown>): Promise<APIError> {
  const error = await createChatCompletion({ model: 'gpt-4o-mini', messages, ...body } as never, options()).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(APIError);
  expect(fake.requests).toHaveLength(1);
  return error as APIError;
}

describe('n, the number of choices', () => {
  it.each([
    [129, "Invalid 'n': integer above maximum value. Expected a value <= 128, but got 129 instead.", 'integer_above_max_value'],
    [10_000_000, "Invalid 'n': integer above maximum value. Expected a value <= 128, but got 10000000 instead.", 'integer_above_max_value'],
    [0, "Invalid 'n': integer below minimum value. Expected a value >= 1, but got 0 instead.", 'integer_below_min_value'],
    [1.5, "Invalid type for 'n': expected an integer, but got a decimal instead.", 'invalid_type'],
    ['abc', "Invalid type for 'n': expected an integer, but got a string instead.", 'invalid_type'],
    [[2], "Invalid type for 'n': expected an integer, but got an array instead.", 'invalid_type'],
  ])('n: %j is the API’s 400', async (n, message, code) => {
    const error = await refusal({ n });
    expect(error.status).toBe(400);
    expect({ message: error.message, param: error.param, code: error.code }).toEqual({ message: `400 ${message}`, param: 'n', code });
  });

  it('n: 128 gives 128 choices', async () => {
    const completion = await createChatCompletion({ model: 'gpt-4o-mini', messages, n: 128 }, options());
    expect(completion.choices.map((choice) => choice.index)).toEqual([...Array(128).keys()]);
  });
});

describe('messages', () => {
  it.each([
    [[null], "Invalid type for 'messages[0]': expected an object, but got null instead.", 'messages[0]'],
    [[{ role: 'user', content: 'a' }, 'hi'], "Invalid type for 'messages[1]': expected an object, but got a string instead.", 'messages[1]'],
    [[{ content: 'hi' }], "Missing required parameter: 'messages[0].role'.", 'messages[0].role'],
    [
      [{ role: 'robot', content: 'hi' }],
      "Invalid value: \"robot\". Supported values are: 'system', 'assistant', 'user', 'function', 'tool', and 'developer'.",
      'messages[0].role',
    ],
  ])('%j is the API’s 400', async (list, message, param) => {
    const error = await refusal({ messages: list });
    expect(error.status).toBe(400);
    expect([error.message, error.param]).toEqual([`400 ${message}`, param]);
  });
});

describe('names of formats and functions', () => {
  const format = (name: unknown) => ({ type: 'json_schema', json_schema: { name, schema: { type: 'object' } } });
  const tool = (name: unknown) => ({ type: 'function', function: { name, parameters: { type: 'object' } } });
  const pattern = "string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.";

  it.each([
    [{ response_format: format('bad name') }, `Invalid 'response_format.json_schema.name': ${pattern}`, 'response_format.json_schema.name'],
    [{ response_format: format('') }, `Invalid 'response_format.json_schema.name': ${pattern}`, 'response_format.json_schema.name'],
    [
      { response_format: format('x'.repeat(65)) },
      "Invalid 'response_format.json_schema.name': string too long. Expected a string with maximum length 64, but got a string with length 65 instead.",
      'response_format.json_schema.name',
    ],
    [{ response_format: format(undefined) }, "Missing required parameter: 'response_format.json_schema.name'.", 'response_format.json_schema.name'],
    [{ tools: [tool('get_weather'), tool('get weather')] }, `Invalid 'tools[1].function.name': ${pattern}`, 'tools[1].function.name'],
    [{ tools: [tool(7)] }, "Invalid type for 'tools[0].function.name': expected a string, but got a number instead.", 'tools[0].function.name'],
  ])('%j is the API’s 400', async (body, message, param) => {
    const error = await refusal(body);
    expect(error.status).toBe(400);
    expect([error.message, error.param]).toEqual([`400 ${message}`, param]);
  });

  it('takes every name the API takes', async () => {
    const completion = await createChatCompletion(
      { model: 'gpt-4o-mini', messages, response_format: format('A-z_09'.padEnd(64, 'x')) as never, tools: [tool('get-weather_2') as never] },
      options(),
    );
    expect(completion.choices[0]!.message.content).toBe('{}');
  });
});

describe('answers the fake would make too large', () => {
  /** An array of arrays `levels` deep, each with `minItems` items: `minItems ** levels` values. */
  const nestedArrays = (levels: number, minItems: number): Record<string, unknown> => {
    let schema: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < levels; i++) schema = { type: 'array', minItems, items: schema };
    return schema;
  };
  const strictFormat = (schema: Record<string, unknown>) => ({
    type: 'json_schema',
    json_schema: { name: 'big', strict: true, schema: { type: 'object', properties: { a: schema }, required: ['a'], additionalProperties: false } },
  });

  it('a strict schema whose arrays have minItems: 100 at four levels: a 400 naming the cap, at once', async () => {
    const error = await refusal({ response_format: strictFormat(nestedArrays(4, 100)) });
    expect(error.status).toBe(400);
    expect(error.code).toBe('fake_answer_too_large');
    expect(error.message).toMatch(/^400 The fake answers at most 1,000,000 characters, every choice together; this answer needs more than 1,000,000\./);
  });

  it('128 choices of a long echo: a 400 naming the cap and the size', async () => {
    const error = await refusal({ n: 128, messages: [{ role: 'user', content: 'x'.repeat(10_000) }] });
    expect(error.code).toBe('fake_answer_too_large');
    expect(error.message).toContain('this answer needs 1,280,768.');
  });

  it('a scripted text the fake makes into many choices counts every choice; a scripted completion is sent as it is', async () => {
    script = () => 'y'.repeat(600_000);
    expect((await refusal({ n: 2 })).code).toBe('fake_answer_too_large');
    fake.reset();
    const whole: ChatCompletion = {
      id: 'chatcmpl-big',
      object: 'chat.completion',
      created: 1,
      model: 'gpt-4o-mini',
      choices: [{ index: 0, message: { role: 'assistant', content: 'z'.repeat(2_000_000), refusal: null }, logprobs: null, finish_reason: 'stop' }],
    };
    script = () => whole;
    const completion = await createChatCompletion({ model: 'gpt-4o-mini', messages }, options());
    expect(completion.choices[0]!.message.content).toHaveLength(2_000_000);
  });

  it('a small answer from the same kind of schema is made', async () => {
    const completion = await createChatCompletion({ model: 'gpt-4o-mini', messages, response_format: strictFormat(nestedArrays(4, 3)) as never }, options());
    expect(JSON.parse(completion.choices[0]!.message.content!).a).toHaveLength(3);
  });
});

describe('schemas nested 20,000 deep', () => {
  /** The JSON text of a strict object schema nested `levels` deep: more than JSON.stringify (and so the SDK) can write. */
  const deep = (levels: number) =>
    '{"type":"object","properties":{"x":'.repeat(levels) + '{"type":"string"}' + '},"required":["x"],"additionalProperties":false}'.repeat(levels);
  /** Posts `body` (JSON text) to the fake over HTTP, as another client could. */
  const post = async (body: string) => {
    const response = await fetch(`${server.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    return { status: response.status, body: (await response.json()) as { error?: { message: string; param: string | null }; choices?: unknown[] } };
  };
  const request = (format: string) => `{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}],${format}}`;

  it('strict: the API-style 400, not a throw', async () => {
    const { status, body } = await post(
      request(`"response_format":{"type":"json_schema","json_schema":{"name":"deep","strict":true,"schema":${deep(20_000)}}}`),
    );
    expect(status).toBe(400);
    expect(body.error!.message).toMatch(
      /^Invalid schema for response_format 'deep': In context=\('properties', 'x',.*\), schema nests deeper than the fake reads \(200 keywords\)\.$/,
    );
  });

  it('strict, as a function’s parameters: the same', async () => {
    const { status, body } = await post(request(`"tools":[{"type":"function","function":{"name":"deep","strict":true,"parameters":${deep(20_000)}}}]`));
    expect(status).toBe(400);
    expect(body.error!.param).toBe('tools[0].function.parameters');
  });

  it('not strict: an answer, its instance cut at the depth the fake follows', async () => {
    const { status, body } = await post(request(`"response_format":{"type":"json_schema","json_schema":{"name":"deep","schema":${deep(20_000)}}}`));
    expect(status).toBe(200);
    expect((body.choices as { message: { content: string } }[])[0]!.message.content).toMatch(/^\{"x":\{"x":/);
  });

  it('through the SDK, a schema nested deep enough to encode gets the 400 too', async () => {
    const error = await refusal({ response_format: { type: 'json_schema', json_schema: { name: 'deep', strict: true, schema: JSON.parse(deep(300)) } } });
    expect(error.status).toBe(400);
    expect(error.message).toContain('schema nests deeper than the fake reads');
  });
});

describe('a scripted reply that throws', () => {
  it('is a 500 carrying its message, not a dropped connection', async () => {
    script = () => {
      throw new Error('fixture missing');
    };
    const error = await createChatCompletion({ model: 'gpt-4o-mini', messages }, { ...overHTTP(), maxRetries: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).status).toBe(500);
    expect((error as APIError).message).toBe('500 The fake could not answer: fixture missing');
  });
});
