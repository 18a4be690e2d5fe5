import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as sdk from '../../src/index.js';
import { createFakeOpenAI } from '../../src/fake/index.js';
import type { ChatCompletionCreateParams } from '../../src/index.js';
import { serve } from '../server/http.js';
import type { Served } from '../server/http.js';
import { inBrowser } from './browser.js';
import { bundle } from './bundle.js';
import { ENGINES, ENGINE_NEEDS, launch } from './driver.js';
import { DENO, BUN, deno, bun, workerd, edge } from './need.js';
import { packed } from './pack.js';
import { start, waitUntil } from './process.js';
import type { Started } from './process.js';

// The packed relay (`openai-chat-fetch/relay`) served by every runtime it is meant for, in front
// of the fake API on 127.0.0.1: test/runtimes/project/relay.mjs is the relay, relay-server.mjs,
// relay-worker.mjs and relay-edge.mjs serve it. Through each, the SDK with no key runs
// project/relay-client.mjs: from this Node process against every runtime, and from a page on
// another origin in each browser engine, against the relay in Node. The upstream's record and
// the relay's `onUsage` reports are checked against what the client saw.

const TIMEOUT = 60_000;
/** As project/relay.mjs has them. */
const UPSTREAM_KEY = 'sk-relay-runtimes-0123456789abcdefghij';
const SESSION = { 'x-session': 'session-ann' };
const TEXT = 'relayed: café ☕ 日本語 🎉';
/** The upstream requests of one scenario: create, stream, structured stream, and runTools' two steps. */
const UPSTREAM_CALLS = 5;

/** The fake's answers: a structured answer for a JSON Schema, the weather tool's call and then its answer, or the echo. */
function replies(body: ChatCompletionCreateParams) {
  if (body.response_format?.type === 'json_schema') return { content: JSON.stringify({ city: 'Paris', celsius: 21 }) };
  if (!body.tools?.length) return undefined;
  const last = body.messages.at(-1);
  if (last?.role === 'tool') return `The weather: ${String(last.content)}`;
  return { tool_calls: [{ name: 'weather', arguments: { city: 'Paris' } }] };
}

const fake = createFakeOpenAI({ replies });
let upstream: Served;
let project: string;
const env = { ...process.env, OPENAI_API_KEY: '', DENO_NO_UPDATE_CHECK: '1', DO_NOT_TRACK: '1' };

beforeAll(async () => {
  ({ project } = await packed());
  upstream = await serve(fake.handle);
}, 180_000);
afterAll(() => upstream?.close());
beforeEach(() => fake.reset());

interface RelayResult {
  ms: number;
  requestId: string | undefined;
  streamed: string;
  usageChunks: number;
  cities: string[];
  parsed: unknown;
  toolCalls: string[];
  toolAnswer: string;
  refusals: Record<'model' | 'session', { name: string; status: number; code: string; param: string | null; message: string }>;
}

/** project/relay-client.mjs, run here with this repository's SDK against the relay at `url`. */
async function throughRelay(url: string): Promise<RelayResult> {
  const client = (await import(join(project, 'relay-client.mjs'))) as { relayScenario(sdk: unknown, baseURL: string, session: object): Promise<RelayResult> };
  return client.relayScenario(sdk, `${url}/v1`, SESSION);
}

/** What every client, in any runtime, must have seen and caused. */
async function expectRelayed(result: RelayResult, url: string, where: 'node' | 'page'): Promise<void> {
  expect(result.streamed).toBe(`Echo: ${TEXT}`);
  // The page did not ask for usage: the relay asked for it upstream, and kept the chunk to itself.
  expect(result.usageChunks).toBe(0);
  expect(result.requestId).toMatch(/^req_fake\d+$/);
  expect(result.cities.at(-1)).toBe('Paris');
  expect(result.parsed).toEqual({ city: 'Paris', celsius: 21 });
  expect(result.toolCalls).toEqual(['Paris']);
  expect(result.toolAnswer).toBe(`The weather: ${JSON.stringify({ city: 'Paris', sky: 'sunny', where })}`);
  expect(result.refusals.model).toMatchObject({ status: 400, param: 'model' });
  expect(result.refusals.model.message).toContain('gpt-5-pro');
  expect(result.refusals.session).toMatchObject({ status: 401 });

  // Only the allowed calls reached the upstream, with the relay's key and the user's safety
  // identifier, and none of the client's own headers.
  expect(fake.requests).toHaveLength(UPSTREAM_CALLS);
  for (const request of fake.requests) {
    expect(request.headers.authorization).toBe(`Bearer ${UPSTREAM_KEY}`);
    expect(request.headers['x-session']).toBeUndefined();
    expect(request.headers.origin).toBeUndefined();
    expect(request.body).toMatchObject({ model: 'gpt-4o-mini', safety_identifier: 'ann' });
  }
  const streamed = fake.requests.filter((request) => (request.body as { stream?: boolean }).stream);
  expect(streamed.map((request) => request.body)).toEqual([
    expect.objectContaining({ stream_options: { include_usage: true } }),
    expect.objectContaining({ stream_options: { include_usage: true } }),
  ]);

  // `onUsage`, once an answer, streamed ones included.
  const usage = (await (await fetch(`${url}/usage`)).json()) as { user: string; model: string; usage: { total_tokens: number } | null; requestId: string }[];
  expect(usage).toHaveLength(UPSTREAM_CALLS);
  for (const report of usage) {
    expect(report).toMatchObject({ user: 'ann', model: 'gpt-4o-mini', requestId: expect.stringMatching(/^req_fake\d+$/) });
    expect(report.usage?.total_tokens).toBeGreaterThan(0);
  }
}

/** A runtime serving project/relay-server.mjs, once it printed where. */
async function listening(command: string, args: string[]): Promise<{ url: string; entry: string; server: Started }> {
  const server = start(command, args, { cwd: project, env });
  const line = () => server.output().match(/^\{"runtime".*\}$/m)?.[0];
  try {
    await waitUntil(async () => line() !== undefined || server.child.exitCode !== null, 'the relay never said where it listens', 30_000);
    if (!line()) throw new Error('exited');
  } catch (error) {
    await server.stop();
    throw new Error(`${command} relay-server.mjs: ${(error as Error).message}\n${server.output()}`);
  }
  return { ...(JSON.parse(line()!) as { url: string; entry: string }), server };
}

function report(runtime: string, result: RelayResult, note = ''): void {
  console.log(`[relay] ${runtime}: the page's scenario through the relay ${result.ms} ms${note}`);
}

describe('the relay in each runtime, in front of the fake API', () => {
  const served: [string, () => void, string, string[]][] = [
    ['Node, through toNodeListener', () => {}, process.execPath, ['relay-server.mjs']],
    ['Deno.serve', () => deno.check(), DENO, ['run', '--allow-net', '--no-prompt', 'relay-server.mjs']],
    ['Bun.serve', () => bun.check(), BUN, ['relay-server.mjs']],
  ];
  for (const [name, check, command, args] of served) {
    it(name, { timeout: TIMEOUT }, async () => {
      check();
      const { url, entry, server } = await listening(command, [...args, upstream.baseURL]);
      try {
        expect(entry).toMatch(/\/node_modules\/openai-chat-fetch\/dist\/relay\.js$/);
        const result = await throughRelay(url);
        await expectRelayed(result, url, 'node');
        report(name, result);
      } finally {
        await server.stop();
      }
    });
  }

  it('Cloudflare workerd, through Miniflare, the Worker bundled from the package', { timeout: TIMEOUT }, async () => {
    workerd.check();
    const worker = await bundle(project, 'relay-worker.mjs', { format: 'esm', conditions: ['workerd', 'worker', 'browser'] });
    expect(worker.inputs).toContain('node_modules/openai-chat-fetch/dist/relay.js');
    expect(worker.inputs).not.toContain('node_modules/openai-chat-fetch/dist/index.js');
    const { Miniflare } = await import('miniflare');
    // Not later than the date this workerd build knows.
    const mf = new Miniflare({ modules: true, script: worker.code, compatibilityDate: '2026-04-26', bindings: { UPSTREAM: upstream.baseURL } });
    try {
      const url = (await mf.ready).origin;
      const result = await throughRelay(url);
      await expectRelayed(result, url, 'node');
      report('workerd', result);
    } finally {
      await mf.dispose();
    }
  });

  it("Vercel's edge-runtime, the function bundled from the package", { timeout: TIMEOUT }, async () => {
    edge.check();
    const script = await bundle(project, 'relay-edge.mjs', { format: 'iife', conditions: ['edge-light', 'worker', 'browser'] });
    expect(script.inputs).toContain('node_modules/openai-chat-fetch/dist/relay.js');
    const { EdgeRuntime, runServer } = await import('edge-runtime');
    const runtime = new EdgeRuntime({ initialCode: script.code, extend: (context) => Object.assign(context, { RELAY_UPSTREAM: upstream.baseURL }) });
    const server = await runServer({ runtime, host: '127.0.0.1', port: 0 });
    try {
      const url = new URL(server.url).origin;
      const result = await throughRelay(url);
      await expectRelayed(result, url, 'node');
      report('edge-runtime', result);
    } finally {
      await server.close();
    }
  });
});

describe('a page in each browser engine, through the relay in Node, with no key', () => {
  for (const engine of ENGINES) {
    it(`${engine}: a stream, a structured answer filling in, and runTools with a tool in the page`, { timeout: TIMEOUT }, async () => {
      ENGINE_NEEDS[engine].check();
      const page = await bundle(project, 'relay-page.mjs', { format: 'esm' });
      expect(page.inputs).toContain('node_modules/openai-chat-fetch/dist/index.js');
      expect(page.inputs).not.toContain('node_modules/openai-chat-fetch/dist/relay.js');
      const driver = await launch(engine);
      let relay: Awaited<ReturnType<typeof listening>> | undefined;
      try {
        // The relay lets the page's origin in, and only it: it must know the origin first.
        const { result, origin } = await inBrowser<RelayResult>(driver, page.code, async (pageOrigin) => {
          relay = await listening(process.execPath, ['relay-server.mjs', upstream.baseURL, pageOrigin]);
          return `${relay.url}/v1`;
        });
        expect(origin).not.toBe(relay!.url);
        await expectRelayed(result, relay!.url, 'page');
        report(engine, result, ` (${driver.version})`);
      } finally {
        await driver.close();
        await relay?.server.stop();
      }
    });
  }
});
