import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { functionTool, jsonSchemaFormat } from '../../src/index.js';
import type { ChatCompletion, ChatCompletionCreateParams, ChatCompletionMessageParam, ParsedFunctionToolCall } from '../../src/index.js';
import type { FakeReply } from '../../src/fake/index.js';
import { useScriptedFake } from '../helpers/scripted-fake.js';
import { recordedChunks, runPlain, runStreamed } from '../helpers/tool-loop.js';

// Tool calls as real providers stream them (recorded: see fixtures/streams/recorded/README.md),
// through the whole loop over HTTP, streamed and not: every one runs its tool, and the answer
// after it is parsed. Mistral and xAI send no `type`, Mistral no `index`; DeepSeek and Mistral
// send `content: ""` with the calls.

let script: FakeReply[] = [];
const { fake, overHTTP } = useScriptedFake(() => script.shift());

const seen: unknown[] = [];
const weather = functionTool({
  name: 'weather',
  parameters: z.object({ location: z.string().optional() }),
  execute: (args) => {
    seen.push(args);
    return { sky: 'sunny' };
  },
});
const webSearchTool = functionTool({
  name: 'webSearchTool',
  parameters: z.object({ query: z.string() }),
  execute: (args) => {
    seen.push(args);
    return 'Berlin: 12 °C, rain';
  },
});
const Summary = z.object({ summary: z.string() });
const summary = jsonSchemaFormat(Summary, { name: 'summary' });
const question: ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather?' }];
const body = { model: 'm', messages: question, tools: [weather, webSearchTool], response_format: summary };

const RECORDED_CALLS = {
  'deepseek-tool-call.txt': { location: 'San Francisco' },
  'groq-tool-call.txt': {},
  'mistral-tool-call.txt': { location: 'San Francisco' },
  'mistral-incremental-tool-call.txt': { query: 'current Berlin weather' },
  'qwen-tool-call.txt': { location: 'San Francisco' },
  'xai-tool-call.txt': { location: 'San Francisco' },
};
const modes = { plain: runPlain, streamed: runStreamed };

describe('recorded tool calls through runTools, over HTTP', () => {
  for (const [name, args] of Object.entries(RECORDED_CALLS)) {
    for (const [mode, run] of Object.entries(modes)) {
      it(`${name}, ${mode}: runs the call, answers it, parses the tool-call turn as null and the answer`, async () => {
        script = [await recordedChunks(name), '{"summary":"sunny"}'];
        seen.length = 0;
        const before = fake.requests.length;
        const { result, error } = await run(body, overHTTP());
        expect(error).toBeUndefined();
        expect(seen).toEqual([args]);
        expect(result!.stopReason).toBe('no_tool_calls');
        expect(result!.steps).toHaveLength(2);
        const [first, last] = result!.steps;
        expect(first!.results.map((r) => r.error)).toEqual([undefined]);
        // A turn that calls tools has no answer yet: parsed null, not "not valid JSON".
        expect(first!.completion.choices[0]!.message.parsed).toBeNull();
        expect((first!.completion.choices[0]!.message.tool_calls![0] as ParsedFunctionToolCall).function.parsed_arguments).toEqual(args);
        expect(last!.completion.choices[0]!.message.parsed).toEqual({ summary: 'sunny' });
        // The call went back as a function call, and its answer right after it.
        const sent = (fake.requests[before + 1]!.body as ChatCompletionCreateParams).messages;
        const call = (sent[1] as { tool_calls: { id: string; type: string }[] }).tool_calls[0]!;
        expect(call.type).toBe('function');
        expect(sent[2]).toMatchObject({ role: 'tool', tool_call_id: call.id });
      });
    }
  }

  // Mistral's non-streamed answer: the call has neither `index` nor `type`.
  const mistralAnswer = (): ChatCompletion => ({
    id: 'b3999b8c93e04e11bcbff7bcab829667',
    object: 'chat.completion',
    created: 1769088854,
    model: 'mistral-small-latest',
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: '',
          tool_calls: [{ id: 'gSIMJiOkT', function: { name: 'weather', arguments: '{"location": "San Francisco"}' } }] as never,
          refusal: null,
        },
        finish_reason: 'tool_calls',
        logprobs: null,
      },
    ],
  });

  for (const [mode, run] of Object.entries(modes)) {
    it(`Mistral's non-streamed shape and the same as chunks, ${mode}: one ending`, async () => {
      script = [mistralAnswer(), '{"summary":"sunny"}'];
      seen.length = 0;
      const { result } = await run(body, overHTTP());
      expect(seen).toEqual([{ location: 'San Francisco' }]);
      expect(result!.steps[0]!.results[0]!.toolCall).toMatchObject({ id: 'gSIMJiOkT', type: 'function' });
      expect(result!.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant']);
    });
  }
});
