// Run by test/bench/cold-start.ts as a fresh `node` process (no TypeScript loader, whose hooks
// would slow every import): loads one contender's package as an application does, then makes
// one streamed call through an in-process fetch. Prints the milliseconds of the import, and of
// the call to its first chunk and to its end.
const which = process.argv[2];
const encoder = new TextEncoder();
const chunk = (delta, finish = null) =>
  `data: ${JSON.stringify({ id: 'chatcmpl-cold', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] })}\n\n`;
const body = encoder.encode(chunk({ role: 'assistant', content: 'Hello' }) + chunk({ content: '!' }) + chunk({}, 'stop') + 'data: [DONE]\n\n');
const fetch = async () => new Response(body, { headers: { 'content-type': 'text/event-stream' } });
const apiKey = 'sk-cold-0123456789abcdef';
const baseURL = 'https://bench.invalid/v1';
const model = 'gpt-4o-mini';
const messages = [{ role: 'user', content: 'Hi' }];

/** Each contender: its import, and a call that returns an async iterator of its chunks or parts. */
const contenders = {
  'bare fetch + reader': async () => () => fetch().then((response) => response.body[Symbol.asyncIterator]()),
  'openai-chat-fetch': async () => {
    const { createChatCompletion } = await import('openai-chat-fetch');
    return async () => (await createChatCompletion({ model, messages, stream: true }, { apiKey, baseURL, fetch }))[Symbol.asyncIterator]();
  },
  openai: async () => {
    const { default: OpenAI } = await import('openai7');
    return async () => (await new OpenAI({ apiKey, baseURL, fetch }).chat.completions.create({ model, messages, stream: true }))[Symbol.asyncIterator]();
  },
  ai: async () => {
    const [{ streamText }, { createOpenAI }] = await Promise.all([import('ai'), import('@ai-sdk/openai')]);
    return async () => streamText({ model: createOpenAI({ apiKey, baseURL, fetch }).chat(model), messages }).textStream[Symbol.asyncIterator]();
  },
  xsai: async () => {
    const { streamText } = await import('@xsai/stream-text');
    return async () => streamText({ apiKey, baseURL, fetch, model, messages }).textStream[Symbol.asyncIterator]();
  },
};

const started = performance.now();
const call = await contenders[which]();
const imported = performance.now();
const iterator = await call();
await iterator.next();
const first = performance.now();
while (!(await iterator.next()).done);
const ended = performance.now();
console.log(JSON.stringify({ import: imported - started, first: first - imported, end: ended - imported }));
