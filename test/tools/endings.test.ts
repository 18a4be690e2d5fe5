import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { LengthFinishReasonError, OpenAIError, OutputValidationError, functionTool, jsonSchemaFormat } from '../../src/index.js';
import type { ChatCompletion, ChatCompletionMessageParam, RunToolsParams } from '../../src/index.js';
import type { FakeReply } from '../../src/fake/index.js';
import { useScriptedFake } from '../helpers/scripted-fake.js';
import { runPlain, runStreamed } from '../helpers/tool-loop.js';

// How the loop ends, in both modes over HTTP: why it stopped, what a cut or broken last answer
// does, and calls it cannot run.

let script: FakeReply[] = [];
const { fake, overHTTP } = useScriptedFake(() => script.shift());
const modes = { plain: runPlain, streamed: runStreamed };

let runs = 0;
const weather = functionTool({
  name: 'weather',
  parameters: z.object({ city: z.string() }),
  execute: ({ city }) => {
    runs++;
    return `sunny in ${city}`;
  },
});
const question: ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather in Paris?' }];
const body: RunToolsParams = { model: 'm', messages: question, tools: [weather] };
const callWeather: FakeReply = { tool_calls: [{ name: 'weather', arguments: { city: 'Paris' } }] };

for (const [mode, run] of Object.entries(modes)) {
  describe(`runTools ${mode}`, () => {
    it('says max_steps when cut off: the last step’s tools ran, and the messages go on from there', async () => {
      script = [callWeather, callWeather, callWeather];
      runs = 0;
      const { result, events } = await run(body, { ...overHTTP(), maxSteps: 2 });
      expect(result!.stopReason).toBe('max_steps');
      expect(result!.steps).toHaveLength(2);
      expect(runs).toBe(2);
      expect(result!.messages.at(-1)).toMatchObject({ role: 'tool', content: 'sunny in Paris' });
      if (events) expect(events.at(-1)).toMatchObject({ type: 'done', stopReason: 'max_steps' });
      // Continuing: the model answers the last tool results.
      script = ['It is sunny.'];
      const next = await run({ ...body, messages: result!.messages }, overHTTP());
      expect(next.result!.stopReason).toBe('no_tool_calls');
      expect(next.result!.completion.choices[0]!.message.content).toBe('It is sunny.');
      expect(next.result!.messages.slice(0, result!.messages.length)).toEqual(result!.messages);
    });

    it('says no_tool_calls when the answer calls no tool', async () => {
      script = [callWeather, 'Sunny.'];
      const { result, events } = await run(body, overHTTP());
      expect(result!.stopReason).toBe('no_tool_calls');
      if (events) expect(events.at(-1)).toMatchObject({ type: 'done', stopReason: 'no_tool_calls' });
    });

    it('returns a last answer cut by length when there is no format to fill', async () => {
      script = [callWeather, { content: 'Sunny and', finish_reason: 'length' }];
      const { result, error } = await run(body, overHTTP());
      expect(error).toBeUndefined();
      expect(result!.completion.choices[0]).toMatchObject({ finish_reason: 'length', message: { content: 'Sunny and' } });
    });

    it('rejects a last answer cut by length, or failing its format, as createParsedChatCompletion does', async () => {
      const format = jsonSchemaFormat(z.object({ answer: z.string() }), { name: 'answer' });
      script = [callWeather, { content: '{"answer":"sun', finish_reason: 'length' }];
      const cut = await run({ ...body, response_format: format }, overHTTP());
      expect(cut.error).toBeInstanceOf(LengthFinishReasonError);
      script = [callWeather, 'Sunny.'];
      const broken = await run({ ...body, response_format: format }, overHTTP());
      expect(broken.error).toBeInstanceOf(OutputValidationError);
      expect(broken.error!.message).toBe('The answer of choice 0 failed validation: not valid JSON');
    });

    it('rejects a call of a type it cannot run (custom) with an OpenAIError naming the type, and makes no further request', async () => {
      const custom = { id: 'call_custom', type: 'custom', custom: { name: 'grep', input: 'x' } };
      const answer: ChatCompletion = {
        id: 'chatcmpl-custom',
        object: 'chat.completion',
        created: 1,
        model: 'm',
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: null, refusal: null, tool_calls: [custom as never] },
            finish_reason: 'tool_calls',
            logprobs: null,
          },
        ],
      };
      script = [answer, 'Sorry.'];
      const before = fake.requests.length;
      const { error } = await run(body, overHTTP());
      expect(error).toBeInstanceOf(OpenAIError);
      expect(error!.message).toBe("runTools cannot answer the model's tool call 0: it is a custom tool call, and the loop runs functionTool()s only.");
      expect(fake.requests.length - before).toBe(1);
    });

    it('answers an execute that throws an object without a prototype, and one that throws a string', async () => {
      const odd = functionTool({
        name: 'odd',
        parameters: z.object({ kind: z.enum(['bare', 'text']) }),
        execute: ({ kind }) => {
          throw kind === 'bare' ? Object.create(null) : 'out of cheese';
        },
      });
      script = [
        {
          tool_calls: [
            { name: 'odd', arguments: { kind: 'bare' } },
            { name: 'odd', arguments: { kind: 'text' } },
          ],
        },
        'Done.',
      ];
      const { result, error } = await run({ ...body, tools: [odd] }, overHTTP());
      expect(error).toBeUndefined();
      expect(result!.steps[0]!.results.map((r) => r.error)).toEqual(['Error: odd failed: [object Object]', 'Error: odd failed: out of cheese']);
    });

    it('answers arguments whose validator throws, and arguments that are not JSON', async () => {
      const link = functionTool({
        name: 'link',
        parameters: z.object({ href: z.string().transform((href) => new URL(href).host) }),
        execute: ({ href }) => href,
      });
      script = [
        {
          tool_calls: [
            { name: 'link', arguments: { href: 'nowhere' } },
            { name: 'link', arguments: '{"href":' },
          ],
        },
        'Done.',
      ];
      const { result } = await run({ ...body, tools: [link] }, overHTTP());
      const [thrown, notJSON] = result!.steps[0]!.results;
      expect(thrown!.error).toMatch(/^Error: invalid arguments for link: Invalid URL\. Call it again/);
      expect(notJSON!.error).toBe('Error: invalid arguments for link: not valid JSON. Call it again with arguments that fit its parameters.');
      expect(result!.stopReason).toBe('no_tool_calls');
    });
  });
}
