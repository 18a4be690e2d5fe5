/**
 * A model id. The named ones are those the API lists for Chat Completions (newest first), plus
 * the retired `DeprecatedChatModel` names; any other id (a fine-tune, a newer model) is accepted
 * too, and editors still complete the names.
 */
export type ChatModel =
  | 'gpt-5.6-sol'
  | 'gpt-5.6-terra'
  | 'gpt-5.6-luna'
  | 'gpt-5.5'
  | 'gpt-5.5-2026-04-23'
  | 'gpt-5.4'
  | 'gpt-5.4-mini'
  | 'gpt-5.4-nano'
  | 'gpt-5.4-mini-2026-03-17'
  | 'gpt-5.4-nano-2026-03-17'
  | 'gpt-5.3-chat-latest'
  | 'gpt-5.2'
  | 'gpt-5.2-2025-12-11'
  | 'gpt-5.2-chat-latest'
  | 'gpt-5.2-pro'
  | 'gpt-5.2-pro-2025-12-11'
  | 'gpt-5.1'
  | 'gpt-5.1-2025-11-13'
  | 'gpt-5.1-codex'
  | 'gpt-5.1-mini'
  | 'gpt-5.1-chat-latest'
  | 'gpt-5'
  | 'gpt-5-mini'
  | 'gpt-5-nano'
  | 'gpt-5-2025-08-07'
  | 'gpt-5-mini-2025-08-07'
  | 'gpt-5-nano-2025-08-07'
  | 'gpt-5-chat-latest'
  | 'gpt-4.1'
  | 'gpt-4.1-mini'
  | 'gpt-4.1-nano'
  | 'gpt-4.1-2025-04-14'
  | 'gpt-4.1-mini-2025-04-14'
  | 'gpt-4.1-nano-2025-04-14'
  | 'o4-mini'
  | 'o4-mini-2025-04-16'
  | 'o3'
  | 'o3-2025-04-16'
  | 'o3-mini'
  | 'o3-mini-2025-01-31'
  | 'o1'
  | 'o1-2024-12-17'
  | 'o1-preview'
  | 'o1-preview-2024-09-12'
  | 'o1-mini'
  | 'o1-mini-2024-09-12'
  | 'gpt-4o'
  | 'gpt-4o-2024-11-20'
  | 'gpt-4o-2024-08-06'
  | 'gpt-4o-2024-05-13'
  | 'gpt-4o-audio-preview'
  | 'gpt-4o-audio-preview-2024-10-01'
  | 'gpt-4o-audio-preview-2024-12-17'
  | 'gpt-4o-audio-preview-2025-06-03'
  | 'gpt-4o-mini-audio-preview'
  | 'gpt-4o-mini-audio-preview-2024-12-17'
  | 'gpt-4o-search-preview'
  | 'gpt-4o-mini-search-preview'
  | 'gpt-4o-search-preview-2025-03-11'
  | 'gpt-4o-mini-search-preview-2025-03-11'
  | 'chatgpt-4o-latest'
  | 'codex-mini-latest'
  | 'gpt-4o-mini'
  | 'gpt-4o-mini-2024-07-18'
  | 'gpt-4-turbo'
  | 'gpt-4-turbo-2024-04-09'
  | 'gpt-4-0125-preview'
  | 'gpt-4-turbo-preview'
  | 'gpt-4-1106-preview'
  | 'gpt-4-vision-preview'
  | 'gpt-4'
  | 'gpt-4-0314'
  | 'gpt-4-0613'
  | 'gpt-4-32k'
  | 'gpt-4-32k-0314'
  | 'gpt-4-32k-0613'
  | 'gpt-3.5-turbo'
  | 'gpt-3.5-turbo-16k'
  | 'gpt-3.5-turbo-0301'
  | 'gpt-3.5-turbo-0613'
  | 'gpt-3.5-turbo-1106'
  | 'gpt-3.5-turbo-0125'
  | 'gpt-3.5-turbo-16k-0613'
  | DeprecatedChatModel
  // Any other id; `string & {}` rather than `string` keeps the names above in completions.
  | (string & {});

/**
 * Model ids the API's model list has dropped. Still accepted (any id string is), and named so
 * that code using them keeps its completions and shows them struck through.
 * TypeScript cannot mark single string literals deprecated; editors strike through this
 * name wherever it is referenced.
 *
 * @deprecated No longer in the API's model list: `gpt-4.5-preview*` was retired (use `gpt-4.1`
 * or newer), and `computer-use-preview*` is served by the Responses API, not Chat Completions.
 */
export type DeprecatedChatModel =
  | 'gpt-4.5-preview'
  | 'gpt-4.5-preview-2025-02-27'
  | 'computer-use-preview'
  | 'computer-use-preview-2025-02-04'
  | 'computer-use-preview-2025-03-11';

/**
 * Effort a reasoning model spends on reasoning: less is faster and uses fewer reasoning tokens.
 * Not every model supports every value. Default `medium`.
 */
export type ReasoningEffort = 'none' | 'minimal' | 'low' | 'medium' | 'high' | 'xhigh' | 'max';

/**
 * Processing type for the request: `auto` (the project's setting, default), `default`
 * (standard), `flex` (Flex Processing), `priority` or `fast` (Fast mode; reported back as
 * `priority`), `scale`. A response reports the tier actually used.
 */
export type ServiceTier = 'auto' | 'default' | 'flex' | 'scale' | 'priority' | 'fast';

/** How concise (`low`) or verbose (`high`) the response is. Default `medium`. */
export type Verbosity = 'low' | 'medium' | 'high';

/** Output kinds a model can generate: `text` (the default) and, for audio models, `audio`. */
export type Modality = 'text' | 'audio';

/** A built-in voice for audio output; other voice names are accepted as strings. */
export type Voice = 'alloy' | 'ash' | 'ballad' | 'coral' | 'echo' | 'sage' | 'shimmer' | 'verse' | 'marin' | 'cedar' | (string & {});

/** A reference to a custom voice. */
export interface CustomVoice {
  /** The custom voice id, e.g. `voice_1234`. */
  id: string;
}

/** A built-in voice name or a custom voice reference (`{ id: 'voice_1234' }`). */
export type VoiceOrCustomVoice = Voice | CustomVoice;

/** Encoding of audio sent in a message (`input_audio` content part). */
export type InputAudioFormat = 'wav' | 'mp3';

/** Encoding of audio the model generates (`audio.format` of a request). */
export type OutputAudioFormat = 'wav' | 'aac' | 'mp3' | 'flac' | 'opus' | 'pcm16';

/**
 * Up to 16 key-value pairs attached to an object, for your own bookkeeping and for filtering
 * lists. Keys: at most 64 characters; values: strings of at most 512 characters.
 */
export type Metadata = Record<string, string>;

/** Kind of input a moderation score reflects. */
export type ModerationInputType = 'text' | 'image';

/** The moderation policy mode for the input or the output: `score` or `block`. */
export type ModerationMode = 'score' | 'block';
