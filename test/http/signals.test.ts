import { spawnSync } from 'node:child_process';
import { getEventListeners } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { APIUserAbortError, createChatCompletion, listChatCompletions } from '../../src/index.js';
import { createLocalAPI } from '../server/handler.js';

const emptyList = async () => Response.json({ object: 'list', data: [], first_id: null, last_id: null, has_more: false });

describe('signals without leaks', () => {
  it('leaves no listener on a long-lived signal after 10,000 requests, and adds one however many share it', async () => {
    const controller = new AbortController();
    const listeners = () => getEventListeners(controller.signal, 'abort').length;
    const before = listeners();
    let most = 0;
    const fetch = () => {
      most = Math.max(most, listeners());
      return emptyList();
    };
    const options = { fetch, apiKey: 'k', maxRetries: 0, signal: controller.signal };
    for (let i = 0; i < 100; i++) await Promise.all(Array.from({ length: 100 }, () => listChatCompletions({}, options)));
    expect(most).toBe(before + 1);
    expect(listeners()).toBe(before);
  });

  it('still aborts every request sharing the signal', async () => {
    const controller = new AbortController();
    const hang = (_: unknown, init?: RequestInit) =>
      new Promise<Response>((_, reject) => init!.signal!.addEventListener('abort', () => reject(init!.signal!.reason)));
    const pending = Array.from({ length: 20 }, () =>
      listChatCompletions({}, { fetch: hang, apiKey: 'k', maxRetries: 0, signal: controller.signal }).catch((e: Error) => e.name),
    );
    controller.abort();
    expect(await Promise.all(pending)).toEqual(Array(20).fill('APIUserAbortError'));
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('leaves no listener after streams read to the end, cancelled, failed or timed out', async () => {
    const api = createLocalAPI();
    const controller = new AbortController();
    const options = { fetch: api.fetch, apiKey: 'k', maxRetries: 0, signal: controller.signal };
    const ask = { model: 'm', messages: [{ role: 'user' as const, content: 'a b c d' }], stream: true as const };
    const before = getEventListeners(controller.signal, 'abort').length;
    for (let i = 0; i < 50; i++) {
      for await (const chunk of await createChatCompletion(ask, options)) void chunk;
      const reader = (await createChatCompletion(ask, options)).getReader();
      await reader.read();
      await reader.cancel();
      api.faults.push({ cutAfterChunks: 2, cutMode: 'error' });
      await expect(
        (async () => {
          for await (const chunk of await createChatCompletion(ask, options)) void chunk;
        })(),
      ).rejects.toThrow();
      api.faults.push({ status: 400 });
      await expect(createChatCompletion(ask, options)).rejects.toThrow();
    }
    api.faults.push({ stallAfterChunks: 1 });
    await expect(
      (async () => {
        for await (const chunk of await createChatCompletion(ask, { ...options, timeout: 50 })) void chunk;
      })(),
    ).rejects.toThrow(/timed out/);
    expect(getEventListeners(controller.signal, 'abort').length).toBe(before);
  });

  it('rejects at once on abort while an apiKey function has not settled, and leaves no listener', async () => {
    const controller = new AbortController();
    let fetched = 0;
    const fetch = () => {
      fetched++;
      return emptyList();
    };
    const pending = listChatCompletions({}, { fetch, apiKey: () => new Promise<string>(() => {}), signal: controller.signal });
    const outcome = pending.then(
      () => 'resolved',
      (error: Error) => error,
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort();
    // Settled within a few turns of the event loop, not whenever the key would come.
    const settled = await Promise.race([outcome, new Promise((resolve) => setTimeout(() => resolve('still pending'), 50))]);
    expect(settled).toBeInstanceOf(APIUserAbortError);
    expect(fetched).toBe(0);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('does not call the apiKey function for a signal already aborted', async () => {
    let called = 0;
    const apiKey = () => {
      called++;
      return 'k';
    };
    await expect(listChatCompletions({}, { fetch: emptyList, apiKey, signal: AbortSignal.abort() })).rejects.toBeInstanceOf(APIUserAbortError);
    expect(called).toBe(0);
  });

  it('leaves no listener after an apiKey function that settles, with or without a key', async () => {
    const controller = new AbortController();
    const options = { fetch: emptyList, maxRetries: 0, signal: controller.signal };
    await listChatCompletions({}, { ...options, apiKey: async () => 'k' });
    await expect(listChatCompletions({}, { ...options, apiKey: async () => Promise.reject(new Error('vault down')) })).rejects.toThrow(
      'The apiKey function threw: vault down',
    );
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('leaves no timer to keep a process alive after its last request', () => {
    const child = runChild('exits');
    // Killed by the 30 s limit means something held the event loop (the default time-out is 10 minutes).
    expect(child.signal).toBeNull();
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    expect(JSON.parse(child.stdout.trim().split('\n').at(-1)!)).not.toContain('Timeout');
  });

  it('times out a stalled in-memory call in a script that waits on nothing else, instead of exiting silently', () => {
    const child = runChild('stalls');
    // Exit code 13 with no output: the process exited while the script awaited the read.
    expect(child.signal).toBeNull();
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    expect(JSON.parse(child.stdout.trim().split('\n').at(-1)!)).toEqual({ stalled: 'APIConnectionTimeoutError', unanswered: 'APIConnectionTimeoutError' });
  });
});

/** Runs test/child/<name>.ts in a Node process of its own, for at most 30 s. */
function runChild(name: string) {
  return spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(new URL(`../child/${name}.ts`, import.meta.url))], {
    encoding: 'utf8',
    timeout: 30_000,
  });
}
