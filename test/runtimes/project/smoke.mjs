// The one scenario every runtime runs against the local API. Plain JavaScript with no imports,
// so Node, Deno and Bun load it as it is and the bundlers inline it for workerd, edge-runtime
// and the browser page. `sdk` is the installed package's namespace, however it was loaded.

const MODEL = 'gpt-4o-mini';
// Two-, three- and four-byte UTF-8, so a decoder that splits characters shows up as mojibake.
const TEXT = 'café ☕ 日本語 🎉';

/**
 * Runs all six endpoints, a stream, pagination and a 404; throws on the first mismatch and
 * returns what the host test checks against the server's own record.
 */
export async function smoke(sdk, baseURL, extra = {}) {
  const options = { baseURL, maxRetries: 0, ...extra };
  // Completions are tagged with this run, so a list sees only its own even on a shared server.
  const run = Math.random().toString(36).slice(2);
  const ask = (content, more = {}) => ({ model: MODEL, messages: [{ role: 'user', content }], ...more });
  const started = Date.now();

  const created = await sdk.createChatCompletion(ask(TEXT, { store: true, metadata: { run } }), options);
  equal(created.object, 'chat.completion', 'create: object');
  equal(created.choices[0].message.content, `Echo: ${TEXT}`, 'create: reply');

  const got = await sdk.getChatCompletion(created.id, options);
  equal(got.id, created.id, 'get: id');
  equal(got.metadata.run, run, 'get: metadata');

  const messages = await sdk.getChatCompletionMessages(created.id, { limit: 10 }, options);
  equal(messages.data.length, 1, 'messages: count');
  equal(messages.data[0].content, TEXT, 'messages: content');

  const listed = await sdk.listChatCompletions({ metadata: { run }, limit: 10 }, options);
  equal(listed.data.map((c) => c.id).join(), created.id, 'list: ids');

  const updated = await sdk.updateChatCompletion(created.id, { metadata: { run, step: 'updated' } }, options);
  equal(updated.metadata.step, 'updated', 'update: metadata');

  const stream = await sdk.createChatCompletion(ask(TEXT, { stream: true, stream_options: { include_usage: true } }), options);
  equal(typeof stream.getReader, 'function', 'stream: a ReadableStream');
  const streamed = await sdk.accumulateChatCompletion(stream);
  equal(streamed.choices[0].message.content, `Echo: ${TEXT}`, 'stream: accumulated text');
  equal(streamed.choices[0].finish_reason, 'stop', 'stream: finish reason');
  // The same question as `created`, so the usage that arrives in the last chunk must match.
  equal(streamed.usage?.total_tokens, created.usage.total_tokens, 'stream: usage');

  const second = await sdk.createChatCompletion(ask('second', { store: true, metadata: { run } }), options);
  const third = await sdk.createChatCompletion(ask('third', { store: true, metadata: { run } }), options);
  const paged = [];
  for await (const completion of sdk.paginateChatCompletions({ metadata: { run }, limit: 1 }, options)) paged.push(completion.id);
  equal(paged.join(), [created.id, second.id, third.id].join(), 'paginate: ids in order');

  const deleted = await sdk.deleteChatCompletion(created.id, options);
  equal(deleted.deleted, true, 'delete: deleted');
  equal(deleted.id, created.id, 'delete: id');

  let caught;
  try {
    await sdk.getChatCompletion(created.id, options);
  } catch (error) {
    caught = error;
  }
  if (!(caught instanceof sdk.NotFoundError) || !(caught instanceof sdk.APIError) || !(caught instanceof sdk.OpenAIError))
    throw new Error(`404: expected a NotFoundError, an APIError, got ${caught}`);
  equal(caught.name, 'NotFoundError', '404: name');
  equal(caught.status, 404, '404: status');
  equal(caught.code, 'not_found', '404: code');
  equal(caught.message, `404 No chat completion found with id '${created.id}'.`, '404: message');
  // Read from a response header: across origins it needs Access-Control-Expose-Headers.
  if (!(caught.requestId ?? '').startsWith('req_')) throw new Error(`404: requestId ${caught.requestId}`);

  return {
    run,
    ms: Date.now() - started,
    ids: [created.id, second.id, third.id],
    streamed: streamed.choices[0].message.content,
    error: { name: caught.name, status: caught.status, requestId: caught.requestId },
  };
}

function equal(actual, expected, what) {
  if (actual !== expected) throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}
