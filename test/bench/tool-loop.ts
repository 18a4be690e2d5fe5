// (n) The tool loop, per step: a model that asks for one tool call a step for `STEPS - 1`
// steps, then answers in text, through an in-process fetch; each contender's own loop (ours
// `runTools`, the official `runTools`, the AI SDK's tools with `stopWhen`, xsAI's `maxSteps`),
// non-streaming and streaming, beside a bare loop written by hand (fetch, JSON.parse or the
// stream floor, the tool, the next request). Time per step = a loop's time / its steps.
import { createOpenAI } from '@ai-sdk/openai';
import { generateText as xsaiGenerateText } from '@xsai/generate-text';
import { streamText as xsaiStreamText } from '@xsai/stream-text';
import { generateText, jsonSchema, stepCountIs, streamText, tool } from 'ai';
import OpenAI from 'openai7';
import { functionTool, runTools } from 'openai-chat-fetch';
import { API_KEY, BASE_URL, floor } from './contenders.js';
import type { Fetch } from './contenders.js';
import { chunkEvent, headers } from './data.js';
import { interleave, median, packageVersion, ratio, table, us } from './measure.js';

const STEPS = 5;
const LOOPS = 20;
const ROUNDS = 15;
const ANSWER = 'It is sunny in Paris, 21 °C.';
const MODEL = 'gpt-4o-mini';
const ARGUMENTS = '{"city":"Paris"}';
const PARAMETERS = { type: 'object' as const, properties: { city: { type: 'string' as const } }, required: ['city'], additionalProperties: false };
const weather = async ({ city }: { city: string }) => ({ city, sky: 'sunny', celsius: 21 });
const messages = [{ role: 'user' as const, content: 'What is the weather in Paris?' }];

/** The model's answer at `step`: a tool call, or at the last step the text. */
function completionAt(step: number): string {
  const last = step === STEPS - 1;
  const toolCalls = last ? undefined : [{ id: `call_${step}`, type: 'function', function: { name: 'weather', arguments: ARGUMENTS } }];
  const message = { role: 'assistant', content: last ? ANSWER : null, tool_calls: toolCalls, refusal: null };
  const usage = { prompt_tokens: 50, completion_tokens: 10, total_tokens: 60 };
  return JSON.stringify({
    id: `chatcmpl-${step}`,
    object: 'chat.completion',
    created: 1,
    model: MODEL,
    choices: [{ index: 0, message, finish_reason: last ? 'stop' : 'tool_calls' }],
    usage,
  });
}

/** The same answer as a stream: the role, the call's name, its arguments in two deltas (or the text), the finish. */
function streamAt(step: number): string {
  if (step === STEPS - 1) return chunkEvent({ role: 'assistant', content: '' }) + chunkEvent({ content: ANSWER }) + chunkEvent({}, 'stop') + 'data: [DONE]\n\n';
  const call = (fn: object, extra = {}) => ({ tool_calls: [{ index: 0, ...extra, function: fn }] });
  return (
    chunkEvent({ role: 'assistant', content: null, ...call({ name: 'weather', arguments: '' }, { id: `call_${step}`, type: 'function' }) }) +
    chunkEvent(call({ arguments: ARGUMENTS.slice(0, 8) })) +
    chunkEvent(call({ arguments: ARGUMENTS.slice(8) })) +
    chunkEvent({}, 'tool_calls') +
    'data: [DONE]\n\n'
  );
}

/** A fetch that plays the model: the next step's answer per request, from the first again after the last. */
function scripted(stream: boolean): Fetch {
  const encoder = new TextEncoder();
  const bodies = Array.from({ length: STEPS }, (_, step) => (stream ? encoder.encode(streamAt(step)) : completionAt(step)));
  const type = headers(stream ? 'text/event-stream; charset=utf-8' : 'application/json');
  let step = 0;
  return async () => {
    const body = bodies[step]!;
    step = (step + 1) % STEPS;
    return new Response(body, { headers: type });
  };
}

type Loop = (fetch: Fetch) => Promise<string | null | undefined>;

/** The least a loop can do: fetch, parse, run the tool, send the transcript again. */
const bareLoop =
  (stream: boolean): Loop =>
  async (fetch) => {
    const transcript: object[] = [...messages];
    for (;;) {
      const response = await fetch(`${BASE_URL}/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          model: MODEL,
          messages: transcript,
          tools: [{ type: 'function', function: { name: 'weather', parameters: PARAMETERS } }],
          stream,
        }),
      });
      const message = stream ? await foldByHand(response.body!) : ((await response.json()) as { choices: [{ message: any }] }).choices[0].message;
      transcript.push(message);
      const call = message.tool_calls?.[0];
      if (!call) return message.content;
      transcript.push({ role: 'tool', tool_call_id: call.id, content: JSON.stringify(await weather(JSON.parse(call.function.arguments))) });
    }
  };

/** The stream floor's chunks joined into a message by hand: content, one tool call's id, name and arguments. */
async function foldByHand(body: ReadableStream<Uint8Array>): Promise<any> {
  const message: any = { role: 'assistant', content: '' };
  for await (const chunk of floor(body) as unknown as AsyncIterable<any>) {
    const delta = chunk.choices[0].delta;
    if (delta.content) message.content += delta.content;
    const call = delta.tool_calls?.[0];
    if (!call) continue;
    message.tool_calls ??= [{ id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } }];
    message.tool_calls[0].function.arguments += call.function.arguments;
  }
  return message;
}

const ours = functionTool<{ city: string }>({ name: 'weather', parameters: PARAMETERS, execute: weather });
const theirs = {
  type: 'function' as const,
  function: { name: 'weather', description: 'The weather', parameters: PARAMETERS, parse: JSON.parse, function: weather },
};
const aiTools = { weather: tool({ inputSchema: jsonSchema<{ city: string }>(PARAMETERS), execute: weather }) };
const xsaiTools = [
  { type: 'function' as const, function: { name: 'weather', parameters: PARAMETERS }, execute: (args: unknown) => weather(args as { city: string }) },
];
const options = (fetch: Fetch) => ({ apiKey: API_KEY, baseURL: BASE_URL, fetch });
const client = (fetch: Fetch) => new OpenAI(options(fetch));
const aiModel = (fetch: Fetch) => createOpenAI(options(fetch)).chat(MODEL);

/** Each contender's loop, made once per fetch (a client per fetch, as an application makes it). */
function loops(stream: boolean): Record<string, Loop> {
  const version = (name: string) => `${name} ${packageVersion(name)}`;
  const body = { model: MODEL, messages, tools: [ours] };
  if (!stream) {
    return {
      'bare loop (fetch + JSON.parse)': bareLoop(false),
      'openai-chat-fetch runTools': async (fetch) => (await runTools(body, { ...options(fetch), maxSteps: STEPS })).completion.choices[0]!.message.content,
      [`${version('openai7').replace('openai7', 'openai')} runTools`]: async (fetch) =>
        (
          await client(fetch)
            .chat.completions.runTools({ model: MODEL, messages, tools: [theirs] })
            .finalChatCompletion()
        ).choices[0]!.message.content,
      [`${version('ai')} generateText + tools`]: async (fetch) =>
        (await generateText({ model: aiModel(fetch), messages, tools: aiTools, stopWhen: stepCountIs(STEPS) })).text,
      [`${version('@xsai/generate-text')} generateText + tools`]: async (fetch) =>
        (await xsaiGenerateText({ ...options(fetch), model: MODEL, messages, tools: xsaiTools, maxSteps: STEPS })).text,
    };
  }
  return {
    'bare loop (fetch + stream floor)': bareLoop(true),
    'openai-chat-fetch runTools, stream': async (fetch) => {
      let text: string | null | undefined;
      for await (const event of runTools({ ...body, stream: true }, { ...options(fetch), maxSteps: STEPS }))
        if (event.type === 'done') text = event.completion.choices[0]!.message.content;
      return text;
    },
    [`${version('openai7').replace('openai7', 'openai')} runTools, stream`]: async (fetch) =>
      (
        await client(fetch)
          .chat.completions.runTools({ model: MODEL, messages, tools: [theirs], stream: true })
          .finalChatCompletion()
      ).choices[0]!.message.content,
    [`${version('ai')} streamText + tools`]: async (fetch) => {
      const result = streamText({ model: aiModel(fetch), messages, tools: aiTools, stopWhen: stepCountIs(STEPS) });
      for await (const _part of result.fullStream);
      return result.text;
    },
    [`${version('@xsai/stream-text')} streamText + tools`]: async (fetch) => {
      const result = xsaiStreamText({ ...options(fetch), model: MODEL, messages, tools: xsaiTools, maxSteps: STEPS });
      for await (const _part of result.fullStream as unknown as AsyncIterable<unknown>);
      return (await result.steps).at(-1)?.text;
    },
  };
}

/** (n) */
export async function toolLoop(): Promise<void> {
  const rows: string[][] = [];
  for (const stream of [false, true]) {
    const fetch = scripted(stream);
    const contenders = loops(stream);
    const names = Object.keys(contenders);
    for (const name of names) if ((await contenders[name]!(fetch)) !== ANSWER) throw new Error(`${name} did not end with the answer`);
    const times = await interleave(
      names,
      async (name) => {
        for (let i = 0; i < LOOPS; i++) await contenders[name]!(fetch);
      },
      ROUNDS,
      3,
    );
    const base = times[names[0]!]!;
    for (const name of names) rows.push([name, us((median(times[name]!) * 1000) / (LOOPS * STEPS)), `${ratio(times[name]!, base).toFixed(2)}x`]);
  }
  table(
    `(n) The tool loop per step: ${STEPS} steps a loop (${STEPS - 1} with one tool call each, then the answer), ${LOOPS} loops a round through an in-process fetch, median of ${ROUNDS} rounds; x bare = median of the per-round ratios`,
    ['contender', 'time per step', 'x bare loop'],
    rows,
  );
}
