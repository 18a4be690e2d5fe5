import type { ChatCompletionCreateParams } from '../types/index.js';

/**
 * Every property of `POST /chat/completions` the contract has (src/types/request.ts), as a
 * runtime list: what a page's body may hold. The type below fails to compile when the contract
 * gains a property this list lacks, and test/relay/fields.test.ts compares it with the spec.
 */
export const CREATE_FIELDS = [
  'messages',
  'model',
  'metadata',
  'temperature',
  'top_p',
  'user',
  'safety_identifier',
  'prompt_cache_key',
  'prompt_cache_retention',
  'prompt_cache_options',
  'top_logprobs',
  'service_tier',
  'modalities',
  'verbosity',
  'reasoning_effort',
  'max_completion_tokens',
  'frequency_penalty',
  'presence_penalty',
  'web_search_options',
  'response_format',
  'audio',
  'store',
  'moderation',
  'stream',
  'stop',
  'logit_bias',
  'logprobs',
  'max_tokens',
  'n',
  'prediction',
  'seed',
  'stream_options',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'function_call',
  'functions',
] as const satisfies readonly (keyof ChatCompletionCreateParams)[];

/** The contract's properties missing from CREATE_FIELDS: must stay `never`. */
type Missing = Exclude<keyof ChatCompletionCreateParams, (typeof CREATE_FIELDS)[number]>;
/** Compiles only while nothing is missing. */
export const LISTS_EVERY_FIELD: [Missing] extends [never] ? true : Missing = true;

/**
 * Contract properties a page may not send unless the relay's `allowFields` names them: they
 * store data under the owner's account (`store`, `metadata`), change the price (`service_tier`),
 * share a cache between users (`prompt_cache_key`), or say who the user is, which the relay
 * knows better (`safety_identifier`, and `user`, its deprecated form).
 */
export const GUARDED_FIELDS: ReadonlySet<string> = new Set(['store', 'metadata', 'service_tier', 'prompt_cache_key', 'safety_identifier', 'user']);
