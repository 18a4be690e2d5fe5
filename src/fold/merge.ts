import { OpenAIError } from '../errors.js';
import { choiceIndex, defineOwn, isPlainObject, own } from '../own.js';
import type { JSONObject } from '../own.js';
import { createToolCallKeys } from './tool-call-keys.js';
import type { ToolCallKeys } from './tool-call-keys.js';

// The merge rules of `accumulateChatCompletion`, schema-free on purpose: whatever a compatible
// server adds (Azure's content filter results, DeepSeek's `reasoning_content`, Groq's
// `executed_tools`, OpenRouter's `reasoning_details`, ...) is folded by where it sits, not by name.

/** How a value is folded into what came before it. */
export type Mode =
  /** Top level and choice: a value describes the completion; the latest one counts. */
  | 'describe'
  /** Inside a delta or logprobs: strings are pieces to join, lists grow. */
  | 'pieces'
  /** Inside a `content` list: as `pieces`, and a part of the same `type` continues the one before. */
  | 'parts';

/** Far deeper than any real chunk (they nest under 10 levels), far shallower than the call stack. */
export const MAX_DEPTH = 100;

/** How one string field of a delta has behaved so far. */
interface Repeat {
  /** Its first non-empty value. */
  first: string;
  /** How many times `first` arrived, and nothing else did. */
  times: number;
  /** A different value arrived: the field is text, joined from here on. */
  joined: boolean;
}

/** What one fold remembers beside the completion it builds. */
export interface FoldState {
  /** Per object of a delta, per key: whether that string field is a label or text. */
  strings: Map<JSONObject, Map<string, Repeat>>;
  /** Per list merged by index: index → element (a Map, so no index can make an array sparse). */
  elements: Map<unknown[], Map<unknown, JSONObject>>;
  /** The index each such element came with, to sort by at the end. */
  indices: Map<JSONObject, unknown>;
  /** Every list merged by index, sorted once when the completion is read. */
  keyed: unknown[][];
  /** The objects whose text fields the API defines: messages, tool calls and their functions, audio, content parts. */
  textual: Set<JSONObject>;
  /** Per `tool_calls` list: which call each piece continues. */
  toolCalls: Map<unknown[], ToolCallKeys>;
}

/** Plain Maps, not WeakMaps: they live as long as the completion does, and a million WeakMap entries cost the garbage collector seconds. */
export function createFoldState(): FoldState {
  return { strings: new Map(), elements: new Map(), indices: new Map(), keyed: [], textual: new Set(), toolCalls: new Map() };
}

/** Folds every own key of `source` into `target`; `skip` names a key that only placed `source`. */
export function mergeObject(fold: FoldState, target: JSONObject, source: JSONObject, mode: Mode, depth: number, skip?: string): void {
  if (depth > MAX_DEPTH) throw new OpenAIError(`A stream chunk nests deeper than ${MAX_DEPTH} levels; no chat completion does.`);
  for (const key of Object.keys(source)) {
    if (key !== skip) mergeField(fold, target, key, source[key], mode, depth);
  }
}

/** Folds one field of a chunk into the same field of `target`. */
export function mergeField(fold: FoldState, target: JSONObject, key: string, value: unknown, mode: Mode, depth: number): void {
  const prev = own(target, key);
  // `null` says "nothing in this chunk", never "erase what came before".
  if (value === null || value === undefined) {
    if (prev === undefined) defineOwn(target, key, value);
  } else if (typeof value === 'string') mergeString(fold, target, key, value, mode, depth);
  else if (Array.isArray(value)) mergeList(fold, target, key, value, mode, depth);
  else if (typeof value === 'object') {
    const into = isPlainObject(prev) ? prev : {};
    if (into !== prev) {
      defineOwn(target, key, into);
      if (TEXT_HOLDERS.has(key) && fold.textual.has(target)) fold.textual.add(into);
    }
    mergeObject(fold, into, value as JSONObject, mode, depth + 1);
  } else defineOwn(target, key, value);
}

/**
 * Strings the API streams as text, always joined where the API puts them (a message, a tool
 * call's function, audio, a content part): a text made of one repeated piece (`\n` `\n`, `.` `.`,
 * silence in audio data) is still text. The reasoning fields are the ones compatible servers add.
 */
const TEXT_FIELDS = new Set(['content', 'refusal', 'arguments', 'text', 'transcript', 'data', 'reasoning', 'reasoning_content', 'thinking']);
/** Objects under a textual one whose own text fields the API defines too. */
const TEXT_HOLDERS = new Set(['function', 'function_call', 'audio']);
/** Lists whose elements are textual: tool calls, and content parts. */
const TEXT_LISTS = new Set(['tool_calls', 'content']);

/**
 * An empty string says nothing and erases nothing. Elsewhere than in a delta the latest string
 * counts. In a delta a string is a piece joined to the ones before: always in the fields the API
 * streams as text, and in any other field once its value changes; a field that has only ever
 * repeated one same value is a label a server repeats (`role`, `type`, Groq's `channel`, a tool
 * call's `id`), kept once.
 */
function mergeString(fold: FoldState, target: JSONObject, key: string, value: string, mode: Mode, depth: number): void {
  const prev = own(target, key);
  if (value === '') {
    if (prev === undefined || prev === null) defineOwn(target, key, value);
  } else if (mode === 'describe') defineOwn(target, key, value);
  else if (Array.isArray(prev)) addElement(fold, prev, key, { type: 'text', text: value }, 'parts', depth + 1);
  else if (typeof prev !== 'string' || prev === '') defineOwn(target, key, value);
  else if (TEXT_FIELDS.has(key) && fold.textual.has(target)) defineOwn(target, key, prev + value);
  else joinOrRepeat(fold, target, key, prev, value);
}

/**
 * The second and later values of a string field. Nothing is recorded for a field that arrived
 * once (most of them: a logprob's token, a part's type), so a single arrival costs no Map.
 */
function joinOrRepeat(fold: FoldState, target: JSONObject, key: string, prev: string, value: string): void {
  const repeat = fold.strings.get(target)?.get(key);
  if (repeat === undefined) {
    if (value === prev) remember(fold, target, key, prev, 2);
    else {
      defineOwn(target, key, prev + value);
      remember(fold, target, key, prev, 1).joined = true;
    }
  } else if (repeat.joined) defineOwn(target, key, prev + value);
  else if (value === repeat.first) repeat.times++;
  else if (repeat.times === 0) {
    // The fold's own default (a choice's role) gives way to the first value that arrives.
    defineOwn(target, key, value);
    repeat.first = value;
    repeat.times = 1;
  } else {
    // Once, when the field turns out to be text: the repeats so far were its first pieces.
    repeat.joined = true;
    defineOwn(target, key, repeat.first.repeat(repeat.times) + value);
  }
}

/** Records how a string field behaved; `times` 0 marks a default the fold set itself. */
export function remember(fold: FoldState, target: JSONObject, key: string, value: string, times: number): Repeat {
  let fields = fold.strings.get(target);
  if (fields === undefined) {
    fields = new Map();
    fold.strings.set(target, fields);
  }
  const repeat: Repeat = { first: value, times, joined: false };
  fields.set(key, repeat);
  return repeat;
}

/**
 * Elements that carry an `index` merge into the element at that index, in every mode. Elsewhere
 * than in a delta, any other list replaces the one before (a server repeating `citations` each
 * chunk); in a delta it grows. A string before a list of parts becomes its first text part.
 */
function mergeList(fold: FoldState, target: JSONObject, key: string, value: unknown[], mode: Mode, depth: number): void {
  const prev = own(target, key);
  let list: unknown[];
  if (Array.isArray(prev) && (mode !== 'describe' || isKeyed(key, value[0]))) list = prev;
  else {
    list = [];
    defineOwn(target, key, list);
    if (typeof prev === 'string' && prev !== '' && mode !== 'describe') addElement(fold, list, key, { type: 'text', text: prev }, 'parts', depth + 1);
  }
  const listMode: Mode = mode === 'describe' ? 'describe' : mode === 'parts' || key === 'content' ? 'parts' : 'pieces';
  for (const item of value) addElement(fold, list, key, item, listMode, depth + 1);
}

/** A choice without an `index` is index 0: servers with a single one omit it. A tool call's key is its call's (see ToolCallKeys). */
function indexOf(fold: FoldState, list: unknown[], key: string, item: JSONObject): unknown {
  if (key === 'tool_calls') return toolCallKeys(fold, list).keyOf(item);
  return key === 'choices' ? choiceIndex(item) : own(item, 'index');
}

function toolCallKeys(fold: FoldState, list: unknown[]): ToolCallKeys {
  let keys = fold.toolCalls.get(list);
  if (keys === undefined) {
    keys = createToolCallKeys();
    fold.toolCalls.set(list, keys);
  }
  return keys;
}

function isKeyed(key: string, item: unknown): boolean {
  return isPlainObject(item) && (key === 'tool_calls' || key === 'choices' || own(item, 'index') !== undefined);
}

function addElement(fold: FoldState, list: unknown[], key: string, item: unknown, mode: Mode, depth: number): void {
  if (isKeyed(key, item)) {
    const element = elementAt(fold, list, indexOf(fold, list, key, item as JSONObject), () => ({}));
    if (TEXT_LISTS.has(key)) fold.textual.add(element);
    // A tool call's `index` only placed it: the non-streamed tool calls have none.
    mergeObject(fold, element, item as JSONObject, mode, depth, key === 'tool_calls' ? 'index' : undefined);
  } else if (isPlainObject(item)) {
    const last = list[list.length - 1];
    const continues = mode === 'parts' && isPlainObject(last) && typeof item.type === 'string' && own(last, 'type') === item.type;
    const element: JSONObject = continues ? (last as JSONObject) : {};
    if (!continues) list.push(element);
    if (TEXT_LISTS.has(key)) fold.textual.add(element);
    mergeObject(fold, element, item, mode, depth);
  } else if (Array.isArray(item)) {
    const inner: unknown[] = [];
    list.push(inner);
    if (depth > MAX_DEPTH) throw new OpenAIError(`A stream chunk nests deeper than ${MAX_DEPTH} levels; no chat completion does.`);
    for (const each of item) addElement(fold, inner, key, each, mode === 'describe' ? mode : 'pieces', depth + 1);
  } else list.push(item);
}

/**
 * The element of `list` at `index`, made by `create` the first time. Any index works as a key
 * (negative, fractional, huge, a string): it costs one Map entry, never a sparse array.
 */
export function elementAt(fold: FoldState, list: unknown[], index: unknown, create: () => JSONObject): JSONObject {
  let elements = fold.elements.get(list);
  if (elements === undefined) {
    elements = new Map();
    fold.elements.set(list, elements);
    fold.keyed.push(list);
  }
  let element = elements.get(index);
  if (element === undefined) {
    element = create();
    elements.set(index, element);
    fold.indices.set(element, index);
    list.push(element);
  }
  return element;
}

/** Puts every list merged by index in index order: numbers ascending, then other indices as they came. */
export function sortKeyed(fold: FoldState): void {
  const rank = (element: unknown): number => {
    const index = fold.indices.get(element as JSONObject);
    return typeof index === 'number' && !Number.isNaN(index) ? index : Infinity;
  };
  for (const list of fold.keyed) {
    list.sort((a, b) => {
      const [x, y] = [rank(a), rank(b)];
      if (x === y) return 0;
      return x < y ? -1 : 1;
    });
  }
}
