// Run as its own process by signals.test.ts: a plain script awaiting the in-memory fake, with
// nothing else to keep the process alive. While it waits (for headers that never come, or a
// read of a stream that stalled) the wait holds the process until the idle timer fires, so the
// script sees APIConnectionTimeoutError, not a silent exit (code 13: an unsettled top-level await).
import { createChatCompletion } from '../../src/index.js';
import { createFakeOpenAI } from '../../src/fake/index.js';

const ask = { model: 'm', messages: [{ role: 'user' as const, content: 'a b c' }], stream: true as const };
const TIMEOUT_MS = 100;

/** What a call ended with: the error's class name, or `ended`. */
async function outcome(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
    return 'ended';
  } catch (error) {
    return (error as Error).constructor.name;
  }
}

const fake = createFakeOpenAI();
fake.faults.push({ stallAfterChunks: 1 });
const stalled = await outcome(async () => {
  for await (const chunk of await createChatCompletion(ask, { fetch: fake, apiKey: 'k', maxRetries: 0, timeout: TIMEOUT_MS })) void chunk;
});
// A fetch that never answers, and stops when its signal aborts (as fetch does): the wait for headers.
const silent = (_: unknown, init?: RequestInit) =>
  new Promise<Response>((_resolve, reject) => init!.signal!.addEventListener('abort', () => reject(init!.signal!.reason)));
const unanswered = await outcome(() => createChatCompletion(ask, { fetch: silent, apiKey: 'k', maxRetries: 0, timeout: TIMEOUT_MS }));
console.log(JSON.stringify({ stalled, unanswered }));
