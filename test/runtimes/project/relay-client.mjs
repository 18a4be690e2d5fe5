// What a page does through the relay, with the SDK as it is and no key: run by the Node test
// process against the relay in each runtime, and by a page in each browser engine. Plain
// JavaScript with no imports, like smoke.mjs: `sdk` is the package's namespace however it was loaded.

const MODEL = 'gpt-4o-mini';
// Two-, three- and four-byte UTF-8, so a relay that re-encoded or split characters shows.
const TEXT = 'relayed: café ☕ 日本語 🎉';
/** The structured answer's schema, plain JSON Schema (the page bundles no validator). */
const WEATHER = {
  type: 'object',
  properties: { city: { type: 'string' }, celsius: { type: 'number' } },
  required: ['city', 'celsius'],
  additionalProperties: false,
};

/**
 * Throws on the first mismatch; returns what the host checks against the upstream's record.
 * `session` is the header that carries the page's session (`authorize` reads it).
 */
export async function relayScenario(sdk, baseURL, session) {
  const options = { baseURL, apiKey: '', maxRetries: 0, headers: session };
  const ask = (more = {}) => ({ model: MODEL, messages: [{ role: 'user', content: TEXT }], ...more });
  const started = Date.now();

  const created = await sdk.createChatCompletion(ask(), options);
  equal(created.choices[0].message.content, `Echo: ${TEXT}`, 'create: reply');
  // Read from a response header: across origins the relay must expose it.
  const requestId = sdk.getResponseMeta(created)?.requestId;

  let streamed = '';
  let usageChunks = 0;
  for await (const chunk of await sdk.createChatCompletion(ask({ stream: true }), options)) {
    streamed += chunk.choices[0]?.delta.content ?? '';
    if (chunk.usage) usageChunks++;
  }
  equal(streamed, `Echo: ${TEXT}`, 'stream: text');

  const format = sdk.jsonSchemaFormat(WEATHER, { name: 'weather' });
  const body = ask({ response_format: format, stream: true });
  const cities = [];
  let parsed;
  for await (const event of sdk.toChatCompletionEvents(await sdk.createChatCompletion(body, options), body)) {
    if (event.type === 'content.delta' && typeof event.parsed?.city === 'string') cities.push(event.parsed.city);
    if (event.type === 'done') parsed = event.completion.choices[0].message.parsed;
  }

  const toolCalls = [];
  const weather = sdk.functionTool({
    name: 'weather',
    description: 'The weather in a city now',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
    // Runs where the page runs: in a browser, in the page.
    execute: ({ city }) => {
      toolCalls.push(city);
      return { city, sky: 'sunny', where: typeof document === 'undefined' ? 'node' : 'page' };
    },
  });
  const ran = await sdk.runTools({ model: MODEL, messages: [{ role: 'user', content: 'The weather in Paris?' }], tools: [weather] }, options);

  return {
    ms: Date.now() - started,
    requestId,
    streamed,
    usageChunks,
    cities,
    parsed,
    toolCalls,
    toolAnswer: ran.completion.choices[0].message.content,
    refusals: {
      model: await refusal(sdk, () => sdk.createChatCompletion({ ...ask(), model: 'gpt-5-pro' }, options)),
      session: await refusal(sdk, () => sdk.createChatCompletion(ask(), { ...options, headers: {} })),
    },
  };
}

/** The typed error a refused call raised, as JSON carries it. */
async function refusal(sdk, call) {
  try {
    await call();
  } catch (error) {
    if (!(error instanceof sdk.APIError)) throw new Error(`expected an APIError, got ${error}`);
    return { name: error.name, status: error.status, code: error.code, param: error.param ?? null, message: error.message };
  }
  throw new Error('expected a refusal, got an answer');
}

function equal(actual, expected, what) {
  if (actual !== expected) throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}
