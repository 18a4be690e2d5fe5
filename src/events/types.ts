// The events of `toChatCompletionEvents`: a union discriminated by `type`, named as the official
// SDK's ChatCompletionStream names its events. Types only: no runtime code.
import type { FunctionTool } from '../structured/function-tool.js';
import type { ParsedChatCompletion } from '../structured/parse.js';
import type { ChatCompletionChunk, ChatCompletionTokenLogprob } from '../types/response.js';

/**
 * A value of type `T` as far as its JSON text has arrived, before validation: strings hold
 * their text so far; numbers, booleans and `null` appear once complete; objects hold the
 * members that have begun (any may still be missing), arrays the items so far. An optional
 * property may be `null` (strict mode sends an absent property as `null`).
 */
export type PartialParsed<T> = T extends string | number | boolean | null | undefined
  ? T
  : T extends readonly (infer Item)[]
    ? PartialParsed<Item>[]
    : T extends object
      ? { [Key in keyof T]?: PartialParsed<T[Key]> | (undefined extends T[Key] ? null : never) }
      : T;

/** What every event about one choice says: which choice (its `index`; 0 unless `n` > 1). */
export interface ChatCompletionChoiceEvent {
  /** The choice's `index`. */
  choice_index: number;
}

/** A chunk as it arrived; one before the events it gives. */
export interface ChatCompletionChunkEvent {
  type: 'chunk';
  /** The chunk, as the stream gave it. */
  chunk: ChatCompletionChunk;
}

/** A piece of a choice's content. */
export interface ContentDeltaEvent<T = undefined> extends ChatCompletionChoiceEvent {
  type: 'content.delta';
  /** The new text. */
  delta: string;
  /** The content so far, this piece included. */
  snapshot: string;
  /**
   * For a parseable `response_format` (`jsonSchemaFormat`), the answer parsed so far
   * (`undefined` before anything is known, and from a piece that is not JSON on: the `done`
   * event then fails validation). Built on first read, then the same object on every read.
   */
  readonly parsed: [T] extends [undefined] ? undefined : PartialParsed<T> | undefined;
}

/** A choice's content is complete (its `finish_reason` arrived, or the stream ended). */
export interface ContentDoneEvent<T = undefined> extends ChatCompletionChoiceEvent {
  type: 'content.done';
  /** The whole content. */
  content: string;
  /** For a parseable `response_format`, the answer parsed and validated by its schema. */
  parsed: [T] extends [undefined] ? undefined : T;
}

/** A piece of a choice's refusal. */
export interface RefusalDeltaEvent extends ChatCompletionChoiceEvent {
  type: 'refusal.delta';
  /** The new text. */
  delta: string;
  /** The refusal so far, this piece included. */
  snapshot: string;
}

/** A choice's refusal is complete. */
export interface RefusalDoneEvent extends ChatCompletionChoiceEvent {
  type: 'refusal.done';
  /** The whole refusal. */
  refusal: string;
}

/** Log probabilities of a piece of a choice's content (with `logprobs: true`). */
export interface LogprobsContentDeltaEvent extends ChatCompletionChoiceEvent {
  type: 'logprobs.content.delta';
  /** This chunk's tokens. */
  content: ChatCompletionTokenLogprob[];
  /** The tokens so far, these included; built on first read. */
  readonly snapshot: ChatCompletionTokenLogprob[];
}

/** Log probabilities of a choice's whole content. */
export interface LogprobsContentDoneEvent extends ChatCompletionChoiceEvent {
  type: 'logprobs.content.done';
  /** Every content token. */
  content: ChatCompletionTokenLogprob[];
}

/** Log probabilities of a piece of a choice's refusal. */
export interface LogprobsRefusalDeltaEvent extends ChatCompletionChoiceEvent {
  type: 'logprobs.refusal.delta';
  /** This chunk's tokens. */
  refusal: ChatCompletionTokenLogprob[];
  /** The tokens so far, these included; built on first read. */
  readonly snapshot: ChatCompletionTokenLogprob[];
}

/** Log probabilities of a choice's whole refusal. */
export interface LogprobsRefusalDoneEvent extends ChatCompletionChoiceEvent {
  type: 'logprobs.refusal.done';
  /** Every refusal token. */
  refusal: ChatCompletionTokenLogprob[];
}

/** A piece of a function tool call's arguments. */
export interface FunctionToolCallArgumentsDeltaEvent<Name extends string = string, Args = undefined> extends ChatCompletionChoiceEvent {
  type: 'tool_calls.function.arguments.delta';
  /** The call's position in the message's `tool_calls`. */
  index: number;
  /** The call's id (`''` until it arrives). */
  id: string;
  /** The function's name (`''` until it arrives). */
  name: Name;
  /** The new text of the arguments. */
  arguments_delta: string;
  /** The arguments so far, this piece included. */
  arguments: string;
  /**
   * For a `functionTool`, the arguments parsed so far (`undefined` before anything is known,
   * and from a piece that is not JSON on). Built on first read, then the same object.
   */
  readonly parsed_arguments: [Args] extends [undefined] ? undefined : PartialParsed<Args> | undefined;
}

/**
 * A function tool call's arguments are complete: the next call began while they were whole
 * JSON, or the choice's `finish_reason` arrived, or the stream ended.
 */
export interface FunctionToolCallArgumentsDoneEvent<Name extends string = string, Args = undefined> extends ChatCompletionChoiceEvent {
  type: 'tool_calls.function.arguments.done';
  /** The call's position in the message's `tool_calls`. */
  index: number;
  /** The call's id. */
  id: string;
  /** The function's name. */
  name: Name;
  /** The whole arguments, as JSON text. */
  arguments: string;
  /** For a `functionTool`, the arguments parsed and validated by its schema. */
  parsed_arguments: [Args] extends [undefined] ? undefined : Args;
}

/** The last event: the whole completion, parsed as `toParsedChatCompletion` parses it. */
export interface ChatCompletionDoneEvent<T = undefined, Tools = undefined> {
  type: 'done';
  /**
   * The completion folded from every chunk, with `message.parsed` and `parsed_arguments`: the
   * very values of the done events before it (each validated once).
   */
  completion: ParsedChatCompletion<T, Tools>;
}

/** The delta event of one tool: its name and arguments typed for a `functionTool`. */
type ArgumentsDeltaOf<Tool> =
  Tool extends FunctionTool<infer Name, infer Args> ? FunctionToolCallArgumentsDeltaEvent<Name, Args> : FunctionToolCallArgumentsDeltaEvent;
type ArgumentsDoneOf<Tool> =
  Tool extends FunctionTool<infer Name, infer Args> ? FunctionToolCallArgumentsDoneEvent<Name, Args> : FunctionToolCallArgumentsDoneEvent;

/** The argument delta events of a `tools` list, one member per tool (narrow by `name`). */
export type ToolCallArgumentsDeltaEvents<Tools> = Tools extends readonly (infer Tool)[] ? ArgumentsDeltaOf<Tool> : FunctionToolCallArgumentsDeltaEvent;
/** The argument done events of a `tools` list, one member per tool (narrow by `name`). */
export type ToolCallArgumentsDoneEvents<Tools> = Tools extends readonly (infer Tool)[] ? ArgumentsDoneOf<Tool> : FunctionToolCallArgumentsDoneEvent;

/**
 * An event of `toChatCompletionEvents`, narrowed by `type`. `T` is the output type of the
 * `response_format` (`undefined` when it is not parseable), `Tools` the `tools` list.
 */
export type ChatCompletionEvent<T = undefined, Tools = undefined> =
  | ChatCompletionChunkEvent
  | ContentDeltaEvent<T>
  | ContentDoneEvent<T>
  | RefusalDeltaEvent
  | RefusalDoneEvent
  | LogprobsContentDeltaEvent
  | LogprobsContentDoneEvent
  | LogprobsRefusalDeltaEvent
  | LogprobsRefusalDoneEvent
  | ToolCallArgumentsDeltaEvents<Tools>
  | ToolCallArgumentsDoneEvents<Tools>
  | ChatCompletionDoneEvent<T, Tools>;
