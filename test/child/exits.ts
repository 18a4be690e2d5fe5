// Run as its own process by signals.test.ts: requests with the default 10-minute time-out,
// then nothing. If any timer or listener were left behind, this process would not exit.
// A stream left open counts too: it holds its idle timer, which must not keep the process alive.
import { createChatCompletion, listChatCompletions } from '../../src/index.js';
import { createLocalAPI } from '../server/handler.js';

const api = createLocalAPI();
const options = { fetch: api.fetch, apiKey: 'k', maxRetries: 0 };
const signal = new AbortController().signal;
await listChatCompletions({}, { ...options, signal });
await createChatCompletion({ model: 'm', messages: [{ role: 'user', content: 'x' }] }, options);
const stream = await createChatCompletion({ model: 'm', messages: [{ role: 'user', content: 'a b c' }], stream: true }, { ...options, signal });
for await (const chunk of stream) void chunk;
const cancelled = (await createChatCompletion({ model: 'm', messages: [{ role: 'user', content: 'a b c' }], stream: true }, options)).getReader();
await cancelled.read();
await cancelled.cancel();
// A stream read once and left open, neither read on nor cancelled: its idle timer must not hold the process.
const abandoned = (await createChatCompletion({ model: 'm', messages: [{ role: 'user', content: 'a b c' }], stream: true }, options)).getReader();
await abandoned.read();
// Printed after the event loop settles: what could still keep the process alive.
setImmediate(() => console.log(JSON.stringify(process.getActiveResourcesInfo())));
