// Compile-time checks of src/types: `npm run typecheck` compiles this file, and each
// `@ts-expect-error` fails the build if the line below it stops being an error, so every
// rejection here is enforced. The runtime tests check what the accepted values are.
import { describe, expect, it } from 'vitest';
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionContentPart,
  ChatCompletionCreateParams,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionCreateParamsStreaming,
  ChatCompletionListParams,
  ChatCompletionMessageParam,
  ChatCompletionMessageToolCall,
  ChatCompletionTool,
  ChatCompletionToolChoiceOption,
  ChatCompletionUpdateParams,
  ChatModel,
} from '../../src/types/index.js';

const messages: ChatCompletionMessageParam[] = [
  { role: 'developer', content: 'Answer in French.' },
  { role: 'system', content: [{ type: 'text', text: 'Be brief.' }], name: 'rules' },
  {
    role: 'user',
    content: [
      { type: 'text', text: 'What is in these?', prompt_cache_breakpoint: { mode: 'explicit' } },
      { type: 'image_url', image_url: { url: 'https://example.com/a.png', detail: 'low' } },
      { type: 'input_audio', input_audio: { data: 'UklGRg==', format: 'wav' } },
      { type: 'file', file: { file_id: 'file-abc123' } },
    ],
  },
  {
    role: 'assistant',
    content: null,
    tool_calls: [
      { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
      { id: 'call_2', type: 'custom', custom: { name: 'sql', input: 'SELECT 1' } },
    ],
  },
  { role: 'assistant', content: [{ type: 'refusal', refusal: 'I cannot help with that.' }] },
  { role: 'tool', tool_call_id: 'call_1', content: '{"temp":21}' },
  { role: 'function', name: 'get_weather', content: null },
];

const tools: ChatCompletionTool[] = [
  {
    type: 'function',
    function: { name: 'get_weather', description: 'Weather of a city', parameters: { type: 'object', properties: { city: { type: 'string' } } }, strict: true },
  },
  { type: 'custom', custom: { name: 'sql', format: { type: 'grammar', grammar: { syntax: 'lark', definition: 'start: "SELECT 1"' } } } },
];

// Every one of the 37 request properties at once.
const full: ChatCompletionCreateParamsNonStreaming = {
  model: 'gpt-5.4',
  messages,
  metadata: { user: 'u1' },
  temperature: 0.2,
  top_p: 1,
  user: 'legacy-user',
  safety_identifier: 'hash-of-user',
  prompt_cache_key: 'tenant-1',
  prompt_cache_retention: '24h',
  prompt_cache_options: { ttl: '30m', mode: 'explicit' },
  top_logprobs: 2,
  service_tier: 'flex',
  modalities: ['text', 'audio'],
  verbosity: 'low',
  reasoning_effort: 'xhigh',
  max_completion_tokens: 1024,
  frequency_penalty: -0.5,
  presence_penalty: 0.5,
  web_search_options: {
    search_context_size: 'high',
    user_location: { type: 'approximate', approximate: { country: 'FR', city: 'Paris', timezone: 'Europe/Paris' } },
  },
  response_format: { type: 'json_schema', json_schema: { name: 'weather', schema: { type: 'object' }, strict: true } },
  audio: { voice: { id: 'voice_1234' }, format: 'pcm16' },
  store: true,
  moderation: { model: 'omni-moderation-latest', policy: { input: { mode: 'block' }, output: null } },
  stream: false,
  stop: ['\n\n'],
  logit_bias: { '50256': -100 },
  logprobs: true,
  max_tokens: 1024,
  n: 2,
  prediction: { type: 'content', content: 'const x = 1;' },
  seed: 42,
  stream_options: null,
  tools,
  tool_choice: { type: 'allowed_tools', allowed_tools: { mode: 'required', tools: [{ type: 'function', function: { name: 'get_weather' } }] } },
  parallel_tool_calls: false,
  function_call: { name: 'get_weather' },
  functions: [{ name: 'get_weather', parameters: { type: 'object' } }],
};

const streaming: ChatCompletionCreateParamsStreaming = {
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: 'Hi' }],
  stream: true,
  stream_options: { include_usage: true, include_obfuscation: false },
};

// Open strings where the API takes them: any model id, any voice name.
const fineTune: ChatModel = 'ft:gpt-4o-mini:acme::abc123';
const seedModel: ChatModel = 'gpt-4.5-preview';
const openVoice: ChatCompletionCreateParams = { model: fineTune, messages, audio: { voice: 'new-voice-2027', format: 'mp3' } };
const choices: ChatCompletionToolChoiceOption[] = [
  'none',
  'auto',
  'required',
  { type: 'function', function: { name: 'get_weather' } },
  { type: 'custom', custom: { name: 'sql' } },
];

// Rejected: wrong literals.
// @ts-expect-error: 'extreme' is not a reasoning effort
const badEffort: ChatCompletionCreateParams = { model: 'o3', messages, reasoning_effort: 'extreme' };
// @ts-expect-error: 'turbo' is not a service tier
const badTier: ChatCompletionCreateParams = { model: 'o3', messages, service_tier: 'turbo' };
// @ts-expect-error: 'video' is not a modality
const badModality: ChatCompletionCreateParams = { model: 'o3', messages, modalities: ['video'] };
// @ts-expect-error: 'sometimes' is not a tool choice
const badChoice: ChatCompletionToolChoiceOption = 'sometimes';
// @ts-expect-error: 'yaml' is not a response format
const badFormat: ChatCompletionCreateParams = { model: 'o3', messages, response_format: { type: 'yaml' } };
// @ts-expect-error: 'ogg' is not an output audio format
const badAudio: ChatCompletionCreateParams = { model: 'o3', messages, audio: { voice: 'ash', format: 'ogg' } };
// @ts-expect-error: 'random' is not a list order
const badOrder: ChatCompletionListParams = { order: 'random' };

// Rejected: wrong messages and content parts.
// @ts-expect-error: 'robot' is not a role
const badRole: ChatCompletionMessageParam = { role: 'robot', content: 'beep' };
// @ts-expect-error: 'video_url' is not a content part type
const badPart: ChatCompletionContentPart = { type: 'video_url', video_url: { url: 'https://example.com/a.mp4' } };
// @ts-expect-error: user messages take no refusal parts
const refusalFromUser: ChatCompletionMessageParam = { role: 'user', content: [{ type: 'refusal', refusal: 'no' }] };
// @ts-expect-error: assistant messages take no image parts
const imageFromAssistant: ChatCompletionMessageParam = { role: 'assistant', content: [{ type: 'image_url', image_url: { url: 'https://example.com/a.png' } }] };
// @ts-expect-error: a tool message needs the tool_call_id it answers
const toolWithoutId: ChatCompletionMessageParam = { role: 'tool', content: '42' };
// @ts-expect-error: a user message needs content
const userWithoutContent: ChatCompletionMessageParam = { role: 'user' };
// @ts-expect-error: 'gif' is not an input audio format
const badInputAudio: ChatCompletionContentPart = { type: 'input_audio', input_audio: { data: '', format: 'gif' } };

// Rejected: missing required properties, wrong stream flags.
// @ts-expect-error: model is required
const noModel: ChatCompletionCreateParams = { messages };
// @ts-expect-error: messages is required
const noMessages: ChatCompletionCreateParams = { model: 'gpt-5.4' };
// @ts-expect-error: a non-streaming body cannot say stream: true
const streamInNonStreaming: ChatCompletionCreateParamsNonStreaming = { model: 'gpt-5.4', messages, stream: true };
// @ts-expect-error: a streaming body must say stream: true
const notStreaming: ChatCompletionCreateParamsStreaming = { model: 'gpt-5.4', messages, stream: false };
// @ts-expect-error: a function tool needs a name
const namelessTool: ChatCompletionTool = { type: 'function', function: { description: 'no name' } };
// @ts-expect-error: update takes metadata, even if null
const emptyUpdate: ChatCompletionUpdateParams = {};
// @ts-expect-error: metadata values are strings
const numericMetadata: ChatCompletionUpdateParams = { metadata: { count: 1 } };

/** What a tool call asks for, told apart by `type`: compiles only if narrowing works. */
function describeCall(call: ChatCompletionMessageToolCall): string {
  return call.type === 'function' ? `${call.function.name}(${call.function.arguments})` : `${call.custom.name}: ${call.custom.input}`;
}

/** The text a message carries, told apart by `role` and by content part `type`. */
function textOf(message: ChatCompletionMessageParam): string {
  if (message.role === 'tool') return `[${message.tool_call_id}] ${message.content}`;
  if (message.role === 'assistant' && message.tool_calls) return message.tool_calls.map(describeCall).join('; ');
  const content = message.content ?? '';
  if (typeof content === 'string') return content;
  return content
    .map((part) => {
      switch (part.type) {
        case 'text':
          return part.text;
        case 'refusal':
          return `(refused: ${part.refusal})`;
        case 'image_url':
          return `<${part.image_url.url}>`;
        case 'input_audio':
          return `<audio ${part.input_audio.format}>`;
        case 'file':
          return `<file ${part.file.file_id ?? part.file.filename}>`;
      }
    })
    .join(' ');
}

describe('types', () => {
  it('accept a request with all 37 properties, and the streaming and open-string forms', () => {
    expect(Object.keys(full)).toHaveLength(37);
    expect(JSON.parse(JSON.stringify(full))).toEqual(full);
    expect(streaming.stream).toBe(true);
    expect([fineTune, seedModel, openVoice.audio?.voice]).toEqual(['ft:gpt-4o-mini:acme::abc123', 'gpt-4.5-preview', 'new-voice-2027']);
    expect(choices).toHaveLength(5);
  });

  it('narrow messages by role, content parts and tool calls by type', () => {
    expect(messages.map(textOf)).toEqual([
      'Answer in French.',
      'Be brief.',
      'What is in these? <https://example.com/a.png> <audio wav> <file file-abc123>',
      'get_weather({"city":"Paris"}); sql: SELECT 1',
      '(refused: I cannot help with that.)',
      '[call_1] {"temp":21}',
      '',
    ]);
  });

  it('read responses: a completion, and the chunks of a stream', () => {
    const completion: ChatCompletion = {
      id: 'chatcmpl-1',
      object: 'chat.completion',
      created: 1741569952,
      model: 'gpt-5.4',
      choices: [{ index: 0, finish_reason: 'stop', logprobs: null, message: { role: 'assistant', content: 'Bonjour', refusal: null } }],
      usage: { prompt_tokens: 19, completion_tokens: 10, total_tokens: 29, completion_tokens_details: { reasoning_tokens: 0 } },
      service_tier: 'default',
    };
    const chunks: ChatCompletionChunk[] = [
      {
        id: 'c',
        object: 'chat.completion.chunk',
        created: 1,
        model: 'm',
        choices: [{ index: 0, delta: { role: 'assistant', content: 'Bon' }, finish_reason: null }],
      },
      { id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content: 'jour' }, finish_reason: 'stop' }] },
      { id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [], usage: completion.usage },
    ];
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    expect(text).toBe(completion.choices[0].message.content);
    expect(chunks.at(-1)?.usage?.total_tokens).toBe(29);
  });

  it('reject what the @ts-expect-error lines above say (the objects exist only to be rejected)', () => {
    const rejected = [
      badEffort,
      badTier,
      badModality,
      badChoice,
      badFormat,
      badAudio,
      badOrder,
      badRole,
      badPart,
      refusalFromUser,
      imageFromAssistant,
      toolWithoutId,
      userWithoutContent,
      badInputAudio,
      noModel,
      noMessages,
      streamInNonStreaming,
      notStreaming,
      namelessTool,
      emptyUpdate,
      numericMetadata,
    ];
    expect(rejected).toHaveLength(21);
    expect(rejected.every((value) => value !== undefined)).toBe(true);
  });
});
