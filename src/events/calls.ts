import { OpenAIError } from '../errors.js';
import { isPlainObject } from '../own.js';
import type { JSONObject } from '../own.js';
import { ArgumentsDelta } from './lazy.js';
import { createJSONEnd } from './json-end.js';
import { AFTER_DONE, isPiece, opened, validated } from './state.js';
import type { Call, Choice, Emit, Maker } from './state.js';
import { createText, grow, parseFromNow } from './text.js';

/** A piece of a tool call: its id, name and arguments so far, and a delta event for new arguments. */
export function addCall(maker: Maker, choice: Choice, item: JSONObject, emit: Emit): void {
  const call = callOf(maker, choice, item, emit);
  if (isPiece(item.type) && item.type !== 'function') call.other = true;
  if (typeof item.id === 'string' && call.id === '') call.id = item.id;
  const fn = isPlainObject(item.function) ? item.function : {};
  if (isPiece(fn.name) && call.name === '') nameCall(maker, call, fn.name);
  if (!isPiece(fn.arguments) || call.other) return;
  if (call.done) throw new OpenAIError(AFTER_DONE);
  const parsed = grow(opened(choice, call.arguments), fn.arguments);
  call.end.push(fn.arguments);
  emit(new ArgumentsDelta(choice.index, call, fn.arguments, call.arguments.value, parsed));
}

/**
 * The call `item` continues, or a new one. Moving to another call ends the one before when its
 * arguments are whole: when indices interleave (0, 1, then 0 again), a call still growing is
 * left open until it is whole or its choice finishes.
 */
function callOf(maker: Maker, choice: Choice, item: JSONObject, emit: Emit): Call {
  const key = choice.keys.keyOf(item);
  const previous = choice.current;
  let call = choice.calls.get(key);
  if (call === undefined) {
    const index = item.index === undefined ? choice.calls.size : item.index;
    call = { index, id: '', name: '', arguments: createText(false), end: createJSONEnd(), parse: undefined, other: false, done: false };
    choice.calls.set(key, call);
  }
  if (previous !== undefined && previous !== call && previous.end.whole) callDone(maker, choice, previous, emit);
  choice.current = call;
  return call;
}

/** The call's name arrived: a `functionTool`'s arguments are parsed from here, as far as they came. */
function nameCall(maker: Maker, call: Call, name: string): void {
  call.name = name;
  const tool = maker.tools.find((candidate) => candidate.function?.name === name);
  if (!tool || call.other) return;
  call.parse = tool.parse;
  parseFromNow(call.arguments);
}

/** The call's done event, its arguments validated for a `functionTool` (leniently for the tool loop). */
export function callDone(maker: Maker, choice: Choice, call: Call, emit: Emit): void {
  if (call.done || call.other) return;
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
  if (!call.parse) emit(event);
  else emit(validated(maker, event, 'parsed_arguments', call.parse, text, `The arguments of tool call ${call.id}`, maker.forToolLoop));
}
