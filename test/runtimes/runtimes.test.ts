import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLocalAPI } from '../server/handler.js';
import { serve } from '../server/http.js';
import type { Served } from '../server/http.js';
import { inBrowser } from './browser.js';
import { bundle } from './bundle.js';
import { ENGINES, ENGINE_NEEDS, launch } from './driver.js';
import { DENO, BUN, deno, bun, workerd, edge } from './need.js';
import { packed } from './pack.js';
import { lastJSON, run } from './run.js';
import { SMOKE_REQUESTS, expectScenario } from './scenario.js';
import type { SmokeResult } from './scenario.js';
import { expectStreams, withFaults } from './streams.js';
import type { PageResult } from './streams.js';

// The packed package, installed in a throwaway project, runs test/runtimes/project/smoke.mjs in
// every runtime it promises, against the local API over HTTP on 127.0.0.1. Each runtime reports
// its result, and the server's record of the requests is checked against it.

// Spawned runtimes get a key in their environment, which must not go to the local API: the
// environment's key is for OpenAI's own API only. A key given in options is sent, in every
// runtime: none of them is a browser to the SDK (the browser guard covers workers).
const KEY = 'sk-smoke-env';
const GIVEN = 'sk-smoke-given-0123456789';
const childEnv = { ...process.env, OPENAI_API_KEY: KEY, DENO_NO_UPDATE_CHECK: '1', DO_NOT_TRACK: '1' };
const TIMEOUT = 60_000;

let project: string;
beforeAll(async () => {
  ({ project } = await packed());
}, 180_000);

const api = createLocalAPI();
let server: Served;
beforeEach(async () => {
  api.reset();
  server = await serve(withFaults(api));
});
afterEach(() => server.close());

function report(runtime: string, result: SmokeResult, totalMs: number, note = ''): void {
  console.log(`[runtimes] ${runtime}: smoke ${result.ms} ms, ${totalMs} ms with start-up${note}`);
}

async function spawned(command: string, args: string[]): Promise<{ result: SmokeResult; ms: number }> {
  const { stdout, ms } = await run(command, args, { cwd: project, env: childEnv, timeoutMs: TIMEOUT });
  return { result: lastJSON<SmokeResult>(stdout), ms };
}

/** A bundled fetch handler answering `GET /?api=`: the scenario's result, or a 500 with its failure. */
async function answered(response: Response): Promise<SmokeResult> {
  const body: unknown = await response.json();
  if (response.status !== 200) throw new Error(`the runtime failed: ${(body as { error: string }).error}`);
  return body as SmokeResult;
}

describe('the packed package in each runtime', () => {
  it('Node, ESM import: the environment key stays home', { timeout: TIMEOUT }, async () => {
    const { result, ms } = await spawned(process.execPath, ['cli.mjs', server.baseURL]);
    expect(result.entry).toMatch(/\/node_modules\/openai-chat-fetch\/dist\/index\.js$/);
    expectScenario(api.requests, result, { authorization: undefined });
    report('Node ESM', result, ms);
  });

  it('Node, CommonJS require, a key given', { timeout: TIMEOUT }, async () => {
    const { result, ms } = await spawned(process.execPath, ['cli.cjs', server.baseURL, GIVEN]);
    expect(result.entry).toMatch(/\/node_modules\/openai-chat-fetch\/dist\/index\.cjs$/);
    expectScenario(api.requests, result, { authorization: `Bearer ${GIVEN}` });
    report('Node CJS', result, ms);
  });

  it('Deno with --allow-net only, a key given', { timeout: TIMEOUT }, async () => {
    deno.check();
    const { result, ms } = await spawned(DENO, ['run', '--allow-net', '--no-prompt', 'cli.mjs', server.baseURL, GIVEN]);
    expect(result.entry).toMatch(/\/node_modules\/openai-chat-fetch\/dist\/index\.js$/);
    expectScenario(api.requests, result, { authorization: `Bearer ${GIVEN}` });
    report('Deno', result, ms);
  });

  it('Bun, a key given', { timeout: TIMEOUT }, async () => {
    bun.check();
    const { result, ms } = await spawned(BUN, ['cli.mjs', server.baseURL, GIVEN]);
    expect(result.entry).toMatch(/\/node_modules\/openai-chat-fetch\/dist\/index\.js$/);
    expectScenario(api.requests, result, { authorization: `Bearer ${GIVEN}` });
    report('Bun', result, ms);
  });

  it('Cloudflare workerd, through Miniflare, the worker bundled from the package', { timeout: TIMEOUT }, async () => {
    workerd.check();
    const started = performance.now();
    const worker = await bundle(project, 'worker.mjs', { format: 'esm', conditions: ['workerd', 'worker', 'browser'] });
    expect(worker.inputs).toContain('node_modules/openai-chat-fetch/dist/index.js');
    const { Miniflare } = await import('miniflare');
    // Not later than the date this workerd build knows; the script as text, since Miniflare
    // refuses a scriptPath outside its root.
    const mf = new Miniflare({ modules: true, script: worker.code, compatibilityDate: '2026-04-26' });
    try {
      const result = await answered(
        (await mf.dispatchFetch(`http://worker.local/?api=${encodeURIComponent(server.baseURL)}&key=${GIVEN}`)) as unknown as Response,
      );
      expectScenario(api.requests, result, { authorization: `Bearer ${GIVEN}` });
      report('workerd', result, Math.round(performance.now() - started), ', bundling included');
    } finally {
      await mf.dispose();
    }
  });

  it("Vercel's edge-runtime, the function bundled from the package", { timeout: TIMEOUT }, async () => {
    edge.check();
    const started = performance.now();
    const script = await bundle(project, 'edge.mjs', { format: 'iife', conditions: ['edge-light', 'worker', 'browser'] });
    expect(script.inputs).toContain('node_modules/openai-chat-fetch/dist/index.js');
    const { EdgeRuntime } = await import('edge-runtime');
    const runtime = new EdgeRuntime({ initialCode: script.code });
    const result = await answered(
      (await runtime.dispatchFetch(`http://edge.local/?api=${encodeURIComponent(server.baseURL)}&key=${GIVEN}`)) as unknown as Response,
    );
    expectScenario(api.requests, result, { authorization: `Bearer ${GIVEN}` });
    report('edge-runtime', result, Math.round(performance.now() - started), ', bundling included');
  });

  for (const engine of ENGINES) {
    it(`${engine}, a page on another origin than the API, streams read with for await`, { timeout: TIMEOUT }, async () => {
      ENGINE_NEEDS[engine].check();
      const started = performance.now();
      const page = await bundle(project, 'page.mjs', { format: 'esm' });
      expect(page.inputs).toContain('node_modules/openai-chat-fetch/dist/index.js');
      const driver = await launch(engine);
      try {
        const { result, origin } = await inBrowser<PageResult>(driver, page.code, server.baseURL);
        expect(origin).not.toBe(server.url);
        // The key the page passed crossed origins: the preflight allowed Authorization.
        const expected = { authorization: 'Bearer sk-smoke-browser', origin };
        expectScenario(api.requests.slice(0, SMOKE_REQUESTS), result, expected);
        // Firefox 153 keeps a cancelled fetch body's connection open (until the browser quits),
        // and the SDK does not yet abort its fetch when its stream is cancelled: there the
        // server goes on streaming after a `break`. Only an abort closes it.
        await expectStreams(api, SMOKE_REQUESTS, result.streams, expected);
        // WebKit has no iterator of its own: there `for await` ran on the SDK's.
        expect(result.streams.nativeIterator).toBe(engine !== 'WebKit');
        const note = `, streams ${result.streams.ms} ms, bundling and a ${driver.launchMs} ms launch included (${driver.version})`;
        report(engine, result, Math.round(performance.now() - started), note);
      } finally {
        await driver.close();
      }
    });
  }
});
