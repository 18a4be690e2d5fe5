import { OpenAIError } from '../errors.js';
import { choiceIndex, isPlainObject, own } from '../own.js';
import type { JSONObject } from '../own.js';
import { createFoldState, elementAt, mergeField, mergeObject, remember, sortKeyed } from './merge.js';
import type { FoldState } from './merge.js';
import type { ChatCompletion } from '../types/index.js';

/** A completion being folded from its chunks. */
export interface Fold {
  /** Folds one chunk in; throws an `OpenAIError` for a chunk no server sends (not an object, say). */
  add(chunk: unknown): void;
  /** How many chunks were folded in. */
  readonly count: number;
  /** The completion so far, shaped as the non-streamed API returns it. */
  snapshot(): ChatCompletion;
}

export function createFold(): Fold {
  const state = createFoldState();
  const completion: JSONObject = { id: '', object: 'chat.completion', created: 0, model: '', choices: [] };
  let count = 0;
  return {
    add(chunk) {
      if (!isPlainObject(chunk)) throw new OpenAIError(`A stream chunk is not a JSON object (got ${describe(chunk)}).`);
      addChunk(state, completion, chunk);
      count++;
    },
    get count() {
      return count;
    },
    snapshot() {
      sortKeyed(state);
      for (const choice of completion.choices as JSONObject[]) {
        const message = choice.message as JSONObject;
        // The non-streamed answer says "no refusal" with null; some servers stream `""` in every delta.
        if (message.refusal === '') message.refusal = null;
        typeToolCalls(message.tool_calls);
      }
      return completion as unknown as ChatCompletion;
    },
  };
}

function addChunk(state: FoldState, completion: JSONObject, chunk: JSONObject): void {
  for (const key of Object.keys(chunk)) {
    const value = chunk[key];
    // `object` names the chunk's type and `obfuscation` pads it: neither is part of the answer.
    if (key === 'object' || key === 'obfuscation') continue;
    if (key !== 'choices') mergeField(state, completion, key, value, 'describe', 1);
    else if (Array.isArray(value)) for (const choice of value) addChoice(state, completion.choices as JSONObject[], choice);
    else if (value !== null && value !== undefined) throw new OpenAIError(`A stream chunk's choices is not a list (got ${describe(value)}).`);
  }
}

function addChoice(state: FoldState, choices: JSONObject[], choice: unknown): void {
  if (choice === null || choice === undefined) return;
  if (!isPlainObject(choice)) throw new OpenAIError(`A stream chunk's choice is not a JSON object (got ${describe(choice)}).`);
  const index = choiceIndex(choice);
  const target = elementAt(state, choices, index, () => emptyChoice(state, index));
  for (const key of Object.keys(choice)) {
    const value = choice[key];
    if (key === 'index') continue;
    if (key === 'delta') addDelta(state, target.message as JSONObject, value);
    else if (key === 'logprobs' && isPlainObject(value)) {
      if (!isPlainObject(target.logprobs)) target.logprobs = {};
      mergeObject(state, target.logprobs as JSONObject, value, 'pieces', 3);
    } else mergeField(state, target, key, value, 'describe', 2);
  }
}

function addDelta(state: FoldState, message: JSONObject, delta: unknown): void {
  if (isPlainObject(delta)) mergeObject(state, message, delta, 'pieces', 3);
  else if (delta !== null && delta !== undefined) throw new OpenAIError(`A stream chunk's delta is not a JSON object (got ${describe(delta)}).`);
}

/**
 * A call without a `type` is a function call: Mistral streams and answers its calls without one,
 * and the type of a tool call says `function` or `custom`.
 */
function typeToolCalls(calls: unknown): void {
  if (!Array.isArray(calls)) return;
  for (const call of calls) {
    if (isPlainObject(call) && own(call, 'type') === undefined && isPlainObject(own(call, 'function'))) call.type = 'function';
  }
}

/** A choice before its first delta: what the non-streamed API returns when nothing arrives. */
function emptyChoice(state: FoldState, index: unknown): JSONObject {
  const message: JSONObject = { role: 'assistant', content: null, refusal: null };
  state.textual.add(message);
  // A default, not an arrival: a delta's `role` replaces it rather than repeating it.
  remember(state, message, 'role', 'assistant', 0);
  return { index, message, logprobs: null, finish_reason: null };
}

/** Names a value's kind for an error message without quoting what a server sent. */
function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  return value === null ? 'null' : `a ${typeof value}`;
}
