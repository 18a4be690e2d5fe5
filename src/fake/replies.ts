import type { ChatCompletion, ChatCompletionChunk, ChatCompletionCreateParams, ChatCompletionMessageParam, CompletionUsage } from '../types/index.js';

/** What the fake model answers by default: `Echo: ` and the text of the last user message. */
export function echo(messages: ChatCompletionMessageParam[]): string {
  const last = [...messages].reverse().find((m) => m.role === 'user');
  return `Echo: ${last ? textOf(last.content) : ''}`;
}

/** A message's text: a string, or its text parts joined (images and audio have none). */
export function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((part: { type?: string; text?: string }) => (part?.type === 'text' && typeof part.text === 'string' ? part.text : '')).join('');
}

/** Words stand in for tokens: deterministic, and enough for usage to add up. */
const tokens = (text: string) => text.split(/\s+/).filter(Boolean).length;

function usageOf(messages: ChatCompletionMessageParam[], reply: string): CompletionUsage {
  const prompt_tokens = messages.reduce((sum, m) => sum + tokens(textOf(m.content)) + 3, 0);
  const completion_tokens = tokens(reply);
  return {
    prompt_tokens,
    completion_tokens,
    total_tokens: prompt_tokens + completion_tokens,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

/** The completion the API would return with `reply` as every choice's text (`n` choices). */
export function completionOf(body: ChatCompletionCreateParams, id: string, created: number, reply: string): ChatCompletion {
  return {
    id,
    object: 'chat.completion',
    created,
    model: body.model,
    choices: Array.from({ length: Math.max(1, body.n ?? 1) }, (_, index) => ({
      index,
      message: { role: 'assistant', content: reply, refusal: null, annotations: [] },
      logprobs: null,
      finish_reason: 'stop',
    })),
    usage: usageOf(body.messages, reply),
    service_tier: 'default',
    system_fingerprint: 'fp_fake',
  };
}

/**
 * The chunks the real API streams for `completion`: per choice a role chunk (`content: null`
 * when the message has none), the content word
 * by word (or in `piece`-character pieces), a refusal and each tool call in one piece, a finish
 * chunk; choices interleaved as with `n` > 1; with `include_usage`, `usage: null` on each and a
 * last chunk with the usage.
 */
export function chunksOf(completion: ChatCompletion, includeUsage: boolean, piece?: number): ChatCompletionChunk[] {
  const { id, created, model, service_tier, system_fingerprint } = completion;
  const base = { id, object: 'chat.completion.chunk' as const, created, model, service_tier, system_fingerprint, ...(includeUsage ? { usage: null } : {}) };
  const deltas = completion.choices.map(({ index, message, finish_reason }) => {
    // No content (a refusal, tool calls) starts as null, so the fold gives null as without stream.
    const content = message.content === null ? null : '';
    const list: ChatCompletionChunk['choices'] = [{ index, delta: { role: 'assistant', content, refusal: null }, logprobs: null, finish_reason: null }];
    for (const content of split(message.content ?? '', piece)) list.push({ index, delta: { content }, logprobs: null, finish_reason: null });
    if (message.refusal) list.push({ index, delta: { refusal: message.refusal }, logprobs: null, finish_reason: null });
    for (const [i, call] of (message.tool_calls ?? []).entries())
      list.push({ index, delta: { tool_calls: [{ index: i, ...call }] as never }, logprobs: null, finish_reason: null });
    list.push({ index, delta: {}, logprobs: null, finish_reason });
    return list;
  });
  const chunks: ChatCompletionChunk[] = [];
  for (let step = 0; deltas.some((list) => step < list.length); step++) {
    for (const list of deltas) {
      const choice = list[step];
      if (choice) chunks.push({ ...base, choices: [choice] });
    }
  }
  if (includeUsage) chunks.push({ ...base, choices: [], usage: completion.usage ?? null });
  return chunks;
}

/** Words (with the space before each), or pieces of `size` characters. */
function split(text: string, size: number | undefined): string[] {
  if (size === undefined) return text.match(/\s*\S+/g) ?? [];
  return Array.from({ length: Math.ceil(text.length / size) }, (_, i) => text.slice(i * size, (i + 1) * size));
}
