// Bun: `bun examples/bun.ts "Your question"` (Bun loads OPENAI_API_KEY from .env itself).
// A stored completion, then its messages: the endpoints beyond create, from a script.
import { createChatCompletion, deleteChatCompletion, getChatCompletionMessages } from 'openai-chat-fetch';

const question = process.argv[2] ?? 'Say hello from Bun.';
const completion = await createChatCompletion({
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: question }],
  store: true,
  metadata: { from: 'bun-example' },
});
console.log(completion.choices[0].message.content);

const { data } = await getChatCompletionMessages(completion.id);
console.log(`stored ${completion.id} with ${data.length} input message(s)`);
await deleteChatCompletion(completion.id);
