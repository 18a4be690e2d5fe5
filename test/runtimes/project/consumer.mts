// A user's TypeScript, type-checked and never run: by tsc under each moduleResolution and by
// `deno check`. Copied into the throwaway project as .ts, .mts and .cts (node16 reads the module
// kind from the extension); kept as .mts here so test/tsconfig.json, which takes *.ts, leaves
// it alone. The @ts-expect-error lines fail the check if the types ever resolve to `any`.
import { APIError, accumulateChatCompletion, createChatCompletion, createClient, paginateChatCompletions } from 'openai-chat-fetch';
import type { ChatCompletion, ChatCompletionChunk, RequestOptions } from 'openai-chat-fetch';

export async function main(options: RequestOptions): Promise<string> {
  const messages = [{ role: 'user' as const, content: 'Hello' }];
  const completion: ChatCompletion = await createChatCompletion({ model: 'gpt-4o-mini', messages }, options);
  const stream: ReadableStream<ChatCompletionChunk> = await createChatCompletion({ model: 'gpt-4o-mini', messages, stream: true }, options);
  const folded: ChatCompletion = await accumulateChatCompletion(stream);
  const ids: string[] = [];
  for await (const stored of paginateChatCompletions({ limit: 1 }, options)) ids.push(stored.id);
  try {
    await createClient(options).deleteChatCompletion(completion.id);
  } catch (error) {
    if (error instanceof APIError) return `${error.status} ${error.requestId ?? ''}`;
  }
  // @ts-expect-error a streaming request resolves to a stream, not a ChatCompletion
  const wrong: ChatCompletion = await createChatCompletion({ model: 'gpt-4o-mini', messages, stream: true });
  // @ts-expect-error roles are a closed union
  await createChatCompletion({ model: 'gpt-4o-mini', messages: [{ role: 'robot', content: 'Hello' }] });
  return [completion.choices[0].message.content, folded.id, wrong.id, ...ids].join();
}
