import type { ChatCompletionContentPartText, ChatCompletionMessageParam } from './messages.js';
import type {
  ChatModel,
  Metadata,
  Modality,
  ModerationMode,
  OutputAudioFormat,
  ReasoningEffort,
  ServiceTier,
  Verbosity,
  VoiceOrCustomVoice,
} from './models.js';
import type { ChatCompletionFunctionCallMode, ChatCompletionFunctions, ChatCompletionTool, ChatCompletionToolChoiceOption } from './tools.js';
import type { ChatCompletionResponseFormat } from './response-format.js';
import type { ChatCompletionWebSearchOptions } from './web-search.js';

/** Audio output settings; required with `modalities: ['audio']`. */
export interface ChatCompletionAudioParam {
  /**
   * The voice: a built-in one (`alloy`, `ash`, `ballad`, `coral`, `echo`, `sage`, `shimmer`,
   * `verse`, `marin`, `cedar`, ...) or a custom voice `{ id: 'voice_1234' }`.
   */
  voice: VoiceOrCustomVoice;
  /** The output audio format: `wav`, `aac`, `mp3`, `flac`, `opus` or `pcm16`. */
  format: OutputAudioFormat;
}

/**
 * Static predicted output, such as the current text of a file being regenerated with small
 * changes: matching tokens come back much faster.
 */
export interface ChatCompletionPredictionContent {
  /** The type of the predicted content. Always `content`. */
  type: 'content';
  /** The predicted text, as a string or text parts. */
  content: string | ChatCompletionContentPartText[];
}

/** Options of a streamed response; set only with `stream: true`. */
export interface ChatCompletionStreamOptions {
  /**
   * Stream one more chunk before `data: [DONE]` whose `usage` holds the whole request's token
   * usage (and whose `choices` is empty); other chunks carry `usage: null`. An interrupted
   * stream may lack it.
   */
  include_usage?: boolean;
  /**
   * Add random characters (`obfuscation`) to delta chunks to normalize their size, against
   * side-channel attacks. On by default; `false` saves bandwidth on trusted links.
   */
  include_obfuscation?: boolean;
}

/** Up to 4 sequences at which the model stops; the output does not contain them. */
export type StopConfiguration = string | string[];

/** The moderation policy for the input or the output. */
export interface ModerationConfigParam {
  /** The moderation mode: `score` or `block`. */
  mode: ModerationMode;
}

/** The moderation policies for the input and the output. */
export interface ModerationPolicyParam {
  /** The policy for the request's input. */
  input?: ModerationConfigParam | null;
  /** The policy for the generated output. */
  output?: ModerationConfigParam | null;
}

/** Moderation of the request's input and the generated output. */
export interface ModerationParam {
  /** The moderation model, e.g. `omni-moderation-latest`. */
  model: string;
  /** The policies for the input and the output. */
  policy?: ModerationPolicyParam | null;
}

/** Lifetime of prompt cache entries. `30m` is the only value today. */
export type PromptCacheTTL = '30m';

/**
 * `implicit`: OpenAI adds one cache breakpoint and writes up to the last 3 explicit ones;
 * `explicit`: no implicit breakpoint, up to the last 4 explicit ones.
 */
export type PromptCacheMode = 'implicit' | 'explicit';

/** Maximum retention of prompt cache entries: `in_memory` or `24h`. */
export type PromptCacheRetention = 'in_memory' | '24h';

/**
 * Prompt caching options (gpt-5.6 and later). By default OpenAI picks one implicit cache
 * breakpoint; mark more with `prompt_cache_breakpoint` on content parts (up to 4 a request).
 */
export interface PromptCacheOptions {
  /** Minimum lifetime of every cache breakpoint the request writes. Default `30m`, the only value today. */
  ttl?: PromptCacheTTL;
  /**
   * `implicit` (default) adds an automatic breakpoint; `explicit` uses only yours, and without
   * any, no prompt caching.
   */
  mode?: PromptCacheMode;
}

/**
 * The body of `POST /chat/completions`. Which parameters a model supports differs, especially
 * for reasoning models.
 */
export interface ChatCompletionCreateParams {
  /** The conversation so far: at least one message. */
  messages: ChatCompletionMessageParam[];
  /** The model id, e.g. `gpt-5.4` or `o3`. */
  model: ChatModel;
  /** Attached to the stored completion (with `store: true`); up to 16 string pairs. */
  metadata?: Metadata | null;
  /**
   * Sampling temperature, 0 to 2: higher is more random, lower more focused. Default 1. Alter
   * this or `top_p`, not both.
   */
  temperature?: number | null;
  /**
   * Nucleus sampling, 0 to 1: only the tokens of the top `top_p` probability mass are
   * considered (0.1 = top 10%). Default 1. Alter this or `temperature`, not both.
   */
  top_p?: number | null;
  /**
   * A stable identifier for your end user.
   * @deprecated Use `safety_identifier` and `prompt_cache_key`.
   */
  user?: string;
  /**
   * A stable id of your end user (e.g. a hash of their email), to help detect abuse; at most
   * 64 characters.
   */
  safety_identifier?: string | null;
  /** Groups similar requests for better prompt cache hit rates; replaces `user` for caching. */
  prompt_cache_key?: string | null;
  /**
   * Maximum retention of cached prefixes: `in_memory` or `24h` (only `24h` for gpt-5.5 and
   * later). Default depends on the organization's data retention.
   * @deprecated Use `prompt_cache_options.ttl`.
   */
  prompt_cache_retention?: PromptCacheRetention | null;
  /** Prompt caching options (gpt-5.6 and later): breakpoint mode and TTL. */
  prompt_cache_options?: PromptCacheOptions;
  /**
   * How many most likely tokens (0 to 20) to return at each position, with log
   * probabilities. Requires `logprobs: true`.
   */
  top_logprobs?: number | null;
  /** Processing type: `auto` (default), `default`, `flex`, `scale`, `priority` or `fast`. */
  service_tier?: ServiceTier | null;
  /** Output kinds to generate: `['text']` (default), or `['text', 'audio']` for audio models. */
  modalities?: Modality[] | null;
  /** How concise or verbose the response is: `low`, `medium` (default) or `high`. */
  verbosity?: Verbosity | null;
  /** Reasoning effort of reasoning models, `none` to `max`. Default `medium`. */
  reasoning_effort?: ReasoningEffort | null;
  /** Upper bound on generated tokens, visible output and reasoning tokens together. */
  max_completion_tokens?: number | null;
  /**
   * -2.0 to 2.0: positive values penalize tokens by how often they already appear, making
   * verbatim repetition less likely. Default 0.
   */
  frequency_penalty?: number | null;
  /**
   * -2.0 to 2.0: positive values penalize tokens that already appear at all, nudging the
   * model to new topics. Default 0.
   */
  presence_penalty?: number | null;
  /** Search the web for relevant results (web search models). */
  web_search_options?: ChatCompletionWebSearchOptions;
  /**
   * The format of the output: `{ type: 'json_schema', json_schema }` for Structured
   * Outputs, `{ type: 'json_object' }` for JSON mode, or text (default).
   */
  response_format?: ChatCompletionResponseFormat;
  /** Audio output voice and format; required with `modalities: ['audio']`. */
  audio?: ChatCompletionAudioParam | null;
  /**
   * Store the completion for later retrieval, distillation and evals. Image inputs over 8 MB
   * are dropped. Default false.
   */
  store?: boolean | null;
  /** Run moderation on the request's input and the generated output. */
  moderation?: ModerationParam | null;
  /** Stream the response as server-sent events. Default false. */
  stream?: boolean | null;
  /**
   * Up to 4 sequences at which generation stops; the output does not contain them. Not
   * supported by the latest reasoning models (`o3`, `o4-mini`).
   */
  stop?: StopConfiguration | null;
  /**
   * Maps token ids to a bias from -100 to 100 added to their logits: ±1 nudges, ±100 bans or
   * forces the token. Default null.
   */
  logit_bias?: Record<string, number> | null;
  /** Return the log probabilities of the output tokens in `choices[].logprobs`. Default false. */
  logprobs?: boolean | null;
  /**
   * Maximum tokens to generate. Not compatible with o-series models.
   * @deprecated Use `max_completion_tokens`.
   */
  max_tokens?: number | null;
  /** How many choices to generate, 1 to 128; you pay for the tokens of all. Default 1. */
  n?: number | null;
  /** Predicted output, which speeds up responses that mostly repeat known content. */
  prediction?: ChatCompletionPredictionContent | null;
  /**
   * Best-effort deterministic sampling: the same seed and parameters should give the same
   * result; watch `system_fingerprint` for backend changes. Beta.
   * @deprecated Marked deprecated in the API reference.
   */
  seed?: number | null;
  /** Options of a streamed response; set only with `stream: true`. */
  stream_options?: ChatCompletionStreamOptions | null;
  /** Tools the model may call: function tools and custom tools. */
  tools?: ChatCompletionTool[];
  /**
   * Which tool the model calls, if any. Default `none` without tools, `auto` with them.
   */
  tool_choice?: ChatCompletionToolChoiceOption;
  /** Let the model call several tools at once. Default true. */
  parallel_tool_calls?: boolean;
  /**
   * Which function the model calls: `none`, `auto` or `{ name }`. Default `none` without
   * functions, `auto` with them.
   * @deprecated Use `tool_choice`.
   */
  function_call?: ChatCompletionFunctionCallMode;
  /**
   * Functions the model may generate JSON inputs for; 1 to 128.
   * @deprecated Use `tools`.
   */
  functions?: ChatCompletionFunctions[];
}

/** A `POST /chat/completions` body that returns one `ChatCompletion`. */
export interface ChatCompletionCreateParamsNonStreaming extends ChatCompletionCreateParams {
  /** Unset, `false` or `null`: the response is one JSON object. */
  stream?: false | null;
}

/** A `POST /chat/completions` body that returns a stream of `ChatCompletionChunk`s. */
export interface ChatCompletionCreateParamsStreaming extends ChatCompletionCreateParams {
  /** Stream the response as server-sent events. */
  stream: true;
}
