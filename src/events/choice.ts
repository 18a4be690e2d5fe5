import { OpenAIError } from '../errors.js';
import { createToolCallKeys } from '../fold/tool-call-keys.js';
import { choiceIndex, isPlainObject } from '../own.js';
import type { JSONObject } from '../own.js';
import { addCall, callDone } from './calls.js';
import { ContentDelta, LogprobsDelta } from './lazy.js';
import { AFTER_DONE, isPiece, opened, validated } from './state.js';
import type { Choice, Emit, Maker } from './state.js';
import { createText, grow } from './text.js';

/** The choice at `index`, made on its first piece. */
function choiceOf(maker: Maker, index: unknown): Choice {
  const known = maker.choices.get(index);
  if (known) return known;
  const choice: Choice = {
    index,
    content: createText(maker.format !== undefined),
    refusal: createText(false),
    tokens: { content: [], refusal: [] },
    calls: new Map(),
    keys: createToolCallKeys(),
    current: undefined,
    finished: false,
  };
  maker.choices.set(index, choice);
  return choice;
}

/** One choice of a chunk (already folded, so its shape is safe to read): its delta events, then its done events if it finished. */
export function addChoice(maker: Maker, node: JSONObject, emit: Emit): void {
  const choice = choiceOf(maker, choiceIndex(node));
  const delta = isPlainObject(node.delta) ? node.delta : {};
  if (isPiece(delta.content)) {
    const parsed = grow(opened(choice, choice.content), delta.content);
    emit(new ContentDelta(choice.index, delta.content, choice.content.value, parsed));
  }
  if (isPiece(delta.refusal)) {
    grow(opened(choice, choice.refusal), delta.refusal);
    emit({ type: 'refusal.delta', choice_index: choice.index, delta: delta.refusal, snapshot: choice.refusal.value });
  }
  if (Array.isArray(delta.tool_calls)) for (const item of delta.tool_calls) if (isPlainObject(item)) addCall(maker, choice, item, emit);
  if (isPlainObject(node.logprobs)) {
    addTokens(choice, 'content', node.logprobs.content, emit);
    addTokens(choice, 'refusal', node.logprobs.refusal, emit);
  }
  if (typeof node.finish_reason === 'string') finish(maker, choice, node.finish_reason, emit);
}

function addTokens(choice: Choice, part: 'content' | 'refusal', given: unknown, emit: Emit): void {
  if (!Array.isArray(given) || given.length === 0) return;
  if (choice.finished) throw new OpenAIError(AFTER_DONE);
  const all = choice.tokens[part];
  for (const token of given) all.push(token);
  emit(new LogprobsDelta(part, choice.index, given, all));
}

/**
 * Whether the content of `choice` is the answer its schema must fit: always, but for the tool
 * loop only in a turn that calls no tool (a turn that calls tools is not the answer yet).
 */
const contentIsAnswer = (maker: Maker, choice: Choice): boolean => !maker.forToolLoop || choice.calls.size === 0;

/**
 * Whether a choice stopped early has a schema to fill, so gives no done events: the final parse
 * says why instead. For the tool loop only the answer's format counts (calls are told to the model).
 */
function hasSchemaToFill(maker: Maker, choice: Choice): boolean {
  if (maker.forToolLoop) return maker.format !== undefined && contentIsAnswer(maker, choice);
  return maker.format !== undefined || maker.tools.length > 0;
}

/** The choice's done events (`reason` null: the stream ended); none when it stopped early with a schema to fill. */
export function finish(maker: Maker, choice: Choice, reason: string | null, emit: Emit): void {
  if (choice.finished) return;
  choice.finished = true;
  const cut = reason === 'length' || reason === 'content_filter';
  if (cut && hasSchemaToFill(maker, choice)) return;
  const strict = contentIsAnswer(maker, choice);
  const { content, refusal, tokens } = choice;
  if (content.started) {
    const event = { type: 'content.done', choice_index: choice.index, content: content.value, parsed: undefined };
    const what = `The answer of choice ${choice.index}`;
    emit(maker.format ? validated(maker, event, 'parsed', maker.format, content.value, what, !strict) : event);
  }
  if (refusal.started) emit({ type: 'refusal.done', choice_index: choice.index, refusal: refusal.value });
  if (tokens.content.length > 0) emit({ type: 'logprobs.content.done', choice_index: choice.index, content: tokens.content });
  if (tokens.refusal.length > 0) emit({ type: 'logprobs.refusal.done', choice_index: choice.index, refusal: tokens.refusal });
  for (const call of choice.calls.values()) callDone(maker, choice, call, emit);
}
