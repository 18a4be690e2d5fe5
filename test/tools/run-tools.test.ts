import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { APIUserAbortError, OpenAIError, functionTool, jsonSchemaFormat, runTools } from '../../src/index.js';
import type {
  ChatCompletionCreateParams,
  ChatCompletionMessageParam,
  RunToolsEvent,
  RunToolsOptions,
  RunToolsParams,
  RunToolsStopReason,
} from '../../src/index.js';
import { createFakeOpenAI } from '../../src/fake/index.js';
import type { FakeReply } from '../../src/fake/index.js';
import { serve } from '../server/http.js';
import { caught, readAll } from '../helpers/streams.js';

// The tool loop against the fake, which scripts the model's tool calls; over real HTTP where
// it matters that requests really go out (and stop going out).
const question: ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather and time in Paris?' }];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function tools(log: string[] = []) {
  const weather = functionTool({
    name: 'weather',
    parameters: z.object({ city: z.string() }),
    execute: async ({ city }) => {
      log.push(`weather ${city} start`);
      await sleep(20);
      log.push(`weather ${city} end`);
      return { city, sky: 'sunny', celsius: 21 };
    },
  });
  const time = functionTool({
    name: 'time',
    parameters: z.object({ city: z.string() }),
    execute: async ({ city }) => {
      log.push(`time ${city} start`);
      await sleep(5);
      log.push(`time ${city} end`);
      return `12:00 in ${city}`;
    },
  });
  return [weather, time];
}

/** A fake whose model calls `calls` first, then answers `final`. */
function scripted(...replies: FakeReply[]) {
  return createFakeOpenAI({ replies });
}
const bothTools: FakeReply = {
  tool_calls: [
    { name: 'weather', arguments: { city: 'Paris' } },
    { name: 'time', arguments: { city: 'Paris' } },
  ],
};

describe('runTools', () => {
  it('runs a two-tool round trip over HTTP: assistant message, one tool message per call, then the answer', async () => {
    const fake = scripted(bothTools, 'Sunny, 21 °C, and it is noon.');
    const server = await serve(fake.handle);
    try {
      const log: string[] = [];
      const { completion, messages, steps } = await runTools(
        { model: 'gpt-4o-mini', messages: question, tools: tools(log) },
        { baseURL: server.baseURL, apiKey: 'sk-tools', maxRetries: 0 },
      );
      expect(completion.choices[0]!.message.content).toBe('Sunny, 21 °C, and it is noon.');
      expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'tool', 'assistant']);
      const [, assistant, weather, time] = messages;
      const calls = (assistant as { tool_calls: { id: string }[] }).tool_calls;
      expect(weather).toEqual({ role: 'tool', tool_call_id: calls[0]!.id, content: '{"city":"Paris","sky":"sunny","celsius":21}' });
      expect(time).toEqual({ role: 'tool', tool_call_id: calls[1]!.id, content: '12:00 in Paris' });
      expect(steps).toHaveLength(2);
      expect(steps[0]!.results.map((r) => r.error)).toEqual([undefined, undefined]);
      // Concurrently: both started before the slower one ended.
      expect(log.indexOf('time Paris start')).toBeLessThan(log.indexOf('weather Paris end'));
      // The second request carried the whole transcript, without execute or parsers on the wire.
      const second = fake.requests[1]!.body as ChatCompletionCreateParams;
      expect(second.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'tool']);
      expect(JSON.stringify(second.tools)).toBe(JSON.stringify(tools()));
      expect(fake.requests).toHaveLength(2);
    } finally {
      await server.close();
    }
  });

  it('runs the calls one after the other with parallel_tool_calls: false', async () => {
    const log: string[] = [];
    await runTools({ model: 'm', messages: question, tools: tools(log), parallel_tool_calls: false }, { fetch: scripted(bothTools, 'done'), apiKey: 'k' });
    expect(log).toEqual(['weather Paris start', 'weather Paris end', 'time Paris start', 'time Paris end']);
  });

  it('answers an unknown tool, invalid arguments and a throwing execute to the model, which corrects itself', async () => {
    const failing = functionTool({
      name: 'fails',
      parameters: z.object({}),
      execute: () => {
        throw new Error('the database is down');
      },
    });
    const fake = scripted(
      {
        tool_calls: [
          { name: 'nope', arguments: {} },
          { name: 'weather', arguments: { town: 'Paris' } },
          { name: 'fails', arguments: {} },
        ],
      },
      'Sorry, I could not find out.',
    );
    const { messages, steps } = await runTools({ model: 'm', messages: question, tools: [...tools(), failing] }, { fetch: fake, apiKey: 'k' });
    const contents = steps[0]!.results.map((r) => r.content);
    expect(contents[0]).toBe('Error: there is no tool named "nope". The tools are: weather, time, fails.');
    expect(contents[1]).toMatch(/^Error: invalid arguments for weather: city: .+\. Call it again/);
    expect(contents[2]).toBe('Error: fails failed: the database is down');
    expect(steps[0]!.results.every((r) => r.error === r.content)).toBe(true);
    expect(messages.filter((m) => m.role === 'tool')).toHaveLength(3);
    expect(steps).toHaveLength(2);
  });

  it('stops after maxSteps steps of a model that always calls a tool', async () => {
    const fake = createFakeOpenAI({ replies: () => bothTools });
    const { steps, messages } = await runTools({ model: 'm', messages: question, tools: tools() }, { fetch: fake, apiKey: 'k', maxSteps: 3 });
    expect(steps).toHaveLength(3);
    expect(fake.requests).toHaveLength(3);
    // The last step's tool results are in the transcript, ready for a next turn.
    expect(messages.at(-1)!.role).toBe('tool');
  });

  it('stops everything at once on abort, during a slow tool, with no further request (over HTTP)', async () => {
    const fake = scripted({ tool_calls: [{ name: 'slow', arguments: {} }] }, 'never');
    const server = await serve(fake.handle);
    try {
      const controller = new AbortController();
      let seenSignal: AbortSignal | undefined;
      const slow = functionTool({
        name: 'slow',
        parameters: z.object({}),
        // Ignores its signal on purpose: the loop must not wait for it.
        execute: async (_args, { signal }) => {
          seenSignal = signal;
          controller.abort();
          await sleep(2_000);
          return 'late';
        },
      });
      const started = Date.now();
      const error = await caught(
        runTools({ model: 'm', messages: question, tools: [slow] }, { baseURL: server.baseURL, apiKey: 'k', signal: controller.signal, maxRetries: 0 }),
      );
      expect(error).toBeInstanceOf(APIUserAbortError);
      expect(Date.now() - started).toBeLessThan(1_500);
      expect(seenSignal?.aborted).toBe(true);
      await sleep(50);
      expect(fake.requests).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it('types the result by the body: parsed by its format, each call by its tool, and why it stopped', async () => {
    const format = jsonSchemaFormat(z.object({ answer: z.string() }), { name: 'answer' });
    const body = { model: 'm', messages: question, tools: tools(), response_format: format };
    const result = await runTools(body, { fetch: scripted(bothTools, '{"answer":"noon"}'), apiKey: 'k' });
    expect(result.completion.choices[0]!.message.parsed).toEqual({ answer: 'noon' });
    expect(result.steps[0]!.completion.choices[0]!.message.parsed).toBeNull();
    expectTypeOf(result.completion.choices[0]!.message.parsed).toEqualTypeOf<{ answer: string } | null>();
    expectTypeOf(result.stopReason).toEqualTypeOf<RunToolsStopReason>();
    const call = result.steps[0]!.completion.choices[0]!.message.tool_calls![0]!;
    if (call.function.name === 'weather') expectTypeOf(call.function.parsed_arguments).toEqualTypeOf<{ city: string }>();
    const events = runTools({ ...body, stream: true }, { fetch: scripted(bothTools, '{"answer":"noon"}'), apiKey: 'k' });
    for await (const event of events) {
      if (event.type === 'done') expectTypeOf(event.completion.choices[0]!.message.parsed).toEqualTypeOf<{ answer: string } | null>();
    }
  });

  const plainTool = { type: 'function', function: { name: 'plain', parameters: {} }, execute: () => 'x' };
  const usageMistakes: [string, unknown, unknown, RegExp][] = [
    ['no tools', { model: 'm', messages: question, tools: [] }, {}, /needs body.tools/],
    ['a tool without execute', { model: 'm', messages: question, tools: [functionTool({ name: 'x', parameters: z.object({}) })] }, {}, /"x" has no execute/],
    ['a tool that is not a functionTool', { model: 'm', messages: question, tools: [plainTool] }, {}, /"plain" is not a functionTool/],
    ['maxSteps 0', { model: 'm', messages: question, tools: tools() }, { maxSteps: 0 }, /maxSteps must be a whole number/],
    ['no messages', { model: 'm', tools: tools() }, {}, /needs body.messages/],
    ['messages that are not a list', { model: 'm', messages: 'hi', tools: tools() }, {}, /needs body.messages/],
    ['a null body', null, {}, /takes a request body \(an object\), got null/],
    ['null options', { model: 'm', messages: question, tools: tools() }, null, /options must be an object, got null/],
    ['a signal that is not one', { model: 'm', messages: question, tools: tools() }, { signal: 'stop' }, /signal must be an AbortSignal/],
  ];

  it.each(usageMistakes)('refuses %s as an OpenAIError before any request', async (_, body, options, message) => {
    const fake = scripted('x');
    const given = options === null ? null : { fetch: fake, apiKey: 'k', ...(options as RunToolsOptions) };
    const error = await caught(runTools(body as RunToolsParams, given as RunToolsOptions));
    expect(error).toBeInstanceOf(OpenAIError);
    expect(error.message).toMatch(message);
    expect(fake.requests).toHaveLength(0);
  });

  // A body with `stream: true` in it is an object: the null body is the plain loop's mistake alone.
  it.each(usageMistakes.filter(([, body]) => body !== null))('with stream: true, throws %s at once', (_, body, options, message) => {
    const fake = scripted('x');
    const given = options === null ? null : { fetch: fake, apiKey: 'k', ...(options as RunToolsOptions) };
    const start = () => runTools({ ...(body as RunToolsParams), stream: true }, given as RunToolsOptions);
    expect(start).toThrow(OpenAIError);
    expect(start).toThrow(message);
    expect(fake.requests).toHaveLength(0);
  });
});

describe('runTools with stream: true', () => {
  it('streams every step: the tool calls, their results, each step end, the answer as it comes, then done', async () => {
    const fake = scripted(bothTools, 'Sunny and noon.');
    const server = await serve(fake.handle);
    try {
      const stream = runTools(
        { model: 'gpt-4o-mini', messages: question, tools: tools(), stream: true },
        { baseURL: server.baseURL, apiKey: 'k', maxRetries: 0 },
      );
      const seen: RunToolsEvent[] = [];
      for await (const event of stream) seen.push(event);
      const kinds = seen.map((e) => e.type).filter((type) => type !== 'chunk');
      expect(kinds.filter((k) => k === 'tool.result')).toHaveLength(2);
      expect(kinds.filter((k) => k === 'step.done')).toHaveLength(2);
      expect(kinds.at(-1)).toBe('done');
      expect(kinds.filter((k) => k === 'done')).toHaveLength(1);
      expect(kinds).toContain('tool_calls.function.arguments.done');
      const text = seen.flatMap((e) => (e.type === 'content.delta' ? [e.delta] : [])).join('');
      expect(text).toBe('Sunny and noon.');
      const last = seen.at(-1)!;
      if (last.type !== 'done') throw new Error('no done event');
      expect(last.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'tool', 'assistant']);
      expect(last.completion.choices[0]!.message.content).toBe('Sunny and noon.');
      // The tool calls went back without the SDK's parsed_arguments.
      expect(JSON.stringify(fake.requests[1]!.body)).not.toContain('parsed_arguments');
      const results = seen.filter((e) => e.type === 'tool.result');
      expect(results.map((e) => (e.type === 'tool.result' ? e.content : ''))).toEqual(['{"city":"Paris","sky":"sunny","celsius":21}', '12:00 in Paris']);
    } finally {
      await server.close();
    }
  });

  it('reports a failed call with its error text, and goes on', async () => {
    const fake = scripted({ tool_calls: [{ name: 'nope', arguments: {} }] }, 'ok');
    const { values } = await readAll(runTools({ model: 'm', messages: question, tools: tools(), stream: true }, { fetch: fake, apiKey: 'k' }));
    const result = values.find((e) => e.type === 'tool.result');
    expect(result && result.type === 'tool.result' && result.error).toMatch(/no tool named "nope"/);
    expect(values.at(-1)!.type).toBe('done');
  });

  it('stops the request and the tools when the consumer leaves, and makes no further request', async () => {
    const fake = scripted(bothTools, 'never');
    let started = 0;
    const slow = functionTool({
      name: 'weather',
      parameters: z.object({ city: z.string() }),
      execute: async () => {
        started++;
        await sleep(500);
        return 'late';
      },
    });
    const stream = runTools({ model: 'm', messages: question, tools: [slow, tools()[1]!], stream: true }, { fetch: fake, apiKey: 'k' });
    for await (const event of stream) if (event.type === 'tool_calls.function.arguments.done') break;
    await sleep(50);
    expect(fake.requests).toHaveLength(1);
    expect(started).toBe(0);
  });

  it('fails at once, synchronously, on a usage mistake', () => {
    expect(() => runTools({ model: 'm', messages: question, tools: [], stream: true }, {})).toThrow(OpenAIError);
  });
});
