// The page's streaming scenario, after smoke.mjs: `for await` over every stream the SDK returns
// (WebKit has no native ReadableStream iterator, so there the SDK's own one is what runs), an
// abort in the middle of a stream, an early `break`, and the proxy page's side:
// `parseServerSentEvents` over a plain `fetch` body. Plain JavaScript with no imports, like
// smoke.mjs, so any runtime can run it.

const MODEL = 'gpt-4o-mini';
const TEXT = 'streams: café ☕ 日本語 🎉';
/**
 * The header the test's server turns into a fault of the local API for that one request: the
 * stream sends two events (the role, then the first word) and then nothing until the client
 * leaves, so the server can tell whether the page's abort or `break` really closed it. The host
 * side is test/runtimes/streams.ts.
 */
const FAULT_HEADER = 'x-fake-fault';
const STALL = JSON.stringify({ stallAfterChunks: 2 });

/** Throws on the first mismatch; returns what the host checks against the server's record. */
export async function streams(sdk, baseURL, extra = {}) {
  const options = { baseURL, maxRetries: 0, ...extra };
  const ask = { model: MODEL, messages: [{ role: 'user', content: TEXT }], stream: true };
  const started = Date.now();

  let streamed = '';
  for await (const chunk of await sdk.createChatCompletion(ask, options)) streamed += chunk.choices[0]?.delta.content ?? '';
  equal(streamed, `Echo: ${TEXT}`, 'for await: text');

  const aborted = await abortMidStream(sdk, ask, options);
  const broken = await breakEarly(sdk, ask, options);
  const parsed = await parseFetchedBody(sdk, baseURL, ask, extra.apiKey);
  equal(parsed, `Echo: ${TEXT}`, 'parseServerSentEvents: text');

  return {
    ms: Date.now() - started,
    // Whether the engine has its own iterator: false in WebKit, where the SDK's ran instead.
    nativeIterator: Symbol.asyncIterator in ReadableStream.prototype,
    streamed,
    aborted,
    broken,
    parsed,
  };
}

/** Aborts the request's signal after the first word: the loop must end with APIUserAbortError. */
async function abortMidStream(sdk, ask, options) {
  const controller = new AbortController();
  const stream = await sdk.createChatCompletion(ask, { ...options, signal: controller.signal, headers: { [FAULT_HEADER]: STALL } });
  let text = '';
  let caught;
  try {
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (text) controller.abort();
    }
  } catch (error) {
    caught = error;
  }
  if (!(caught instanceof sdk.APIUserAbortError) || !(caught instanceof sdk.OpenAIError))
    throw new Error(`abort: expected an APIUserAbortError, got ${caught}`);
  equal(caught.name, 'APIUserAbortError', 'abort: name');
  return { text, error: caught.name };
}

/** Leaves the loop after the first word: that must cancel the stream and release its lock. */
async function breakEarly(sdk, ask, options) {
  const stream = await sdk.createChatCompletion(ask, { ...options, headers: { [FAULT_HEADER]: STALL } });
  let text = '';
  for await (const chunk of stream) {
    text += chunk.choices[0]?.delta.content ?? '';
    if (text) break;
  }
  equal(stream.locked, false, 'break: the stream is released');
  // A cancelled stream reads as done at once; a stream still open would wait for the stall.
  const after = await stream.getReader().read();
  equal(after.done, true, 'break: the stream is cancelled');
  return { text };
}

/** What a page behind a proxy does: a plain fetch, its body read as chunks with `for await`. */
async function parseFetchedBody(sdk, baseURL, ask, apiKey) {
  const headers = { 'content-type': 'application/json' };
  if (apiKey) headers.authorization = `Bearer ${apiKey}`;
  const response = await fetch(`${baseURL}/chat/completions`, { method: 'POST', headers, body: JSON.stringify(ask) });
  equal(response.status, 200, 'fetch: status');
  let text = '';
  for await (const chunk of sdk.parseServerSentEvents(response.body)) text += chunk.choices[0]?.delta.content ?? '';
  return text;
}

function equal(actual, expected, what) {
  if (actual !== expected) throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}
