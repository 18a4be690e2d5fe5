import { accumulateChatCompletion } from '../fold/accumulate.js';
import type { ChatCompletion, ChatCompletionChunk, ChatCompletionCreateParams } from '../types/index.js';
import { unknownModel } from './access.js';
import { completionOfAnswer } from './answer.js';
import type { FakeAnswer } from './answer.js';
import type { Fault } from './faults.js';
import { chunksOf, completionOf } from './replies.js';
import { parseBody } from './routes.js';
import { AnswerTooLarge, MAX_ANSWER_CHARACTERS, tooLarge } from './size.js';
import type { createStore } from './store.js';
import { eventStream } from './stream.js';
import type { StreamRecord } from './stream.js';
import { requestProblem } from './validate.js';

/** A scripted answer (see `FakeReply` in handler.ts). */
type Reply = string | ChatCompletion | ChatCompletionChunk[] | FakeAnswer;

/** What answering a create request needs from the fake it belongs to. */
export interface CreateContext {
  store: ReturnType<typeof createStore>;
  streams: StreamRecord[];
  /** The models it knows (see `FakeOpenAIOptions.models`); undefined for any. */
  models: readonly string[] | undefined;
  /** The next completion's number (ids and timestamps count with it). */
  next(): number;
  reply(body: ChatCompletionCreateParams): Promise<Reply>;
}

/** Characters per streamed piece of a `json_schema` answer. */
const JSON_PIECE = 8;
/** A fixed clock, so answers are the same on every run. */
export const EPOCH = 1_730_000_000;
export const pad = (n: number) => String(n).padStart(6, '0');

/** `POST /chat/completions`: the API's 400 for a request it refuses, or the answer, whole or streamed. */
export async function create(text: string, fault: Fault | undefined, signal: AbortSignal, context: CreateContext): Promise<Response> {
  const body = parseBody(text);
  const refused = requestProblem(body);
  if (refused) return refused;
  const request = body as ChatCompletionCreateParams;
  const unknown = unknownModel(context.models, request.model);
  if (unknown) return unknown;
  const made = await answer(request, context);
  if (made instanceof Response) return made;
  const { completion, chunks } = made;
  if (request.store === true) context.store.add({ ...completion, metadata: request.metadata ?? {} }, request.messages);
  if (request.stream !== true) return Response.json(completion);
  // JSON has no words to stream by: a structured answer comes in pieces, as tokens would.
  const piece = request.response_format?.type === 'json_schema' ? JSON_PIECE : undefined;
  const includeUsage = request.stream_options?.include_usage === true;
  const { body: events, record } = eventStream(chunks ?? chunksOf(completion, includeUsage, piece), fault, signal);
  context.streams.push(record);
  return new Response(events, { headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' } });
}

/** The completion (and the chunks, when scripted as chunks), or the 400 of an answer past the size cap. */
async function answer(
  body: ChatCompletionCreateParams,
  context: CreateContext,
): Promise<{ completion: ChatCompletion; chunks?: ChatCompletionChunk[] } | Response> {
  const number = context.next();
  const id = `chatcmpl-fake${pad(number)}`;
  let reply: Reply;
  let completion: ChatCompletion;
  try {
    reply = await context.reply(body);
    // Scripted chunks and completions are sent as they are: the cap is on what the fake makes.
    if (Array.isArray(reply)) return { completion: await fold(reply), chunks: reply };
    if (typeof reply !== 'string' && 'choices' in reply) return { completion: reply };
    completion = typeof reply === 'string' ? completionOf(body, id, EPOCH + number, reply) : completionOfAnswer(body, id, EPOCH + number, reply);
  } catch (error) {
    if (error instanceof AnswerTooLarge) return tooLarge(`more than ${MAX_ANSWER_CHARACTERS.toLocaleString('en')}`);
    throw error;
  }
  const size = sizeOf(completion);
  return size > MAX_ANSWER_CHARACTERS ? tooLarge(`${size.toLocaleString('en')}`) : { completion };
}

/** Scripted chunks, folded for a request without `stream`. */
function fold(chunks: ChatCompletionChunk[]): Promise<ChatCompletion> {
  return accumulateChatCompletion(
    (async function* () {
      yield* chunks;
    })(),
  );
}

/** The characters of an answer, every choice together: its text, refusal and tool-call arguments. */
function sizeOf(completion: ChatCompletion): number {
  let size = 0;
  for (const { message } of Array.isArray(completion.choices) ? completion.choices : []) {
    size += lengthOf(message?.content) + lengthOf(message?.refusal);
    for (const call of Array.isArray(message?.tool_calls) ? message.tool_calls : [])
      size += lengthOf(call.type === 'function' ? call.function?.arguments : undefined);
  }
  return size;
}

const lengthOf = (text: unknown): number => (typeof text === 'string' ? text.length : 0);
