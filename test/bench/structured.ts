// (p) Structured streaming beside the peers: one structured answer of 64 KB in 4-character
// deltas (one chunk each), through an in-process fetch, read by each SDK's own way of streaming a
// structured output with a partial value: our `toChatCompletionEvents` with `jsonSchemaFormat`,
// the official `chat.completions.stream` with `zodResponseFormat`, the AI SDK's `streamText`
// with `Output.object` (its `partialOutputStream`). Printed: the time of one run and how many
// of the deltas came with a partial value. xsAI's `streamText` has no structured output.
import { createOpenAI } from '@ai-sdk/openai';
import { Output, streamText } from 'ai';
import OpenAI from 'openai7';
import { zodResponseFormat } from 'openai7/helpers/zod';
import { createChatCompletion, jsonSchemaFormat, toChatCompletionEvents } from 'openai-chat-fetch';
import { API_KEY, BASE_URL } from './contenders.js';
import type { Fetch } from './contenders.js';
import { Body, chunkEvent, headers, pieces, structuredAnswer, StructuredAnswer } from './data.js';
import { median, ms, packageVersion, table } from './measure.js';

const KB = 1024;
const SIZE = 64 * KB;
const DELTA = 4;
/** Ours runs ROUNDS times; the peers once (the AI SDK's partial parse is quadratic: minutes at this size). */
const ROUNDS = 3;
const MODEL = 'gpt-4o-mini';
const messages = [{ role: 'user' as const, content: 'Fill in the form.' }];

/** The answer's SSE bytes in 1-16 KB reads: the role, one chunk per delta, the finish, `[DONE]`; and how many deltas. */
function sse(text: string): { bytes: Uint8Array[]; deltas: number } {
  const events = [chunkEvent({ role: 'assistant', content: '', refusal: null })];
  const points = [...text];
  for (let start = 0; start < points.length; start += DELTA) events.push(chunkEvent({ content: points.slice(start, start + DELTA).join('') }));
  events.push(chunkEvent({}, 'stop'), 'data: [DONE]\n\n');
  return { bytes: pieces(events.join(''), 1024, 16 * 1024), deltas: events.length - 3 };
}

/** What one run saw: how many deltas came with a partial value, and the final value. */
interface Seen {
  partials: number;
  value: unknown;
}

type Run = (fetch: Fetch) => Promise<Seen>;

const ours: Run = async (fetch) => {
  const seen: Seen = { partials: 0, value: undefined };
  const chunks = await createChatCompletion({ model: MODEL, messages, stream: true }, { apiKey: API_KEY, baseURL: BASE_URL, fetch });
  for await (const event of toChatCompletionEvents(chunks, { response_format: jsonSchemaFormat(StructuredAnswer, { name: 'answer' }) })) {
    if (event.type === 'content.delta' && event.parsed !== undefined) seen.partials++;
    if (event.type === 'done') seen.value = event.completion.choices[0]!.message.parsed;
  }
  return seen;
};

const official: Run = async (fetch) => {
  const seen: Seen = { partials: 0, value: undefined };
  const runner = new OpenAI({ apiKey: API_KEY, baseURL: BASE_URL, fetch }).chat.completions.stream({
    model: MODEL,
    messages,
    response_format: zodResponseFormat(StructuredAnswer, 'answer'),
  });
  runner.on('content.delta', ({ parsed }) => {
    if (parsed !== null && parsed !== undefined) seen.partials++;
  });
  seen.value = (await runner.finalChatCompletion()).choices[0]!.message.parsed;
  return seen;
};

const aiSDK: Run = async (fetch) => {
  const seen: Seen = { partials: 0, value: undefined };
  const model = createOpenAI({ apiKey: API_KEY, baseURL: BASE_URL, fetch }).chat(MODEL);
  const result = streamText({ model, messages, output: Output.object({ schema: StructuredAnswer }) });
  for await (const partial of result.partialOutputStream) {
    seen.partials++;
    seen.value = partial;
  }
  // It gives a partial value only when the value changed.
  seen.value = await result.output;
  return seen;
};

/** (p) */
export async function structuredStreaming(): Promise<void> {
  const text = structuredAnswer(SIZE);
  const { bytes, deltas } = sse(text);
  const fetch: Fetch = async () => new Response(new Body(bytes[Symbol.iterator]()).stream, { headers: headers('text/event-stream; charset=utf-8') });
  const contenders: [string, Run, number][] = [
    [`openai-chat-fetch ${packageVersion('openai-chat-fetch')} toChatCompletionEvents`, ours, ROUNDS],
    [`openai ${packageVersion('openai7')} chat.completions.stream + zodResponseFormat`, official, 1],
    [`ai ${packageVersion('ai')} streamText + Output.object (.chat)`, aiSDK, 1],
  ];
  const expected = JSON.stringify(JSON.parse(text));
  const rows: string[][] = [];
  for (const [name, run, rounds] of contenders) {
    const times: number[] = [];
    let seen: Seen | undefined;
    for (let round = 0; round < rounds; round++) {
      const started = performance.now();
      seen = await run(fetch);
      times.push(performance.now() - started);
      if (JSON.stringify(seen.value) !== expected) throw new Error(`${name} ended with another value`);
    }
    rows.push([name, `${ms(median(times))}${rounds > 1 ? '' : ' (one run)'}`, `${seen!.partials.toLocaleString('en')} of ${deltas.toLocaleString('en')}`]);
  }
  table(
    `(p) Structured streaming: one ${SIZE / KB} KB structured answer in ${DELTA}-character deltas (${deltas.toLocaleString('en')} chunks), in 1-16 KB reads through an in-process fetch, each SDK's partial values read on every delta they give; median of ${ROUNDS} runs, the peers one run`,
    ['contender', 'time', 'deltas with a partial value'],
    rows,
  );
}
