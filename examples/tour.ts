// `npm start`: a tour of the SDK as users get it (the built package, imported by its name),
// against the embedded local API, or against the real API when OPENAI_API_KEY is set.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import {
  APIError,
  accumulateChatCompletion,
  createChatCompletion,
  deleteChatCompletion,
  functionTool,
  getChatCompletion,
  getChatCompletionMessages,
  getResponseMeta,
  jsonSchemaFormat,
  listChatCompletions,
  createParsedChatCompletion,
  runTools,
  toChatCompletionEvents,
  updateChatCompletion,
} from 'openai-chat-fetch';
import type { ChatCompletionCreateParams, RequestOptions, RunToolsResult } from 'openai-chat-fetch';
import { createFakeOpenAI } from 'openai-chat-fetch/fake';
import { createRelay, toNodeListener } from 'openai-chat-fetch/relay';
import type { UsageReport } from 'openai-chat-fetch/relay';
import { serve } from '../bin/node-server.js';

const color = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: number) => (text: string) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
const bold = paint(1);
const dim = paint(2);
const green = paint(32);

let step = 0;
const say = (label: string, detail = '') => console.log(`${bold(`${++step}. ${label}`)}${detail ? ' ' + detail : ''}`);

async function tour(options: RequestOptions, model: string): Promise<void> {
  await wire(options, model);
  await structured(options, model);
  await tools(options, model);
  await relayed(options, model);
}

async function wire(options: RequestOptions, model: string): Promise<void> {
  const messages = [{ role: 'user' as const, content: 'Say hello to openai-chat-fetch in five words, café style ☕.' }];

  say('Streaming a completion, token by token:');
  const stream = await createChatCompletion({ model, messages, stream: true, stream_options: { include_usage: true } }, options);
  const [shown, kept] = stream.tee();
  const reader = shown.getReader();
  process.stdout.write('   ');
  for (let r = await reader.read(); !r.done; r = await reader.read()) process.stdout.write(green(r.value.choices[0]?.delta.content ?? ''));
  process.stdout.write('\n');

  const accumulated = await accumulateChatCompletion(kept);
  say(
    'Accumulated:',
    dim(
      `${JSON.stringify(accumulated.choices[0].message.content)}, finish_reason ${accumulated.choices[0].finish_reason}, ${accumulated.usage?.total_tokens} tokens`,
    ),
  );

  const stored = await createChatCompletion({ model, messages, store: true, metadata: { tour: 'openai-chat-fetch' } }, options);
  say('Stored a completion:', dim(`${stored.id} with metadata { tour: 'openai-chat-fetch' }`));

  const list = await listChatCompletions({ metadata: { tour: 'openai-chat-fetch' }, limit: 5 }, options);
  say('Listed stored completions:', dim(`${list.data.length} on this page, has_more ${list.has_more}`));

  const got = await getChatCompletion(stored.id, options);
  say('Got it back:', dim(`${got.id}: ${JSON.stringify(got.choices[0].message.content)}`));

  const page = await getChatCompletionMessages(stored.id, {}, options);
  say('Its messages:', dim(page.data.map((m) => `${m.role}: ${JSON.stringify(m.content)}`).join('; ')));

  const updated = await updateChatCompletion(stored.id, { metadata: { tour: 'openai-chat-fetch', step: 'updated' } }, options);
  say('Updated its metadata:', dim(JSON.stringify(updated.metadata)));

  const deleted = await deleteChatCompletion(stored.id, options);
  say('Deleted it:', dim(`deleted ${deleted.deleted}`));

  try {
    await getChatCompletion(stored.id, options);
    say('Expected a 404, got the deleted completion back');
    process.exitCode = 1;
  } catch (error) {
    if (!(error instanceof APIError)) throw error;
    say('A 404 caught as a typed error:', dim(`${error.name} status ${error.status}, request id ${error.requestId}: ${error.error.message}`));
  }
}

const Person = z.object({ name: z.string(), born: z.number().int(), languages: z.array(z.string()) });
const person = jsonSchemaFormat(Person, { name: 'person' });
const who = [{ role: 'user' as const, content: 'Who was Ada Lovelace? Her name, the year she was born, the languages she spoke.' }];

async function structured(options: RequestOptions, model: string): Promise<void> {
  // A typed answer: zod's schema is sent in strict mode, and the answer parsed and validated by it.
  const completion = await createParsedChatCompletion({ model, messages: who, response_format: person }, options);
  const ada = completion.choices[0]?.message.parsed;
  say('A structured answer, typed by zod:', dim(ada ? `${ada.name}, born ${ada.born}, spoke ${ada.languages.join(', ')}` : 'refused'));

  // The same, streamed: each event carries the answer parsed so far, in linear time.
  const stream = await createChatCompletion({ model, messages: who, response_format: person, stream: true }, options);
  const names: string[] = [];
  for await (const event of toChatCompletionEvents(stream, { response_format: person })) {
    const name = event.type === 'content.delta' ? event.parsed?.name : undefined;
    if (name && name !== names.at(-1)) names.push(name);
  }
  say('The same answer streamed, filling in:', dim(names.join(' → ')));

  // What the response said besides its body: no fetch wrapper needed.
  const meta = getResponseMeta(completion);
  say(
    'Its request id and rate limits:',
    dim(`${meta?.requestId}, ${meta?.rateLimits.requests?.remaining} requests and ${meta?.rateLimits.tokens?.remaining} tokens left`),
  );
}

const weather = functionTool({
  name: 'weather',
  description: 'The weather in a city now',
  parameters: z.object({ city: z.string() }),
  execute: ({ city }) => ({ city, sky: 'sunny', celsius: 21 }),
});
const time = functionTool({
  name: 'time',
  description: 'The local time in a city',
  parameters: z.object({ city: z.string() }),
  execute: ({ city }) => `It is noon in ${city}.`,
});
const weatherAndTime = [{ role: 'user' as const, content: 'What is the weather and the time in Paris? Use both tools.' }];

/** What `runTools` called and what the model answered last, for one line of the tour. */
function toolRound({ completion, steps }: RunToolsResult): string {
  const calls = steps.flatMap((step) => step.results.map((result) => `${result.toolCall.function.name}(${result.toolCall.function.arguments})`));
  return `${calls.join(', ')} → ${JSON.stringify(completion.choices[0]?.message.content)}`;
}

async function tools(options: RequestOptions, model: string): Promise<void> {
  const ran = await runTools({ model, messages: weatherAndTime, tools: [weather, time] }, options);
  say('A two-tool round trip with runTools:', dim(toolRound(ran)));
}

/**
 * The key on the server, the SDK in the page: a relay (`openai-chat-fetch/relay`) on Node's HTTP
 * server holds the key and lets one model through for a signed-in session; the page-like client
 * is this same SDK with the relay as its `baseURL`, no key, and its tools running on its side.
 */
async function relayed(options: RequestOptions, model: string): Promise<void> {
  const session = 'session-of-the-tour';
  const usage: UsageReport[] = [];
  const relay = createRelay({
    apiKey: options.apiKey,
    baseURL: options.baseURL,
    authorize: (request) => (request.headers.get('x-session') === session ? { user: 'tour-user' } : null),
    models: [model],
    onUsage: (report) => void usage.push(report),
  });
  const server = createServer(toNodeListener(relay));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const page = { baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, apiKey: '', headers: { 'x-session': session } };
    const ran = await runTools({ model, messages: weatherAndTime, tools: [weather, time] }, page);
    const tokens = usage.reduce((sum, report) => sum + (report.usage?.total_tokens ?? 0), 0);
    say('runTools from a page-like client through the relay, no key:', dim(`${toolRound(ran)}; the relay counted ${tokens} tokens for tour-user`));
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

/**
 * What the embedded local API answers: the echo by default; here also a person for a JSON Schema
 * request, and tool calls when tools are offered (then an answer once their results are in).
 */
function localReplies(body: ChatCompletionCreateParams) {
  if (body.response_format?.type === 'json_schema') return { content: JSON.stringify({ name: 'Ada Lovelace', born: 1815, languages: ['English', 'French'] }) };
  if (!body.tools?.length) return undefined;
  if (body.messages.at(-1)?.role === 'tool') return 'In Paris it is sunny, 21 °C, and noon.';
  return {
    tool_calls: [
      { name: 'weather', arguments: { city: 'Paris' } },
      { name: 'time', arguments: { city: 'Paris' } },
    ],
  };
}

async function main(): Promise<void> {
  const apiKey = process.env.OPENAI_API_KEY;
  if (apiKey) {
    const model = process.env.OPENAI_MODEL || 'gpt-4o-mini';
    console.log(dim(`Touring the real OpenAI API with ${model}.`));
    return tour({ apiKey }, model);
  }
  // The package's own in-memory API, served over real HTTP so the SDK's fetch goes through a socket.
  const fake = createFakeOpenAI({ replies: localReplies });
  const server = await serve(fake.handle);
  console.log(dim(`No OPENAI_API_KEY: touring the embedded local API at ${server.baseURL}.`));
  try {
    await tour({ baseURL: server.baseURL, apiKey: 'sk-local-tour' }, 'gpt-4o-mini');
  } finally {
    await server.close();
  }
}

main().catch((error: unknown) => {
  // A newcomer gets one readable line, not a stack trace.
  console.error(`Tour failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
  process.exitCode = 1;
});
