import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { functionTool, jsonSchemaFormat } from '../../src/index.js';
import type { RunToolsParams } from '../../src/index.js';
import type { FakeAnswer, FakeReply, FakeToolCall } from '../../src/fake/index.js';
import { useScriptedFake } from '../helpers/scripted-fake.js';
import { runPlain, runStreamed } from '../helpers/tool-loop.js';
import type { Ending } from '../helpers/tool-loop.js';

// The same scripted conversations through the plain and the streaming loop, over HTTP: both end
// the same way, whatever the model gets wrong (unknown tools, bad or non-JSON arguments, a
// validator that throws, an `execute` that throws anything, answers cut by `length`).

let script: FakeReply[] = [];
const { overHTTP } = useScriptedFake(() => script.shift());

const THROWN: Record<string, () => unknown> = {
  error: () => new Error('the database is down'),
  string: () => 'plain string',
  nullProto: () => Object.create(null),
  number: () => 42,
  undefined: () => undefined,
};
const tools = [
  functionTool({ name: 'weather', parameters: z.object({ city: z.string() }), execute: ({ city }) => ({ city, sky: 'sunny' }) }),
  // A transform that throws on what is not a URL: the validator itself throws.
  functionTool({ name: 'link', parameters: z.object({ href: z.string().transform((href) => new URL(href).host) }), execute: ({ href }) => `opened ${href}` }),
  functionTool({
    name: 'fails',
    parameters: z.object({ kind: z.string() }),
    execute: ({ kind }) => {
      throw THROWN[kind]!();
    },
  }),
];
const answerFormat = jsonSchemaFormat(z.object({ answer: z.string() }), { name: 'answer' });

const call: fc.Arbitrary<FakeToolCall> = fc.oneof(
  fc.record({
    name: fc.constant('weather'),
    arguments: fc.constantFrom<FakeToolCall['arguments']>({ city: 'Paris' }, { town: 'Paris' }, '{"city":', 'not json', ''),
  }),
  fc.record({ name: fc.constant('link'), arguments: fc.constantFrom<FakeToolCall['arguments']>({ href: 'https://example.com/a' }, { href: 'not a url' }) }),
  fc.record({ name: fc.constant('fails'), arguments: fc.constantFrom(...Object.keys(THROWN).map((kind) => ({ kind }))) }),
  fc.record({ name: fc.constant('nope'), arguments: fc.constant({}) }),
);
const toolTurn: fc.Arbitrary<FakeAnswer> = fc.record({
  content: fc.constantFrom<string | null>(null, '', 'Let me check.'),
  tool_calls: fc.array(call, { minLength: 1, maxLength: 3 }),
  finish_reason: fc.constantFrom<FakeAnswer['finish_reason']>('tool_calls', 'length'),
});
const answer: fc.Arbitrary<FakeAnswer> = fc.record({
  content: fc.constantFrom('{"answer":"yes"}', '{"answer":1}', 'plain text'),
  finish_reason: fc.constantFrom<FakeAnswer['finish_reason']>('stop', 'length', 'content_filter'),
});
const conversation = fc.record({
  turns: fc.array(toolTurn, { maxLength: 3 }),
  last: answer,
  withFormat: fc.boolean(),
  parallel: fc.boolean(),
  maxSteps: fc.integer({ min: 1, max: 4 }),
});

/** What both modes must agree on: errors by class and message; results but for what only the wire differs in (ids, usage, annotations). */
function view({ result, error }: Ending) {
  if (error) return { error: error.name, message: error.message };
  const message = (value: object) => {
    const { annotations: _annotations, ...rest } = value as { annotations?: unknown };
    return rest;
  };
  const completion = (c: NonNullable<Ending['result']>['completion']) =>
    c.choices.map((choice) => ({ finish_reason: choice.finish_reason, message: message(choice.message) }));
  return {
    stopReason: result!.stopReason,
    messages: result!.messages.map(message),
    steps: result!.steps.map((step) => ({ completion: completion(step.completion), results: step.results })),
    completion: completion(result!.completion),
  };
}

describe('runTools, streamed and not, ends the same way', () => {
  it('for any scripted conversation, over HTTP', async () => {
    await fc.assert(
      fc.asyncProperty(conversation, async ({ turns, last, withFormat, parallel, maxSteps }) => {
        const body: RunToolsParams = {
          model: 'm',
          messages: [{ role: 'user', content: 'Go.' }],
          tools,
          parallel_tool_calls: parallel,
          ...(withFormat ? { response_format: answerFormat } : {}),
        };
        const options = { ...overHTTP(), maxSteps };
        script = [...turns, last];
        const plain = await runPlain(body, options);
        script = [...turns, last];
        const streamed = await runStreamed(body, options);
        expect(view(streamed)).toEqual(view(plain));
        // Neither mode gives up on what a call did wrong: only the last answer can fail the run.
        if (plain.error) expect(plain.result).toBeUndefined();
        if (plain.result) expect(plain.result.steps.length).toBe(Math.min(turns.length + 1, maxSteps));
      }),
      { numRuns: 60 },
    );
  });
});
