import { describe, expect, it, vi } from 'vitest';
import { createChatCompletion } from '../../src/index.js';
import { createRelay } from '../../src/relay/index.js';
import { useRelay } from '../helpers/relay.js';

// The page leaving cancels the upstream call: the relay's answer is cancelled (or its request
// aborted) by the server, and the upstream's stream is cancelled in turn. The waits allow for
// Node 20's fetch, which closes an aborted response's socket about 3 s later.
const relay = useRelay();
const words = [{ role: 'user' as const, content: 'one two three four five six' }];
const left = { timeout: 10_000, interval: 20 };

describe('the page leaving', () => {
  it('with its abort signal, mid-stream, cancels the upstream stream; usage is reported once, as unknown', async () => {
    relay.fake.faults.push({ stallAfterChunks: 2 });
    const controller = new AbortController();
    const stream = await createChatCompletion({ model: 'gpt-4o-mini', messages: words, stream: true }, relay.page({ signal: controller.signal }));
    const reader = stream.getReader();
    await reader.read();
    controller.abort();
    await vi.waitFor(() => expect(relay.fake.streams[0]!.cancelled).toBe(true), left);
    await vi.waitFor(() => expect(relay.usage).toEqual([{ user: 'alice', model: 'gpt-4o-mini', usage: null, requestId: 'req_fake000001' }]), left);
    expect(relay.errors).toEqual([]);
  });

  it('by leaving the loop, cancels the upstream stream', async () => {
    relay.fake.faults.push({ stallAfterChunks: 3 });
    const stream = await createChatCompletion({ model: 'gpt-4o-mini', messages: words, stream: true }, relay.page());
    for await (const chunk of stream) if (chunk.choices[0]?.delta.content) break;
    await vi.waitFor(() => expect(relay.fake.streams[0]!.cancelled).toBe(true), left);
    await vi.waitFor(() => expect(relay.usage).toHaveLength(1), left);
  });

  it("as Cloudflare Workers tell it, by cancelling the answer's body (request.signal never aborts), cancels the upstream stream", async () => {
    relay.fake.faults.push({ stallAfterChunks: 2 });
    const handler = createRelay(relay.options());
    const body = JSON.stringify({ model: 'gpt-4o-mini', messages: words, stream: true });
    const response = await handler(
      new Request('http://relay.test/v1/chat/completions', {
        method: 'POST',
        headers: { authorization: 'Bearer token-alice', 'content-type': 'application/json' },
        body,
      }),
    );
    const reader = response.body!.getReader();
    await reader.read();
    await reader.cancel();
    await vi.waitFor(() => expect(relay.fake.streams[0]!.cancelled).toBe(true), left);
    expect(relay.usage).toHaveLength(1);
  });

  it('before the upstream answered, aborts the upstream call and reports nothing', async () => {
    relay.fake.faults.push({ delayMs: 30_000 });
    const controller = new AbortController();
    const pending = createChatCompletion({ model: 'gpt-4o-mini', messages: words, stream: true }, relay.page({ signal: controller.signal }));
    await vi.waitFor(() => expect(relay.fake.requests).toHaveLength(1), left);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'APIUserAbortError' });
    // The fake's delay ends early when its client (the relay) leaves, and then it answers no one.
    await vi.waitFor(() => expect(relay.fake.streams).toHaveLength(1), left);
    expect(relay.usage).toEqual([]);
    expect(relay.errors).toEqual([]);
  });
});
