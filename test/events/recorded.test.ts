import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { functionTool, jsonSchemaFormat } from '../../src/structured/index.js';
import { accumulateChatCompletion } from '../../src/fold/accumulate.js';
import { toChatCompletionEvents } from '../../src/events/to-events.js';
import { parseServerSentEvents } from '../../src/stream/chunk-stream.js';
import type { ChatCompletion } from '../../src/types/index.js';
import type { ChatCompletionEvent } from '../../src/events/types.js';
import { RECORDED, bodyOf, randomPieces, recorded, seeded } from '../helpers/fold-streams.js';
import { valuesOf } from '../helpers/streams.js';

// Every stream in test/fixtures/streams (hand-made ones, and those recorded from live APIs by
// other projects: origins in fixtures/streams/recorded/README.md) read as events: the last
// event holds what accumulateChatCompletion folds, and the deltas join into the fold's texts.

const HAND_MADE = new URL('../fixtures/streams/', import.meta.url);
const files = [
  ...readdirSync(HAND_MADE)
    .filter((name) => name.endsWith('.txt'))
    .map((name) => new URL(name, HAND_MADE)),
  ...readdirSync(RECORDED)
    .filter((name) => name.endsWith('.txt'))
    .map((name) => new URL(name, RECORDED)),
];

type Event = ChatCompletionEvent;

async function eventsOf(bytes: Uint8Array): Promise<{ events: Event[]; error?: unknown }> {
  const events: Event[] = [];
  try {
    for await (const event of toChatCompletionEvents(parseServerSentEvents(bodyOf(randomPieces(bytes, seeded(bytes.length)))))) events.push(event);
  } catch (error) {
    return { events, error };
  }
  return { events };
}

/** The texts the deltas of one choice make, by part. */
function joined(events: Event[], choice: unknown) {
  const texts = { content: '', refusal: '', calls: new Map<unknown, string>() };
  for (const event of events) {
    if (event.type === 'chunk' || event.type === 'done' || event.choice_index !== choice) continue;
    if (event.type === 'content.delta') texts.content += event.delta;
    if (event.type === 'refusal.delta') texts.refusal += event.delta;
    if (event.type === 'tool_calls.function.arguments.delta') texts.calls.set(event.index, (texts.calls.get(event.index) ?? '') + event.arguments_delta);
  }
  return texts;
}

describe('recorded streams read as events', () => {
  for (const file of files) {
    const name = file.pathname.split('/').slice(-2).join('/');
    it(name, async () => {
      const bytes = new Uint8Array(readFileSync(file));
      const fold = await accumulateChatCompletion(parseServerSentEvents(bodyOf([bytes]))).catch((error: Error) => error);
      const { events, error } = await eventsOf(bytes);
      if (fold instanceof Error) {
        // A stream the fold rejects (a cut, say) fails the events with the same error.
        expect(error).toBeInstanceOf(fold.constructor);
        expect((error as Error).message).toBe(fold.message);
        return;
      }
      expect(error).toBeUndefined();
      const last = events.at(-1);
      expect(last?.type).toBe('done');
      expect(last?.type === 'done' && last.completion).toEqual(fold);
      for (const choice of (fold as ChatCompletion).choices) {
        const texts = joined(events, choice.index);
        const { content, refusal, tool_calls } = choice.message;
        if (typeof content === 'string') expect(texts.content).toBe(content);
        expect(texts.refusal).toBe(refusal ?? '');
        expect([...texts.calls.values()]).toEqual((tool_calls ?? []).map((call) => (call as { function: { arguments: string } }).function.arguments));
        const dones = events.filter((event) => event.type === 'tool_calls.function.arguments.done' && event.choice_index === choice.index);
        expect(dones).toHaveLength(tool_calls?.length ?? 0);
      }
    });
  }
});

describe('recorded tool-call streams read as events with a response_format and functionTools', () => {
  const format = jsonSchemaFormat(z.object({ summary: z.string() }), { name: 'summary' });
  const weather = functionTool({ name: 'weather', parameters: z.object({ location: z.string().optional() }) });
  const webSearchTool = functionTool({ name: 'webSearchTool', parameters: z.object({ query: z.string() }) });
  const TOOL_CALLS = [
    'deepseek-tool-call.txt',
    'groq-tool-call.txt',
    'mistral-tool-call.txt',
    'mistral-incremental-tool-call.txt',
    'qwen-tool-call.txt',
    'xai-tool-call.txt',
  ];
  for (const name of TOOL_CALLS) {
    it(`${name}: the turn that calls tools parses to null, its calls validated`, async () => {
      const stream = parseServerSentEvents(bodyOf([recorded(name)]));
      const events = await valuesOf(toChatCompletionEvents(stream, { response_format: format, tools: [weather, webSearchTool] }));
      const done = events.at(-1);
      if (done?.type !== 'done') throw new Error('no done event');
      const { message } = done.completion.choices[0]!;
      expect(message.parsed).toBeNull();
      const call = message.tool_calls![0]!;
      expect(call.type).toBe('function');
      expect(call.function.parsed_arguments).toEqual(JSON.parse(call.function.arguments));
      const argumentDones = events.filter((event) => event.type === 'tool_calls.function.arguments.done');
      expect(argumentDones.map((event) => event.type === 'tool_calls.function.arguments.done' && event.parsed_arguments)).toEqual([
        call.function.parsed_arguments,
      ]);
    });
  }
});
