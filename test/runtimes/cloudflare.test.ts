// What stops the upstream call when the page leaves a Cloudflare Worker mid-stream, found in
// workerd (Miniflare, compatibility date 2026-04-26): test/runtimes/cloudflare-worker.ts, bundled with the
// packed package, proxies a stream from the local fake API over HTTP; a client reads the first
// bytes and disconnects; the fake's stream record says whether its stream was cancelled.
//
// Found: the invocation's end cancels its pending subrequests, so the relay example stops the
// upstream with or without `request.signal`, and without workerd calling `cancel()` on the body it
// returned; `request.signal` aborts only with the `enable_request_signal` flag, and is what stops a
// call kept alive by `ctx.waitUntil`. The upstream trickles (an event every 50 ms): workerd may
// notice a gone client only when it next writes to it, so a silent upstream would make it wait.
import { request as httpRequest } from 'node:http';
import type { Miniflare as MiniflareType } from 'miniflare';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFakeOpenAI } from '../../src/fake/index.js';
import { workerd } from './need.js';
import { bundleWorker } from './bundle.js';
import { packed } from './pack.js';
import { serve } from '../server/http.js';
import type { Served } from '../server/http.js';

/** Not later than the date this workerd build knows. */
const COMPATIBILITY_DATE = '2026-04-26';
const TRICKLE_MS = 50;
/** Enough words that the answer streams for seconds: the client leaves long before its end. */
const QUESTION = Array.from({ length: 80 }, (_, i) => `word${i}`).join(' ');

const fake = createFakeOpenAI();
let api: Served;
let script: string;
const workers = new Map<string, MiniflareType>();

beforeAll(async () => {
  workerd.check();
  const { project } = await packed();
  const worker = await bundleWorker(project, 'test/runtimes/cloudflare-worker.ts');
  expect(worker.inputs.some((input) => input.endsWith('node_modules/openai-chat-fetch/dist/index.js'))).toBe(true);
  script = worker.code;
  api = await serve(fake.handle);
}, 180_000);

afterAll(async () => {
  await Promise.all([...workers.values()].map((mf) => mf.dispose()));
  await api?.close();
});
beforeEach(() => fake.reset());

/** One workerd per set of compatibility flags, started on first use. */
async function worker(flags: string[]): Promise<MiniflareType> {
  const key = flags.join();
  if (!workers.has(key)) {
    const { Miniflare } = await import('miniflare');
    workers.set(
      key,
      new Miniflare({ modules: true, script, compatibilityDate: COMPATIBILITY_DATE, compatibilityFlags: flags, bindings: { API: api.baseURL } }),
    );
  }
  return workers.get(key)!;
}

/** POSTs a streamed chat completion to the worker, reads the first bytes of the answer, and hangs up. */
async function leaveMidStream(mf: MiniflareType, mode: string): Promise<void> {
  const url = new URL(mode.startsWith('example') ? `/${mode}/v1/chat/completions` : `/${mode}`, await mf.ready);
  fake.faults.push({ trickleMs: TRICKLE_MS });
  await new Promise<void>((resolve, reject) => {
    const headers = { 'content-type': 'application/json', cookie: 'session=any' };
    const request = httpRequest(url, { method: 'POST', headers }, (response) => {
      if (response.statusCode !== 200) reject(new Error(`${mode}: status ${response.statusCode}`));
      response.once('data', () => {
        request.destroy();
        resolve();
      });
    });
    request.on('error', () => {}); // the hang-up itself
    request.end(JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: QUESTION }], stream: true }));
  });
}

/** The upstream stream's record once it was cancelled, or a failure after 5 s. */
async function upstreamCancelled() {
  await vi.waitFor(() => expect(fake.streams[0]?.cancelled).toBe(true), { timeout: 5_000, interval: 20 });
  return fake.streams[0]!;
}

/** The upstream stream, a second after the client left: still read, not cancelled. */
async function upstreamStillRead() {
  const before = fake.streams[0]!.sent;
  await new Promise((resolve) => setTimeout(resolve, 20 * TRICKLE_MS));
  expect(fake.streams[0]).toMatchObject({ cancelled: false, finished: false });
  expect(fake.streams[0]!.sent).toBeGreaterThan(before + 5);
}

async function status(mf: MiniflareType): Promise<{ signalAborted: number; bodyCancelled: number }> {
  return (await (await mf.dispatchFetch('http://worker.local/status')).json()) as { signalAborted: number; bodyCancelled: number };
}

describe('a Cloudflare Worker proxying a stream, when the client disconnects mid-stream', () => {
  it(
    'without enable_request_signal: the example stops the upstream call, though request.signal never aborts and the body is not cancelled',
    { timeout: 30_000 },
    async () => {
      const mf = await worker([]);
      await leaveMidStream(mf, 'example');
      const record = await upstreamCancelled();
      expect(record.finished).toBe(true);
      expect(record.sent).toBeLessThan(20);
      expect(fake.requests[0]?.headers.authorization).toBe('Bearer sk-test');
      expect(await status(mf)).toEqual({ signalAborted: 0, bodyCancelled: 0 });
    },
  );

  it('without request.signal passed at all: the upstream call stops just the same', { timeout: 30_000 }, async () => {
    await leaveMidStream(await worker([]), 'example-without-signal');
    expect((await upstreamCancelled()).sent).toBeLessThan(20);
  });

  it('with enable_request_signal: request.signal aborts, and the upstream call stops', { timeout: 30_000 }, async () => {
    const mf = await worker(['enable_request_signal']);
    const before = await status(mf);
    await leaveMidStream(mf, 'example');
    expect((await upstreamCancelled()).sent).toBeLessThan(20);
    await vi.waitFor(async () => expect((await status(mf)).signalAborted).toBe(before.signalAborted + 1), { timeout: 5_000 });
  });

  it(
    'a call kept alive by ctx.waitUntil runs on after the client left, without or even with request.signal if the flag is off',
    { timeout: 30_000 },
    async () => {
      await leaveMidStream(await worker([]), 'wait-until');
      await upstreamStillRead();
      fake.reset();
      await leaveMidStream(await worker([]), 'wait-until-with-signal');
      await upstreamStillRead();
    },
  );

  it('a call kept alive by ctx.waitUntil stops when given request.signal with enable_request_signal', { timeout: 30_000 }, async () => {
    await leaveMidStream(await worker(['enable_request_signal']), 'wait-until-with-signal');
    expect((await upstreamCancelled()).sent).toBeLessThan(20);
  });
});
