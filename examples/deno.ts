// Deno: `deno run --allow-net --allow-env=OPENAI_API_KEY examples/deno.ts "Your question"`.
// examples/deno.json maps 'openai-chat-fetch' to the npm package (`npm:openai-chat-fetch`).
// Without --allow-env the key cannot be read (the SDK does not throw); pass `apiKey` then.
import { createChatCompletion } from 'openai-chat-fetch';

declare const Deno: { args: string[]; stdout: { write(bytes: Uint8Array): Promise<number> } };

const encoder = new TextEncoder();
const stream = await createChatCompletion({
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: Deno.args[0] ?? 'Say hello from Deno.' }],
  stream: true,
});
const reader = stream.getReader();
for (let r = await reader.read(); !r.done; r = await reader.read()) {
  await Deno.stdout.write(encoder.encode(r.value.choices[0]?.delta.content ?? ''));
}
await Deno.stdout.write(encoder.encode('\n'));
