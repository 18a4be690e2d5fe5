import type { ChatCompletion, ChatCompletionMessageParam, ChatCompletionStoreMessage } from '../types/index.js';
import { textOf } from './replies.js';

interface Stored {
  completion: ChatCompletion;
  messages: ChatCompletionStoreMessage[];
}

/** A page as the API returns it: `after` is the id of the last item of the previous page. */
export interface Page<T> {
  object: 'list';
  data: T[];
  first_id: string | null;
  last_id: string | null;
  has_more: boolean;
}

export interface PageQuery {
  after: string | null;
  limit: number;
  order: 'asc' | 'desc';
}

/** The stored completions, in creation order (a Map keeps insertion order). */
export function createStore() {
  const items = new Map<string, Stored>();
  return {
    add(completion: ChatCompletion, input: ChatCompletionMessageParam[]): void {
      items.set(completion.id, { completion, messages: input.map((m, i) => storedMessage(m, `${completion.id}-${i}`)) });
    },
    get: (id: string) => items.get(id)?.completion,
    messages: (id: string) => items.get(id)?.messages,
    delete: (id: string) => items.delete(id),
    list(model: string | null, metadata: Record<string, string>): ChatCompletion[] {
      const wanted = Object.entries(metadata);
      return [...items.values()]
        .map((s) => s.completion)
        .filter((c) => (model === null || c.model === model) && wanted.every(([k, v]) => c.metadata?.[k] === v));
    },
    clear: () => items.clear(),
  };
}

/** How the API gives back an input message: its text as `content`, the parts beside it. */
function storedMessage(message: ChatCompletionMessageParam, id: string): ChatCompletionStoreMessage {
  const parts = Array.isArray(message.content) ? message.content : null;
  return {
    ...message,
    id,
    content: textOf(message.content),
    content_parts: parts,
    ...('name' in message ? {} : { name: null }),
  } as ChatCompletionStoreMessage;
}

/** One page of `all` after the cursor; an unknown cursor gives an empty page, as the API does. */
export function page<T extends { id: string }>(all: T[], query: PageQuery): Page<T> {
  const ordered = query.order === 'desc' ? [...all].reverse() : all;
  const start = query.after === null ? 0 : ordered.findIndex((item) => item.id === query.after) + 1;
  const data = start === 0 && query.after !== null ? [] : ordered.slice(start, start + query.limit);
  return {
    object: 'list',
    data,
    first_id: data[0]?.id ?? null,
    last_id: data.at(-1)?.id ?? null,
    has_more: start + data.length < ordered.length && data.length > 0,
  };
}
