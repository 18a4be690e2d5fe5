// `npm start`: a tour of the SDK as users get it (the built package, imported by its name),
// against the embedded local API, or against the real API when OPENAI_API_KEY is set.
import {
  APIError,
  accumulateChatCompletion,
  createChatCompletion,
  deleteChatCompletion,
  getChatCompletion,
  getChatCompletionMessages,
  listChatCompletions,
  updateChatCompletion,
} from 'openai-chat-fetch';
import type { RequestOptions } from 'openai-chat-fetch';
import { createFakeOpenAI } from 'openai-chat-fetch/fake';
import { serve } from './node-server.js';

const color = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: number) => (text: string) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
const bold = paint(1);
const dim = paint(2);
const green = paint(32);

let step = 0;
const say = (label: string, detail = '') => console.log(`${bold(`${++step}. ${label}`)}${detail ? ' ' + detail : ''}`);

async function tour(options: RequestOptions, model: string): Promise<void> {
  const messages = [{ role: 'user' as const, content: 'Say hello to openai-chat-fetch in five words, café style ☕.' }];

  say('Streaming a completion, token by token:');
  const stream = await createChatCompletion({ model, messages, stream: true, stream_options: { include_usage: true } }, options);
  const [shown, kept] = stream.tee();
  const reader = shown.getReader();
  process.stdout.write('   ');
  for (let r = await reader.read(); !r.done; r = await reader.read()) process.stdout.write(green(r.value.choices[0]?.delta.content ?? ''));
  process.stdout.write('\n');

  const accumulated = await accumulateChatCompletion(kept);
  say('Accumulated:', dim(`${JSON.stringify(accumulated.choices[0].message.content)}, finish_reason ${accumulated.choices[0].finish_reason}, ${accumulated.usage?.total_tokens} tokens`));

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

async function main(): Promise<void> {
  const apiKey = process.env.OPENAI_API_KEY;
  if (apiKey) {
    const model = process.env.OPENAI_MODEL || 'gpt-4o-mini';
    console.log(dim(`Touring the real OpenAI API with ${model}.`));
    return tour({ apiKey }, model);
  }
  // The package's own in-memory API, served over real HTTP so the SDK's fetch goes through a socket.
  const fake = createFakeOpenAI();
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
