import { type } from 'arktype';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { accumulateChatCompletion } from '../../src/fold/accumulate.js';
import { createChatCompletion } from '../../src/chat.js';
import { createFakeOpenAI } from '../../src/fake/index.js';
import { LengthFinishReasonError, functionTool, jsonSchemaFormat, createParsedChatCompletion, toParsedChatCompletion } from '../../src/structured/index.js';
import type { RequestOptions } from '../../src/types/index.js';

// The README's structured-output examples, as written there, with the options (and so the
// fetch) taken from the caller so that the fake can answer.

async function zodExample(options?: RequestOptions) {
  const Person = z.object({ name: z.string(), born: z.number().int().optional(), languages: z.array(z.string()) });

  const completion = await createParsedChatCompletion(
    {
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Who was Ada Lovelace?' }],
      response_format: jsonSchemaFormat(Person, { name: 'person' }),
    },
    options,
  );
  const { parsed, refusal } = completion.choices[0].message; // parsed: { name: string; born?: number; languages: string[] } | null
  return parsed ? `${parsed.name}, born ${parsed.born ?? '?'}` : `Refused: ${refusal}`;
}

async function arktypeExample(options?: RequestOptions) {
  const Todo = type({ title: 'string', done: 'boolean', 'due?': 'string' });

  const completion = await createParsedChatCompletion(
    {
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Add "buy milk" to my list.' }],
      response_format: jsonSchemaFormat(Todo, { name: 'todo' }),
    },
    options,
  );
  return completion.choices[0].message.parsed; // { title: string; done: boolean; due?: string } | null
}

async function jsonSchemaExample(options?: RequestOptions) {
  interface Weather {
    city: string;
    celsius: number;
  }
  const weather = jsonSchemaFormat<Weather>(
    { type: 'object', properties: { city: { type: 'string' }, celsius: { type: 'number' } }, required: ['city', 'celsius'] },
    { name: 'weather' },
  );

  const completion = await createParsedChatCompletion(
    { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Weather in Oslo?' }], response_format: weather },
    options,
  );
  return completion.choices[0].message.parsed; // Weather | null, JSON.parse'd only: no validation
}

async function streamingExample(options?: RequestOptions) {
  const Person = z.object({ name: z.string(), languages: z.array(z.string()) });
  const body = {
    model: 'gpt-4o-mini',
    messages: [{ role: 'user' as const, content: 'Who was Ada Lovelace?' }],
    response_format: jsonSchemaFormat(Person, { name: 'person' }),
  };

  const stream = await createChatCompletion({ ...body, stream: true }, options);
  const [forScreen, forParse] = stream.tee();
  const shown: string[] = [];
  const showing = (async () => {
    for await (const chunk of forScreen) shown.push(chunk.choices[0]?.delta.content ?? '');
  })();
  const completion = await toParsedChatCompletion(await accumulateChatCompletion(forParse), body);
  await showing;
  return { shown: shown.join(''), parsed: completion.choices[0].message.parsed };
}

async function toolExample(options?: RequestOptions) {
  const weather = functionTool({
    name: 'weather',
    description: 'The current weather in a city',
    parameters: z.object({ city: z.string(), unit: z.enum(['celsius', 'fahrenheit']).optional() }),
  });

  const completion = await createParsedChatCompletion(
    { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Weather in Oslo?' }], tools: [weather] },
    options,
  );
  return completion.choices[0].message.tool_calls?.map((call) => call.function.parsed_arguments); // { city: string; unit?: 'celsius' | 'fahrenheit' }[]
}

describe('README: structured outputs', () => {
  it('zod: typed and validated, optional fields absent when the model sends null', async () => {
    const fake = createFakeOpenAI({ replies: ['{"name":"Ada Lovelace","born":null,"languages":["English"]}'] });
    expect(await zodExample({ fetch: fake })).toBe('Ada Lovelace, born ?');
  });

  it('zod: a refusal', async () => {
    const fake = createFakeOpenAI({ replies: [{ refusal: "I can't help with that." }] });
    expect(await zodExample({ fetch: fake })).toBe("Refused: I can't help with that.");
  });

  it('arktype', async () => {
    const fake = createFakeOpenAI({ replies: ['{"title":"buy milk","done":false,"due":null}'] });
    expect(await arktypeExample({ fetch: fake })).toEqual({ title: 'buy milk', done: false });
  });

  it('a plain JSON Schema typed by its type argument', async () => {
    const fake = createFakeOpenAI({ replies: ['{"city":"Oslo","celsius":-3}'] });
    expect(await jsonSchemaExample({ fetch: fake })).toEqual({ city: 'Oslo', celsius: -3 });
  });

  it('streaming: show the deltas, parse the fold', async () => {
    const fake = createFakeOpenAI({ replies: ['{"name":"Ada Lovelace","languages":["English","French"]}'] });
    expect(await streamingExample({ fetch: fake })).toEqual({
      shown: '{"name":"Ada Lovelace","languages":["English","French"]}',
      parsed: { name: 'Ada Lovelace', languages: ['English', 'French'] },
    });
  });

  it('a function tool: parsed_arguments', async () => {
    const fake = createFakeOpenAI({ replies: [{ tool_calls: [{ name: 'weather', arguments: { city: 'Oslo', unit: null } }] }] });
    expect(await toolExample({ fetch: fake })).toEqual([{ city: 'Oslo' }]);
  });

  it('the fake: default answers fit the schema; a stop at length on request', async () => {
    const fake = createFakeOpenAI({ replies: [{ finish_reason: 'length' }] });
    await expect(zodExample({ fetch: fake })).rejects.toBeInstanceOf(LengthFinishReasonError);
    expect(await zodExample({ fetch: fake })).toBe(', born 0');
  });
});
