import { OpenAIError } from '../errors.js';
import { createFold } from '../fold/chunk.js';
import { isNode } from '../fold/merge.js';
import type { Node } from '../fold/merge.js';
import { OutputValidationError } from '../structured/errors.js';
import { parseCompletion } from '../structured/parse.js';
import type { ParseRequest } from '../structured/parse.js';
import type { ParseAnswer } from '../structured/schema.js';
import type { ChatCompletion } from '../types/index.js';
import { ArgumentsDelta, ContentDelta, LogprobsDelta } from './lazy.js';
import { createText, grow, parseFromNow } from './text.js';
import type { Text } from './text.js';

/** An event, or (for a done event, whose value is validated first) the promise of one. */
export type Outgoing = Event | Promise<Event>;
/** Each event is an object with its `type` (see src/events/types.ts). */
type Event = object;
type Emit = (event: Outgoing) => void;

/** Chunks in, events out: the fold, and what each choice has streamed so far. */
export interface EventMaker {
  /**
   * Folds a chunk in and emits its events: `chunk`, then each choice's. Synchronous (a chunk
   * costs no promise): a done event that waits for validation is emitted as its promise, and
   * the events after it follow it in order.
   */
  add(chunk: unknown, emit: Emit): void;
  /** The stream ended: the done events of every choice still open, then `done`. */
  end(emit: Emit): void;
  /** The completion folded so far; undefined before the first chunk. */
  partial(): ChatCompletion | undefined;
}

interface Call {
  index: unknown;
  id: string;
  name: string;
  arguments: Text;
  /** The tool's parser, for a `functionTool`. */
  parse: ParseAnswer<unknown> | undefined;
  done: boolean;
}

interface Choice {
  index: unknown;
  content: Text;
  refusal: Text;
  /** Logprobs of the content and of the refusal: tokens only ever appended. */
  tokens: { content: unknown[]; refusal: unknown[] };
  /** Tool calls by their `index`, in order of arrival; `current` is the last to start. */
  calls: Map<unknown, Call>;
  current: Call | undefined;
  /** Its done events were emitted; anything more for it is an error. */
  finished: boolean;
}

type Parseable = { parse?: ParseAnswer<unknown>; function?: { name?: unknown } };

const AFTER_DONE =
  'A stream chunk adds to a text already done (more of a choice after its finish_reason, or of a tool call after the next one began); no OpenAI stream does that.';

export function createEventMaker(request: ParseRequest): EventMaker {
  const fold = createFold();
  const format = (request.response_format as Parseable | undefined)?.parse;
  const tools = Array.isArray(request.tools) ? (request.tools as Parseable[]).filter((tool) => typeof tool?.parse === 'function') : [];
  const choices = new Map<unknown, Choice>();

  /**
   * The event once `parse` has validated `text`, with the value under `key`; or the validation
   * error, carrying the completion so far. Validation starts now; the promise is marked handled,
   * since an error before it may leave it unread.
   */
  function validated(event: Record<string, unknown>, key: string, parse: ParseAnswer<unknown>, text: string, what: string): Promise<Event> {
    const done = parse(text).then((result) => {
      if (result.issues) throw new OutputValidationError(what, fold.snapshot(), result.issues);
      event[key] = result.value;
      return event;
    });
    done.catch(() => {});
    return done;
  }

  function choiceOf(index: unknown): Choice {
    const known = choices.get(index);
    if (known) return known;
    const choice: Choice = {
      index,
      content: createText(format !== undefined),
      refusal: createText(false),
      tokens: { content: [], refusal: [] },
      calls: new Map(),
      current: undefined,
      finished: false,
    };
    choices.set(index, choice);
    return choice;
  }

  function addChoice(node: Node, emit: Emit): void {
    const given = node.index;
    const choice = choiceOf(given === undefined ? 0 : given);
    const delta = isNode(node.delta) ? node.delta : {};
    if (isPiece(delta.content)) {
      const parsed = grow(opened(choice, choice.content), delta.content);
      emit(new ContentDelta(choice.index, delta.content, choice.content.value, parsed));
    }
    if (isPiece(delta.refusal)) {
      grow(opened(choice, choice.refusal), delta.refusal);
      emit({ type: 'refusal.delta', choice_index: choice.index, delta: delta.refusal, snapshot: choice.refusal.value });
    }
    if (Array.isArray(delta.tool_calls)) for (const item of delta.tool_calls) if (isNode(item)) addCall(choice, item, emit);
    if (isNode(node.logprobs)) {
      addTokens(choice, 'content', node.logprobs.content, emit);
      addTokens(choice, 'refusal', node.logprobs.refusal, emit);
    }
    if (typeof node.finish_reason === 'string') finish(choice, node.finish_reason, emit);
  }

  function addTokens(choice: Choice, part: 'content' | 'refusal', given: unknown, emit: Emit): void {
    if (!Array.isArray(given) || given.length === 0) return;
    if (choice.finished) throw new OpenAIError(AFTER_DONE);
    const all = choice.tokens[part];
    for (const token of given) all.push(token);
    emit(new LogprobsDelta(part, choice.index, given, all));
  }

  function addCall(choice: Choice, item: Node, emit: Emit): void {
    const call = callOf(choice, item.index === undefined ? 0 : item.index, emit);
    if (typeof item.id === 'string' && call.id === '') call.id = item.id;
    const fn = isNode(item.function) ? item.function : {};
    if (isPiece(fn.name) && call.name === '') name(call, fn.name);
    if (!isPiece(fn.arguments)) return;
    if (call.done) throw new OpenAIError(AFTER_DONE);
    const parsed = grow(opened(choice, call.arguments), fn.arguments);
    emit(new ArgumentsDelta(choice.index, call, fn.arguments, call.arguments.value, parsed));
  }

  /** The call at `index`; a new one completes the call before it. */
  function callOf(choice: Choice, index: unknown, emit: Emit): Call {
    const known = choice.calls.get(index);
    if (known) return known;
    if (choice.current) callDone(choice, choice.current, emit);
    const call: Call = { index, id: '', name: '', arguments: createText(false), parse: undefined, done: false };
    choice.calls.set(index, call);
    choice.current = call;
    return call;
  }

  function name(call: Call, given: string): void {
    call.name = given;
    const tool = tools.find((candidate) => candidate.function?.name === given);
    if (!tool) return;
    call.parse = tool.parse;
    parseFromNow(call.arguments);
  }

  function callDone(choice: Choice, call: Call, emit: Emit): void {
    if (call.done) return;
    call.done = true;
    const text = call.arguments.value;
    const event = {
      type: 'tool_calls.function.arguments.done',
      choice_index: choice.index,
      index: call.index,
      id: call.id,
      name: call.name,
      arguments: text,
      parsed_arguments: undefined,
    };
    emit(call.parse ? validated(event, 'parsed_arguments', call.parse, text, `The arguments of tool call ${call.id}`) : event);
  }

  /** The choice's done events; none for what stopped early and has a schema (the final parse fails). */
  function finish(choice: Choice, reason: string | null, emit: Emit): void {
    if (choice.finished) return;
    choice.finished = true;
    const cut = reason === 'length' || reason === 'content_filter';
    if (cut && (format !== undefined || tools.length > 0)) return;
    const { content, refusal, tokens } = choice;
    if (content.started) {
      const event = { type: 'content.done', choice_index: choice.index, content: content.value, parsed: undefined };
      emit(format ? validated(event, 'parsed', format, content.value, `The answer of choice ${choice.index}`) : event);
    }
    if (refusal.started) emit({ type: 'refusal.done', choice_index: choice.index, refusal: refusal.value });
    if (tokens.content.length > 0) emit({ type: 'logprobs.content.done', choice_index: choice.index, content: tokens.content });
    if (tokens.refusal.length > 0) emit({ type: 'logprobs.refusal.done', choice_index: choice.index, refusal: tokens.refusal });
    for (const call of choice.calls.values()) callDone(choice, call, emit);
  }

  return {
    add(chunk, emit) {
      // The fold checks the chunk's shape first: what it accepts is safe to read below.
      fold.add(chunk);
      emit({ type: 'chunk', chunk: chunk as object });
      const list = (chunk as Node).choices;
      if (Array.isArray(list)) for (const choice of list) if (isNode(choice)) addChoice(choice, emit);
    },
    end(emit) {
      if (fold.count === 0) {
        throw new OpenAIError(
          'toChatCompletionEvents: no chunk arrived; the stream ended before its first one (a stream can be read only once: was it read to its end already?).',
        );
      }
      for (const choice of choices.values()) finish(choice, null, emit);
      // parseCompletion throws the finish errors (`length`, `content_filter`) with the whole completion, usage included.
      const done = parseCompletion(fold.snapshot(), request).then((completion): Event => ({ type: 'done', completion }));
      done.catch(() => {});
      emit(done);
    },
    partial() {
      return fold.count > 0 ? fold.snapshot() : undefined;
    },
  };
}

/** A piece of text that adds something: servers send `null` and `""` in deltas that add nothing. */
const isPiece = (value: unknown): value is string => typeof value === 'string' && value !== '';

/** The text, if its choice is still open. */
function opened(choice: Choice, text: Text): Text {
  if (choice.finished) throw new OpenAIError(AFTER_DONE);
  return text;
}
