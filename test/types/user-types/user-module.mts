// Code as users write it, type-checked (never run) by test/types/user-types.test.ts against the packed
// package's declarations under a front-end, a Node ESM, a CommonJS and a strictest tsconfig.
// Kept as .mts so that test/tsconfig.json, which takes *.ts, leaves it alone; copied in as .ts.
// No top-level await and no DOM- or Node-only globals: it must compile under all four.
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  AuthenticationError,
  InvalidResponseError,
  OpenAIError,
  RateLimitError,
  accumulateChatCompletion,
  createChatCompletion,
  createClient,
  parseServerSentEvents,
} from 'openai-chat-fetch';
import type { ChatCompletion, ChatCompletionMessageParam, ChatCompletionTool, RequestOptions } from 'openai-chat-fetch';
import { createFakeOpenAI } from 'openai-chat-fetch/fake';

const tools: ChatCompletionTool[] = [
  {
    type: 'function',
    function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
  },
];

function getWeather(args: string): { city: string; celsius: number } {
  const { city } = JSON.parse(args) as { city: string };
  return { city, celsius: 21 };
}

/** The tool-calling loop everyone writes: the response message goes back into the conversation as it is. */
export async function askWithTools(question: string, options?: RequestOptions): Promise<string | null> {
  const messages: ChatCompletionMessageParam[] = [{ role: 'user', content: question }];
  for (let step = 0; step < 5; step++) {
    const completion = await createChatCompletion({ model: 'gpt-4o-mini', messages, tools }, options);
    const message = completion.choices[0]!.message;
    messages.push(message);
    if (!message.tool_calls?.length) return message.content;
    for (const call of message.tool_calls) {
      const content = call.type === 'function' ? JSON.stringify(getWeather(call.function.arguments)) : 'unsupported tool';
      messages.push({ role: 'tool', tool_call_id: call.id, content });
    }
  }
  return null;
}

/** A whole conversation kept across calls, the earlier answers in it. */
export function remember(history: ChatCompletionMessageParam[], completion: ChatCompletion): ChatCompletionMessageParam[] {
  const first = completion.choices[0];
  return first ? [...history, first.message, { ...first.message, content: 'edited' }] : history;
}

/** Options that may each be `undefined`, as they come from config or arguments. */
export async function streamAnswer(question: string, apiKey: string | undefined, signal?: AbortSignal, baseURL?: string): Promise<string> {
  const client = createClient({ apiKey, baseURL, timeout: undefined });
  const stream = await client.createChatCompletion({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: question }], stream: true }, { signal });
  let text = '';
  for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
  return text;
}

/** The page side of a proxy: server-sent events back into chunks, read with `for await`. */
export async function readProxy(response: Response): Promise<string> {
  if (!response.body) return '';
  let text = '';
  for await (const chunk of parseServerSentEvents(response.body)) text += chunk.choices[0]?.delta.content ?? '';
  return text;
}

/** A stream folded into the completion a non-streaming call returns. */
export async function folded(options: RequestOptions): Promise<ChatCompletion> {
  return accumulateChatCompletion(await createChatCompletion({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }], stream: true }, options));
}

/** One stream shown as it comes and saved whole: each branch of `tee()` reads with `for await` too. */
export async function showAndSave(options: RequestOptions, show: (text: string) => void): Promise<ChatCompletion> {
  const stream = await createChatCompletion({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }], stream: true }, options);
  const [forUi, forLog] = stream.tee();
  const saved = accumulateChatCompletion(forLog);
  let text = '';
  for await (const chunk of forUi) {
    text += chunk.choices[0]?.delta.content ?? '';
    show(text);
  }
  return saved;
}

type SDKError = APIError | InvalidResponseError | APIConnectionError | APIConnectionTimeoutError | APIUserAbortError;

/** `error.name` tells the classes apart: each case sees its own class's fields. */
export function describeError(error: SDKError): string {
  switch (error.name) {
    case 'RateLimitError':
      return `slow down: ${error.headers['retry-after'] ?? ''}`;
    case 'InvalidResponseError':
      return `unusable answer (${error.status})`;
    case 'APIConnectionTimeoutError':
      return 'timed out';
    case 'APIConnectionError':
      return `offline: ${String(error.cause)}`;
    case 'APIUserAbortError':
      return 'stopped';
    // @ts-expect-error: a typo'd name is no error's name
    case 'APIErorr':
      return 'never';
    default:
      // An APIError of any other status, or of a status class ('NotFoundError', …).
      return `${error.status} ${error.code ?? ''} ${error.requestId ?? ''}`;
  }
}

/** The official SDK's status classes, as code moving from it checks them. */
export function advice(error: unknown): string {
  if (error instanceof RateLimitError) {
    const status: 429 = error.status;
    return `${status}: retry after ${error.headers['retry-after'] ?? 'a while'}`;
  }
  if (error instanceof AuthenticationError) return 'check the API key';
  if (error instanceof APIError && error.name === 'InternalServerError') return 'the server failed';
  return 'unknown';
}

/** The same from a `catch`, where only `instanceof` can be known. */
export async function guarded(options: RequestOptions): Promise<string> {
  try {
    return (await askWithTools('Weather in Oslo?', options)) ?? '';
  } catch (error) {
    if (error instanceof APIError || error instanceof APIConnectionError || error instanceof APIUserAbortError) return describeError(error);
    if (!(error instanceof OpenAIError)) throw error;
    switch (error.name) {
      case 'OpenAIError':
        return `usage: ${error.message}`;
      // @ts-expect-error: a typo'd name is no error's name
      case 'OpenAIErorr':
        return 'never';
      default:
        return error.name;
    }
  }
}

/** A test of that code against the fake, offline. */
export async function withFake(): Promise<boolean> {
  const fake = createFakeOpenAI({ replies: ['Sunny.'] });
  const answer = await askWithTools('Weather in Oslo?', { fetch: fake, apiKey: 'test', maxRetries: 0 });
  return answer === 'Sunny.' && fake.requests.length === 1;
}
