import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { accumulateChatCompletion, createChatCompletion, functionTool, getResponseMeta, jsonSchemaFormat, toChatCompletionEvents } from '../src/index.js';
import type { ChatCompletionMessageParam } from '../src/index.js';
import type { FakeReply } from '../src/fake/index.js';
import { chunkStream } from './helpers/fold-streams.js';
import { useScriptedFake } from './helpers/scripted-fake.js';
import { valuesOf } from './helpers/streams.js';
import { runPlain, runStreamed } from './helpers/tool-loop.js';

// getResponseMeta on every completion the SDK makes of a stream, over HTTP: the fold, the
// events' done, each step of the tool loop and its result (the last step's response).

let script: FakeReply[] = [];
const { overHTTP } = useScriptedFake(() => script.shift());
const messages: ChatCompletionMessageParam[] = [{ role: 'user', content: 'Hi' }];
const requestIdOf = (result: unknown) => getResponseMeta(result)?.requestId;

describe('getResponseMeta of what is made of a stream', () => {
  it('reads the response a folded stream came from', async () => {
    const stream = await createChatCompletion({ model: 'm', messages, stream: true }, overHTTP());
    const requestId = requestIdOf(stream);
    expect(requestId).toMatch(/^req_fake/);
    const completion = await accumulateChatCompletion(stream);
    expect(getResponseMeta(completion)).toMatchObject({ status: 200, requestId });
    // A stream that did not come from this SDK has none.
    expect(getResponseMeta(await accumulateChatCompletion(chunkStream([{ choices: [] }])))).toBeUndefined();
  });

  it('reads it for the events’ done completion, parsed or not', async () => {
    const format = jsonSchemaFormat(z.object({ ok: z.boolean() }), { name: 'ok' });
    for (const response_format of [undefined, format]) {
      const stream = await createChatCompletion({ model: 'm', messages, stream: true, ...(response_format ? { response_format } : {}) }, overHTTP());
      const events = await valuesOf(toChatCompletionEvents(stream, { response_format }));
      const done = events.at(-1);
      if (done?.type !== 'done') throw new Error('no done event');
      expect(requestIdOf(done.completion)).toBe(requestIdOf(stream));
    }
  });

  const weather = functionTool({ name: 'weather', parameters: z.object({ city: z.string() }), execute: () => 'sunny' });
  for (const [mode, run] of Object.entries({ plain: runPlain, streamed: runStreamed })) {
    it(`reads it for each step of runTools ${mode}, and for its result (the last step's)`, async () => {
      script = [{ tool_calls: [{ name: 'weather', arguments: { city: 'Paris' } }] }, 'Sunny.'];
      const { result, events } = await run({ model: 'm', messages, tools: [weather] }, overHTTP());
      const ids = result!.steps.map((step) => requestIdOf(step.completion));
      expect(ids).toHaveLength(2);
      expect(ids.every((id) => typeof id === 'string' && id.startsWith('req_fake'))).toBe(true);
      expect(new Set(ids).size).toBe(2);
      expect(requestIdOf(result!.completion)).toBe(ids[1]);
      // The plain loop's result, or the streaming loop's last event (what it would resolve to).
      expect(requestIdOf(events ? events.at(-1) : result)).toBe(ids[1]);
      if (events) {
        const stepDones = events.filter((event) => event.type === 'step.done');
        expect(stepDones.map((event) => requestIdOf(event.type === 'step.done' && event.completion))).toEqual(ids);
      }
    });
  }
});
