import type { ChatCompletion, ChatCompletionChunk, ChatCompletionCreateParams, ChatCompletionMessageParam, CompletionUsage } from '../../src/index.js';

/** What the local model answers: `Echo: ` and the text of the last user message. */
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

export function usageOf(messages: ChatCompletionMessageParam[], reply: string): CompletionUsage {
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

/** The fields every completion and chunk of one answer share. */
export interface Answer {
  id: string;
  created: number;
  model: string;
  reply: string;
  choices: number;
  usage: CompletionUsage;
}

export function answerOf(body: ChatCompletionCreateParams, id: string, created: number): Answer {
  const reply = echo(body.messages);
  return { id, created, model: body.model, reply, choices: Math.max(1, body.n ?? 1), usage: usageOf(body.messages, reply) };
}

export function completionOf(a: Answer, metadata: Record<string, string> | null): ChatCompletion {
  return {
    id: a.id,
    object: 'chat.completion',
    created: a.created,
    model: a.model,
    choices: Array.from({ length: a.choices }, (_, index) => ({
      index,
      message: { role: 'assistant', content: a.reply, refusal: null, annotations: [] },
      logprobs: null,
      finish_reason: 'stop',
    })),
    usage: a.usage,
    service_tier: 'default',
    system_fingerprint: 'fp_local',
    metadata,
  };
}

/**
 * The chunks the real API streams for the same answer: a role chunk, the reply word by word,
 * a finish chunk per choice, and with `include_usage` a last chunk with empty `choices`.
 */
export function chunksOf(a: Answer, includeUsage: boolean): ChatCompletionChunk[] {
  const base = { id: a.id, object: 'chat.completion.chunk' as const, created: a.created, model: a.model, service_tier: 'default' as const, system_fingerprint: 'fp_local' };
  const usage = includeUsage ? { usage: null } : {};
  const pieces = a.reply.match(/\s*\S+/g) ?? [];
  const chunks: ChatCompletionChunk[] = [];
  const each = (delta: (index: number) => ChatCompletionChunk['choices'][number]) =>
    Array.from({ length: a.choices }, (_, index) => chunks.push({ ...base, ...usage, choices: [delta(index)] }));
  each((index) => ({ index, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null }));
  for (const piece of pieces) each((index) => ({ index, delta: { content: piece }, logprobs: null, finish_reason: null }));
  each((index) => ({ index, delta: {}, logprobs: null, finish_reason: 'stop' }));
  if (includeUsage) chunks.push({ ...base, choices: [], usage: a.usage });
  return chunks;
}
